package io.orderflow.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.orderflow.testing.Contracts;

/** The schema index, the schemas themselves, and the edge check a consumer makes with them. */
class EventSchemasTest {

    private static final Path SCHEMA_FILES = Path.of("src/main/resources", EventSchemas.DIRECTORY);

    private final EventSchemas schemas = new EventSchemas();

    @Test
    void everySchemaFileIsAnIndexedTypeAndVersionAndEveryIndexedOneHasAFile() throws IOException {
        Set<String> indexed = new TreeSet<>();
        EventTypes.ALL.forEach(type -> {
            for (int version = 1; version <= type.version(); version++) {
                indexed.add(EventSchemas.path(type.name(), version));
            }
        });
        indexed.add(EventSchemas.DIRECTORY + "/envelope.json");
        try (Stream<Path> files = Files.walk(SCHEMA_FILES)) {
            Set<String> onDisk = files.filter(Files::isRegularFile)
                    .map(file -> EventSchemas.DIRECTORY + "/" + SCHEMA_FILES.relativize(file).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(indexed, onDisk);
        }
    }

    @Test
    void everyIndexedVersionIsLoaded() {
        EventTypes.ALL.forEach(type -> {
            for (int version = 1; version <= type.version(); version++) {
                assertTrue(schemas.knows(type.name(), version), type.name() + " v" + version);
            }
            assertTrue(!schemas.knows(type.name(), type.version() + 1));
        });
    }

    @Test
    void aSchemaNamesItsTypeAndVersionInItsId() {
        assertEquals("urn:orderflow:schemas:order-created:v2", EventSchemas.id("OrderCreated", 2).toString());
        assertEquals("schemas/order-shipped/v1.json", EventSchemas.path("OrderShipped", 1));
    }

    @Test
    void aTypeWhoseSchemaIsMissingFailsTheStart() {
        EventType<Object> missing = new EventType<>("OrderCancelled", 1, Object.class, List.of());

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> new EventSchemas(List.of(missing)));
        assertTrue(failure.getMessage().contains("schemas/order-cancelled/v1.json"), failure.getMessage());
    }

    @Test
    void everyGoldenSampleConformsToTheEnvelopeAndItsDataSchema() {
        for (Contracts.Golden sample : Contracts.all()) {
            assertEquals(List.of(), Contracts.violations(sample.envelope()), sample.toString());
        }
    }

    @Test
    void dataConformingToItsVersionPassesTheEdge() {
        schemas.validate(envelope(Contracts.golden("OrderCreated", 1).envelope()));
        schemas.validate(envelope(Contracts.golden("OrderCreated", 2).envelope()));
    }

    @Test
    void aMissingRequiredFieldIsASchemaViolation() {
        ObjectNode sample = Contracts.golden("OrderShipped", 1).envelope();
        ((ObjectNode) sample.get("data")).remove("shipped_at");

        assertRejected(sample, RejectReason.SCHEMA_VIOLATION, "shipped_at");
    }

    @Test
    void aFieldOfTheWrongFormatIsASchemaViolation() {
        ObjectNode sample = Contracts.golden("OrderCreated", 2).envelope();
        ((ObjectNode) sample.get("data")).put("order_id", "not-a-uuid");

        assertRejected(sample, RejectReason.SCHEMA_VIOLATION, "order_id");
    }

    @Test
    void aFieldOfALaterVersionIsNotPartOfTheEarlierOne() {
        ObjectNode sample = Contracts.golden("OrderCreated", 1).envelope();
        ((ObjectNode) sample.get("data")).put("sales_channel", "web");

        assertRejected(sample, RejectReason.SCHEMA_VIOLATION, "sales_channel");
    }

    @Test
    void aVersionWithoutASchemaIsUnsupported() {
        ObjectNode sample = Contracts.golden("OrderCreated", 2).envelope();
        sample.put("version", 3);

        assertRejected(sample, RejectReason.UNSUPPORTED_VERSION, "OrderCreated v3");
    }

    private void assertRejected(JsonNode sample, RejectReason reason, String mentioned) {
        RejectedEventException rejected = assertThrows(RejectedEventException.class, () -> schemas.validate(envelope(sample)));
        assertEquals(reason, rejected.reason());
        assertTrue(rejected.getMessage().contains(mentioned), rejected.getMessage());
    }

    private static EventEnvelope envelope(JsonNode sample) {
        return new EventEnvelope(UUID.fromString(sample.get("id").asText()), sample.get("type").asText(),
                sample.get("source").asText(), Instant.parse(sample.get("time").asText()), sample.get("version").asInt(),
                sample.path("subject").asText(null), sample.path("sequence").asLong(), sample.get("data"));
    }
}
