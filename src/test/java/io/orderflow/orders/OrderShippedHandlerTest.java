package io.orderflow.orders;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.orderflow.messaging.DeliveryHeaders;
import io.orderflow.testing.Events;
import io.orderflow.testing.InMemoryBus;
import io.orderflow.testing.TrackedMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/** The orders consumer on the in-memory bus. */
@QuarkusTest
@TestProfile(InMemoryBus.class)
class OrderShippedHandlerTest {

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector bus;

    private InMemorySource<Message<byte[]>> orders;
    private InMemorySink<byte[]> redeliveries;

    @BeforeEach
    void connect() {
        orders = bus.<Message<byte[]>> source("orders").runOnVertxContext(true);
        redeliveries = bus.sink("redeliveries");
    }

    @Test
    void orderShippedMovesTheOrderToShipped() {
        String orderId = given().contentType("application/json")
                .body("{\"customer_id\":\"c-9\",\"total_cents\":990,\"currency\":\"USD\"}")
                .post("/orders").then().statusCode(201).extract().path("order_id");

        TrackedMessage message = send(Events.orderShipped(UUID.randomUUID(), UUID.fromString(orderId)));

        await().atMost(Duration.ofSeconds(10)).until(message::settled);
        assertTrue(message.acked());
        given().get("/orders/{id}", orderId).then().statusCode(200)
                .body("status", is("SHIPPED"));
    }

    @Test
    void transientFailureIsSentToTheFirstRetryQueueWithACountHeader() {
        // OrderShipped for an order not created (yet) fails transiently: it goes to the retry queue.
        String body = Events.orderShipped(UUID.randomUUID(), UUID.randomUUID());
        TrackedMessage message = send(body);

        await().atMost(Duration.ofSeconds(10)).until(message::settled);
        assertTrue(message.acked(), "acked once the retry copy is confirmed");
        Message<byte[]> retry = redeliveries.received().stream()
                .filter(m -> Arrays.equals(m.getPayload(), body.getBytes(StandardCharsets.UTF_8)))
                .findFirst().orElseThrow();
        OutgoingRabbitMQMetadata metadata = retry.getMetadata(OutgoingRabbitMQMetadata.class).orElseThrow();
        assertEquals("orderflow-test.orders.retry.200ms", metadata.getRoutingKey());
        assertEquals(1, metadata.getHeaders().get(DeliveryHeaders.RETRIES));
    }

    private TrackedMessage send(String body) {
        TrackedMessage message = new TrackedMessage(body);
        orders.send(message.message());
        return message;
    }
}
