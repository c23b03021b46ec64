package io.orderflow.orders;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.orderflow.events.CloudEventsMapping;
import io.orderflow.events.EventCodec;
import io.orderflow.events.OrderCreated;
import io.orderflow.events.OrderShipped;
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
 * The orders role against the golden samples: the OrderCreated it writes has the schema and shape
 * of the newest sample, and every version of the OrderShipped sample is applied by its consumer.
 */
@QuarkusTest
@TestProfile(InMemoryBus.class)
class OrdersContractTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector bus;

    @Inject
    Pool pool;

    @Inject
    EventCodec codec;

    private InMemorySource<Message<byte[]>> orders;
    private InMemorySink<byte[]> events;

    @BeforeEach
    void connect() {
        orders = bus.<Message<byte[]>> source("orders").runOnVertxContext(true);
        events = bus.sink("events");
    }

    @Test
    void orderCreatedAsTheServiceWritesItConformsToItsSchemaAndHasTheShapeOfTheNewestSample() {
        UUID orderId = createOrder("contract-producer");

        JsonNode written = Contracts.written(pool, "OrderCreated", orderId);

        assertEquals(List.of(), Contracts.violations(written));
        assertEquals(OrderCreated.TYPE.version(), written.get("version").asInt());
        assertEquals(Contracts.shape(Contracts.golden("OrderCreated", OrderCreated.TYPE.version()).envelope()), Contracts.shape(written));
    }

    @Test
    void anOrderWithoutASalesChannelLeavesTheOptionalFieldOut() {
        String id = given().contentType("application/json")
                .body("{\"customer_id\":\"contract-no-channel\",\"total_cents\":300,\"currency\":\"EUR\"}")
                .post("/orders").then().statusCode(201).extract().path("order_id");

        JsonNode written = Contracts.written(pool, "OrderCreated", UUID.fromString(id));

        assertEquals(List.of(), Contracts.violations(written));
        assertFalse(written.get("data").has("sales_channel"));
    }

    @Test
    void publishedOrderCreatedCarriesItsEnvelopeAsCloudEventsAttributes() {
        UUID orderId = createOrder("contract-cloudevents");

        Message<byte[]> published = await().atMost(TIMEOUT).until(() -> publishedFor(orderId), Optional::isPresent).orElseThrow();

        OutgoingRabbitMQMetadata metadata = published.getMetadata(OutgoingRabbitMQMetadata.class).orElseThrow();
        assertEquals(CloudEventsMapping.headers(codec.decode(published.getPayload())), metadata.getHeaders());
        assertEquals("application/json", metadata.getContentType());
    }

    @Test
    void everyVersionOfTheGoldenOrderShippedShipsTheOrder() {
        for (int version = 1; version <= OrderShipped.TYPE.version(); version++) {
            UUID orderId = createOrder("contract-consumer-v" + version);
            TrackedMessage message = new TrackedMessage(Contracts.withIds(Contracts.golden("OrderShipped", version), orderId));
            orders.send(message.message());

            await().atMost(TIMEOUT).until(message::settled);
            assertTrue(message.acked(), "OrderShipped v" + version);
            given().get("/orders/{id}", orderId).then().statusCode(200).body("status", is("SHIPPED"));
        }
    }

    private static UUID createOrder(String customer) {
        String id = given().contentType("application/json")
                .body("{\"customer_id\":\"" + customer + "\",\"total_cents\":1250,\"currency\":\"EUR\",\"sales_channel\":\"web\"}")
                .post("/orders").then().statusCode(201).extract().path("order_id");
        return UUID.fromString(id);
    }

    private Optional<Message<byte[]>> publishedFor(UUID orderId) {
        String marker = orderId.toString();
        return events.received().stream()
                .filter(message -> new String(message.getPayload(), StandardCharsets.UTF_8).contains(marker))
                .map(message -> (Message<byte[]>) message)
                .findFirst();
    }
}
