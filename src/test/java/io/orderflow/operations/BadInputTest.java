package io.orderflow.operations;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.orderflow.testing.Broker;
import io.orderflow.testing.Events;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Raw bad bytes on the real broker, each followed by a good event: every bad one is dead-lettered
 * with a reason that says what is wrong, and every good one behind it is applied.
 */
@QuarkusTest
class BadInputTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String JSON = "application/json";

    @Inject
    Pool pool;

    /** One bad message and the reason codes it may be dead-lettered with. */
    private record Bad(String name, byte[] body, String contentType, Map<String, Object> headers, List<String> reasons) {
        static Bad of(String name, String body, String... reasons) {
            return new Bad(name, body.getBytes(StandardCharsets.UTF_8), JSON, null, List.of(reasons));
        }
    }

    @Test
    void everyBadInputIsDeadLetteredWithItsReasonAndTheGoodOnesBetweenAreApplied() {
        List<Bad> bad = badInputs();
        Map<String, String> messageIds = new LinkedHashMap<>();
        List<UUID> goodOrders = new ArrayList<>();
        try (Broker broker = Broker.connect()) {
            for (Bad input : bad) {
                String messageId = "bad-" + input.name() + "-" + UUID.randomUUID();
                messageIds.put(input.name(), messageId);
                broker.publishRaw("OrderCreated", input.body(), input.contentType(), messageId, input.headers());
                UUID order = UUID.randomUUID();
                goodOrders.add(order);
                broker.publishRaw("OrderCreated", Events.orderCreated(UUID.randomUUID(), order, "after-" + input.name())
                        .getBytes(StandardCharsets.UTF_8), JSON, null, Map.of(
                                "x-orderflow-retries", "banana", "x-weird", Map.of("nested", List.of(1, "two"))));
            }
        }

        for (UUID order : goodOrders) {
            await().atMost(TIMEOUT).untilAsserted(() -> given().get("/shipments/{id}", order).then().statusCode(200));
        }
        for (Bad input : bad) {
            String reason = awaitReason(messageIds.get(input.name()));
            assertTrue(input.reasons().contains(reason), input.name() + " was dead-lettered as " + reason);
        }
    }

    private static List<Bad> badInputs() {
        UUID order = UUID.randomUUID();
        String valid = Events.orderCreated(UUID.randomUUID(), order, "valid-but-mislabelled");
        List<Bad> inputs = new ArrayList<>(List.of(
                Bad.of("empty", "", "unreadable"),
                Bad.of("not-json", "hello, broker", "unreadable"),
                Bad.of("truncated", valid.substring(0, valid.length() / 2), "unreadable"),
                Bad.of("array", "[1, 2, 3]", "unreadable"),
                Bad.of("nested", "[".repeat(50_000) + "]".repeat(50_000), "unreadable"),
                Bad.of("unknown-type", Events.envelope(UUID.randomUUID(), "OrderTeleported", 1, "{}"), "unknown-type"),
                Bad.of("unknown-version", Events.envelope(UUID.randomUUID(), "OrderCreated", 99, "{}"), "unsupported-version"),
                Bad.of("missing-fields", Events.envelope(UUID.randomUUID(), "OrderCreated", 1, "{\"customer_id\":\"c\"}"),
                        "schema-violation"),
                Bad.of("wrong-types", Events.envelope(UUID.randomUUID(), "OrderCreated", 1,
                        "{\"order_id\":42,\"customer_id\":[],\"total_cents\":\"ten\",\"currency\":1}"), "schema-violation"),
                Bad.of("huge-number", Events.envelope(UUID.randomUUID(), "OrderCreated", 1, "{\"order_id\":\"" + order
                        + "\",\"customer_id\":\"c\",\"total_cents\":123456789012345678901234567890,\"currency\":\"EUR\"}"),
                        "schema-violation", "invalid-payload"),
                Bad.of("envelope-wrong-types", "{\"id\":7,\"type\":[],\"time\":true,\"version\":\"one\",\"data\":{}}",
                        "unreadable"),
                new Bad("wrong-content-type", valid.getBytes(StandardCharsets.UTF_8), "text/plain", null,
                        List.of("unsupported-content-type")),
                new Bad("too-large", ("{\"padding\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8),
                        JSON, null, List.of("too-large"))));
        // "ab" inside the id becomes 0xC3 0x28: a lead byte without its continuation byte.
        byte[] invalidUtf8 = "{\"id\":\"ab\",\"type\":\"OrderCreated\"}".getBytes(StandardCharsets.UTF_8);
        invalidUtf8[7] = (byte) 0xC3;
        invalidUtf8[8] = (byte) 0x28;
        inputs.add(new Bad("invalid-utf8", invalidUtf8, JSON, null, List.of("unreadable")));
        return inputs;
    }

    private String awaitReason(String messageId) {
        String[] reason = new String[1];
        await().atMost(TIMEOUT).until(() -> {
            for (Row row : pool.preparedQuery("select reason from dead_letters where consumer = 'shipping' and message_id = $1")
                    .execute(Tuple.of(messageId)).await().atMost(Duration.ofSeconds(10))) {
                reason[0] = row.getString("reason");
            }
            return reason[0] != null;
        });
        return reason[0];
    }
}
