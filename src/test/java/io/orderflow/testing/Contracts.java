package io.orderflow.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.orderflow.events.EventSchemas;
import io.orderflow.events.EventType;
import io.orderflow.events.EventTypes;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The golden sample messages under {@code src/test/resources/contracts/{type}/v{n}.json} that the
 * producer and the consumer tests share, and the schema checks both sides make on an envelope.
 */
public final class Contracts {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRITTEN = "select body from outbox where event_type = $1 and (body::jsonb #>> '{data,order_id}') = $2";
    private static final EventSchemas SCHEMAS = new EventSchemas();
    private static final JsonSchema ENVELOPE = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(resource(EventSchemas.DIRECTORY + "/envelope.json"),
                    SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

    private Contracts() {
    }

    /** One golden sample: a full envelope of {@code type} at {@code version}. */
    public record Golden(String type, int version, ObjectNode envelope) {
        @Override
        public String toString() {
            return type + " v" + version;
        }
    }

    /** The golden sample of every version of every type the build knows. */
    public static List<Golden> all() {
        List<Golden> samples = new ArrayList<>();
        for (EventType<?> type : EventTypes.ALL) {
            for (int version = 1; version <= type.version(); version++) {
                samples.add(golden(type.name(), version));
            }
        }
        return samples;
    }

    public static Golden golden(String type, int version) {
        String path = "contracts/" + EventSchemas.folder(type) + "/v" + version + ".json";
        return new Golden(type, version, (ObjectNode) resource(path));
    }

    /** The sample as a message body of its own: a fresh event id, and the order id (and subject) given. */
    public static String withIds(Golden sample, UUID orderId) {
        ObjectNode envelope = sample.envelope().deepCopy();
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("subject", orderId.toString());
        ((ObjectNode) envelope.get("data")).put("order_id", orderId.toString());
        return envelope.toString();
    }

    /** The envelope a service wrote to the outbox for an order: what its relay will publish, byte for byte. */
    public static JsonNode written(Pool pool, String type, UUID orderId) {
        RowSet<Row> rows = pool.preparedQuery(WRITTEN)
                .execute(Tuple.of(type, orderId.toString()))
                .await().atMost(Duration.ofSeconds(10));
        if (rows.size() != 1) {
            throw new AssertionError(rows.size() + " " + type + " outbox rows for order " + orderId + ", expected 1");
        }
        return parse(rows.iterator().next().getString("body"));
    }

    /** Everything the envelope and data schemas find wrong with an envelope; empty when it conforms. */
    public static List<String> violations(JsonNode envelope) {
        List<String> violations = new ArrayList<>(ENVELOPE.validate(envelope).stream().map(ValidationMessage::getMessage).toList());
        String type = envelope.path("type").asText();
        int version = envelope.path("version").asInt();
        if (!SCHEMAS.knows(type, version)) {
            violations.add("no schema for " + type + " v" + version);
        } else {
            violations.addAll(SCHEMAS.violations(type, version, envelope.path("data")));
        }
        return violations;
    }

    /** The paths of every field in a JSON document, e.g. {@code id} and {@code data.order_id}: its shape. */
    public static TreeSet<String> shape(JsonNode node) {
        TreeSet<String> paths = new TreeSet<>();
        collect("", node, paths);
        return paths;
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(String prefix, JsonNode node, TreeSet<String> paths) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix + field.getKey();
            paths.add(path);
            if (field.getValue().isObject()) {
                collect(path + ".", field.getValue(), paths);
            }
        }
    }

    private static JsonNode resource(String path) {
        try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
