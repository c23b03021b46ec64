package io.orderflow.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.orderflow.events.CloudEventsMapping;
import io.orderflow.events.EventSchemas;
import io.orderflow.events.EventType;
import io.orderflow.events.EventTypes;
import io.orderflow.roles.RolesConfig;
import io.orderflow.testing.InMemoryBus;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The AsyncAPI document against what the application really does: the topology it computes from
 * its registered consumers and its default configuration (the names the document shows, not the
 * tests' own), the schemas it validates with, and the CloudEvents headers it writes.
 */
@QuarkusTest
@TestProfile(InMemoryBus.class)
class AsyncApiDocumentTest {

    private static final Path DOCUMENT = Path.of("src/main/asyncapi/orderflow.yaml");
    private static JsonNode asyncApi;

    @Inject
    ConsumerRegistry subscribers;

    @BeforeAll
    static void load() throws IOException {
        asyncApi = new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
    }

    @Test
    void describesTheExchangeAndARoutingKeyForEveryEventType() throws IOException {
        Topology topology = defaultTopology();
        Set<String> routingKeys = new TreeSet<>();
        channels("routingKey").forEach(channel -> {
            JsonNode exchange = channel.at("/bindings/amqp/exchange");
            assertEquals(topology.exchange(), exchange.path("name").asText());
            assertEquals("topic", exchange.path("type").asText());
            assertTrue(exchange.path("durable").asBoolean());
            routingKeys.add(channel.path("address").asText());
        });
        assertEquals(EventTypes.ALL.stream().map(EventType::name).collect(Collectors.toCollection(TreeSet::new)), routingKeys);
    }

    @Test
    void describesEveryQueueTheAppDeclaresWithItsRoutingKeysRetriesAndDeadLetters() throws IOException {
        Map<String, JsonNode> documented = new HashMap<>();
        channels("queue").forEach(channel -> documented.put(channel.at("/bindings/amqp/queue/name").asText(), channel));
        Set<String> declared = new TreeSet<>();

        for (ConsumerQueues queues : defaultTopology().consumers()) {
            JsonNode work = documented.get(queues.work());
            assertTrue(work != null, "queue " + queues.work() + " is documented");
            assertEquals(new TreeSet<>(queues.routingKeys()), new TreeSet<>(texts(work.path("x-orderflow-routing-keys"))));
            assertEquals(queues.deadLetter(), work.path("x-orderflow-dead-letter-queue").asText());
            assertEquals(messagesOf(queues.routingKeys()), new TreeSet<>(texts(work.path("messages").fieldNames())));
            declared.add(queues.work());
            for (int retry = 1; retry <= queues.retries().size(); retry++) {
                ConsumerQueues.RetryQueue queue = queues.retries().get(retry - 1);
                JsonNode documentedRetry = documented.get(queue.name());
                assertTrue(documentedRetry != null, "retry queue " + queue.name() + " is documented");
                assertEquals(retry, documentedRetry.path("x-orderflow-retry").asInt());
                assertEquals(queue.delay().toMillis(), documentedRetry.path("x-orderflow-message-ttl-ms").asLong());
                declared.add(queue.name());
            }
            assertTrue(documented.containsKey(queues.deadLetter()), "dead-letter queue " + queues.deadLetter() + " is documented");
            declared.add(queues.deadLetter());
        }
        assertEquals(declared, new TreeSet<>(documented.keySet()), "no queue is documented that the app does not declare");
    }

    @Test
    void everyMessageIsTheEnvelopeWithTheDataSchemaOfItsTypeAndVersion() {
        Set<String> documented = new TreeSet<>();
        asyncApi.at("/components/messages").fields().forEachRemaining(entry -> {
            JsonNode message = entry.getValue();
            String type = message.path("name").asText();
            JsonNode parts = message.at("/payload/allOf");
            int version = parts.at("/1/properties/version/const").asInt();
            assertEquals(type, parts.at("/1/properties/type/const").asText(), entry.getKey());
            assertEquals(schemaRef(EventSchemas.DIRECTORY + "/envelope.json"), parts.at("/0/$ref").asText(), entry.getKey());
            assertEquals(schemaRef(EventSchemas.path(type, version)), parts.at("/1/properties/data/$ref").asText(), entry.getKey());
            assertEquals(type + "V" + version, entry.getKey());
            documented.add(entry.getKey());
        });
        assertEquals(messagesOf(EventTypes.ALL.stream().map(EventType::name).toList()), documented);
    }

    @Test
    void everySchemaTheDocumentRefersToExists() {
        Set<String> refs = new TreeSet<>();
        asyncApi.findValues("$ref").forEach(ref -> refs.add(ref.asText()));
        refs.stream().filter(ref -> !ref.startsWith("#"))
                .forEach(ref -> assertTrue(Files.isRegularFile(DOCUMENT.getParent().resolve(ref)), ref));
    }

    @Test
    void theHeadersAreTheCloudEventsAttributesThePublisherWrites() {
        JsonNode headers = asyncApi.at("/components/schemas/CloudEventsHeaders");

        assertEquals(new TreeSet<>(CloudEventsMapping.HEADERS), new TreeSet<>(texts(headers.path("properties").fieldNames())));
        assertTrue(CloudEventsMapping.HEADERS.containsAll(texts(headers.path("required"))));
    }

    /**
     * The topology as the app computes it, from its real consumers and application.properties without
     * a profile (the names the document shows), read with the expansion and duration syntax Quarkus uses.
     */
    private Topology defaultTopology() throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(getClass().getClassLoader().getResource("application.properties"), 100))
                .withMapping(MessagingConfig.class)
                .build();
        return new Topology(config.getConfigMapping(MessagingConfig.class), bothRoles(), subscribers);
    }

    private static RolesConfig bothRoles() {
        return new RolesConfig() {
            @Override
            public boolean orders() {
                return true;
            }

            @Override
            public boolean shipping() {
                return true;
            }
        };
    }

    private static List<JsonNode> channels(String kind) {
        List<JsonNode> channels = new ArrayList<>();
        asyncApi.path("channels").forEach(channel -> {
            if (kind.equals(channel.at("/bindings/amqp/is").asText())) {
                channels.add(channel);
            }
        });
        return channels;
    }

    /** The message names of every version of the given types, e.g. OrderCreatedV1, OrderCreatedV2. */
    private static Set<String> messagesOf(List<String> types) {
        Set<String> names = new TreeSet<>();
        for (String name : types) {
            EventType<?> type = EventTypes.named(name).orElseThrow();
            for (int version = 1; version <= type.version(); version++) {
                names.add(name + "V" + version);
            }
        }
        return names;
    }

    private static String schemaRef(String resource) {
        return "../resources/" + resource;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static List<String> texts(Iterator<String> names) {
        List<String> texts = new ArrayList<>();
        names.forEachRemaining(texts::add);
        return texts;
    }
}
