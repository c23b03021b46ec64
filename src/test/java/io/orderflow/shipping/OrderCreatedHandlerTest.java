package io.orderflow.shipping;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.messaging.DeliveryHeaders;
import io.orderflow.testing.Events;
import io.orderflow.testing.InMemoryBus;
import io.orderflow.testing.Metrics;
import io.orderflow.testing.TrackedMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/** The shipping consumer on the in-memory bus: fast, no broker, the real pipeline and database. */
@QuarkusTest
@TestProfile(InMemoryBus.class)
class OrderCreatedHandlerTest {

    private static final String DLQ = "orderflow-test.shipping.dlq";

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector bus;

    @Inject
    MeterRegistry registry;

    private InMemorySource<Message<byte[]>> shipping;
    private InMemorySink<byte[]> redeliveries;

    @BeforeEach
    void connect() {
        shipping = bus.<Message<byte[]>> source("shipping").runOnVertxContext(true);
        redeliveries = bus.sink("redeliveries");
    }

    @Test
    void orderCreatedOpensAPendingShipmentAndAcks() {
        UUID orderId = UUID.randomUUID();
        TrackedMessage message = send(Events.orderCreated(UUID.randomUUID(), orderId, "customer-1"));

        await().atMost(Duration.ofSeconds(10)).until(message::settled);
        assertTrue(message.acked());
        given().get("/shipments/{id}", orderId).then()
                .statusCode(200)
                .body("status", is("PENDING"))
                .body("customer_id", is("customer-1"));
    }

    @Test
    void duplicateDeliveryIsAppliedOnce() {
        UUID eventId = UUID.randomUUID();
        String event = Events.orderCreated(eventId, UUID.randomUUID(), "customer-2");
        double applied = Metrics.consumed(registry, "shipping", "OrderCreated", "applied");
        double duplicates = Metrics.consumed(registry, "shipping", "OrderCreated", "duplicate");

        TrackedMessage first = send(event);
        await().atMost(Duration.ofSeconds(10)).until(first::settled);
        TrackedMessage second = send(event);
        await().atMost(Duration.ofSeconds(10)).until(second::settled);

        assertTrue(first.acked() && second.acked());
        assertEquals(applied + 1, Metrics.consumed(registry, "shipping", "OrderCreated", "applied"));
        assertEquals(duplicates + 1, Metrics.consumed(registry, "shipping", "OrderCreated", "duplicate"));
    }

    @Test
    void unreadableMessageIsDeadLetteredAtOnceWithItsReason() {
        assertDeadLettered("{\"id\": truncated", "unreadable");
    }

    @Test
    void emptyBodyIsDeadLettered() {
        assertDeadLettered("", "unreadable");
    }

    @Test
    void unknownTypeIsDeadLettered() {
        assertDeadLettered(Events.envelope(UUID.randomUUID(), "OrderCancelled", 1, "{\"order_id\":\"x\"}"), "unknown-type");
    }

    @Test
    void newerVersionThanTheConsumerKnowsIsDeadLettered() {
        assertDeadLettered(Events.envelope(UUID.randomUUID(), "OrderCreated", 9,
                "{\"order_id\":\"" + UUID.randomUUID() + "\",\"customer_id\":\"c\",\"total_cents\":1,\"currency\":\"EUR\"}"),
                "unsupported-version");
    }

    @Test
    void payloadFailingValidationIsDeadLettered() {
        assertDeadLettered(Events.envelope(UUID.randomUUID(), "OrderCreated", 1,
                "{\"order_id\":\"" + UUID.randomUUID() + "\",\"customer_id\":\"c\",\"total_cents\":-5,\"currency\":\"EUR\"}"),
                "schema-violation");
    }

    @Test
    void payloadWithWrongFieldTypesIsDeadLettered() {
        assertDeadLettered(Events.envelope(UUID.randomUUID(), "OrderCreated", 1,
                "{\"order_id\":\"not-a-uuid\",\"customer_id\":\"c\",\"total_cents\":\"many\",\"currency\":\"EUR\"}"),
                "schema-violation");
    }

    private void assertDeadLettered(String body, String reason) {
        TrackedMessage message = send(body);

        await().atMost(Duration.ofSeconds(10)).until(message::settled);
        assertTrue(message.acked(), "the original is acked once its dead letter is confirmed");
        Message<byte[]> deadLetter = redirectedWith(body);
        OutgoingRabbitMQMetadata metadata = deadLetter.getMetadata(OutgoingRabbitMQMetadata.class).orElseThrow();
        Map<String, Object> headers = metadata.getHeaders();
        assertEquals(DLQ, metadata.getRoutingKey());
        assertEquals(reason, headers.get(DeliveryHeaders.REASON));
        assertEquals("shipping", headers.get(DeliveryHeaders.CONSUMER));
        assertEquals("orderflow-test.shipping", headers.get(DeliveryHeaders.ORIGINAL_QUEUE));
        assertFalse(String.valueOf(headers.get(DeliveryHeaders.ERROR)).isBlank());
        assertTrue(headers.containsKey(DeliveryHeaders.EXCEPTION));
        assertTrue(headers.containsKey(DeliveryHeaders.FIRST_FAILURE));
    }

    private Message<byte[]> redirectedWith(String body) {
        byte[] expected = body.getBytes(StandardCharsets.UTF_8);
        List<? extends Message<byte[]>> matching = redeliveries.received().stream()
                .filter(message -> Arrays.equals(message.getPayload(), expected))
                .toList();
        assertEquals(1, matching.size(), "exactly one redirected copy of the message");
        return matching.get(0);
    }

    private TrackedMessage send(String body) {
        TrackedMessage message = new TrackedMessage(body);
        shipping.send(message.message());
        return message;
    }
}
