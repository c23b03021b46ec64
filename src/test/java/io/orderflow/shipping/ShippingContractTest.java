package io.orderflow.shipping;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.orderflow.events.OrderCreated;
import io.orderflow.events.OrderShipped;
import io.orderflow.messaging.DeliveryHeaders;
import io.orderflow.testing.Contracts;
import io.orderflow.testing.InMemoryBus;
import io.orderflow.testing.TrackedMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The shipping role against the golden samples: every OrderCreated version opens a shipment through
 * the upcaster chain, what no version allows is dead-lettered unread, and the OrderShipped it writes
 * has the schema and shape of the newest sample.
 */
@QuarkusTest
@TestProfile(InMemoryBus.class)
class ShippingContractTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String DLQ = "orderflow-test.shipping.dlq";

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector bus;

    @Inject
    Pool pool;

    private InMemorySource<Message<byte[]>> shipping;
    private InMemorySink<byte[]> redeliveries;

    @BeforeEach
    void connect() {
        shipping = bus.<Message<byte[]>> source("shipping").runOnVertxContext(true);
        redeliveries = bus.sink("redeliveries");
    }

    @Test
    void everyVersionOfTheGoldenOrderCreatedOpensAPendingShipment() {
        for (int version = 1; version <= OrderCreated.TYPE.version(); version++) {
            Contracts.Golden sample = Contracts.golden("OrderCreated", version);
            UUID orderId = UUID.randomUUID();

            TrackedMessage message = deliver(Contracts.withIds(sample, orderId));

            assertTrue(message.acked(), sample.toString());
            given().get("/shipments/{id}", orderId).then().statusCode(200)
                    .body("status", is("PENDING"))
                    .body("customer_id", is(sample.envelope().at("/data/customer_id").asText()));
        }
    }

    @Test
    void aVersionNewerThanTheConsumerKnowsIsDeadLetteredUnread() {
        UUID orderId = UUID.randomUUID();
        ObjectNode newer = (ObjectNode) Contracts.parse(Contracts.withIds(Contracts.golden("OrderCreated", OrderCreated.TYPE.version()), orderId));
        newer.put("version", OrderCreated.TYPE.version() + 1);

        assertDeadLetteredUnread(newer.toString(), orderId, "unsupported-version");
    }

    @Test
    void dataBreakingTheSchemaOfItsOwnVersionIsDeadLetteredAsASchemaViolation() {
        UUID orderId = UUID.randomUUID();
        ObjectNode v1WithAV2Field = (ObjectNode) Contracts.parse(Contracts.withIds(Contracts.golden("OrderCreated", 1), orderId));
        ((ObjectNode) v1WithAV2Field.get("data")).put("sales_channel", "web");

        assertDeadLetteredUnread(v1WithAV2Field.toString(), orderId, "schema-violation");
    }

    @Test
    void dataWithinItsSchemaThatBreaksADomainRuleIsStillAnInvalidPayload() {
        UUID orderId = UUID.randomUUID();
        ObjectNode unknownCurrency = (ObjectNode) Contracts.parse(Contracts.withIds(Contracts.golden("OrderCreated", 2), orderId));
        ((ObjectNode) unknownCurrency.get("data")).put("currency", "XYZ");

        assertDeadLetteredUnread(unknownCurrency.toString(), orderId, "invalid-payload");
    }

    @Test
    void orderShippedAsTheServiceWritesItConformsToItsSchemaAndHasTheShapeOfTheNewestSample() {
        UUID orderId = UUID.randomUUID();
        assertTrue(deliver(Contracts.withIds(Contracts.golden("OrderCreated", OrderCreated.TYPE.version()), orderId)).acked());
        given().post("/shipments/{id}/ship", orderId).then().statusCode(200);

        JsonNode written = Contracts.written(pool, "OrderShipped", orderId);

        assertEquals(List.of(), Contracts.violations(written));
        assertEquals(OrderShipped.TYPE.version(), written.get("version").asInt());
        assertEquals(Contracts.shape(Contracts.golden("OrderShipped", OrderShipped.TYPE.version()).envelope()), Contracts.shape(written));
    }

    private TrackedMessage deliver(String body) {
        TrackedMessage message = new TrackedMessage(body);
        shipping.send(message.message());
        await().atMost(TIMEOUT).until(message::settled);
        return message;
    }

    private void assertDeadLetteredUnread(String body, UUID orderId, String reason) {
        assertTrue(deliver(body).acked(), "the original is acked once its dead letter is confirmed");

        byte[] expected = body.getBytes(StandardCharsets.UTF_8);
        Message<byte[]> deadLetter = redeliveries.received().stream()
                .filter(message -> Arrays.equals(message.getPayload(), expected))
                .findFirst().orElseThrow();
        OutgoingRabbitMQMetadata metadata = deadLetter.getMetadata(OutgoingRabbitMQMetadata.class).orElseThrow();
        assertEquals(DLQ, metadata.getRoutingKey());
        assertEquals(reason, metadata.getHeaders().get(DeliveryHeaders.REASON));
        given().get("/shipments/{id}", orderId).then().statusCode(404);
    }
}
