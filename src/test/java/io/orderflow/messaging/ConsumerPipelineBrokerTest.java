package io.orderflow.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.testing.Broker;
import io.orderflow.testing.BrokerTestSupport;
import io.orderflow.testing.DeadLetters;
import io.orderflow.testing.Events;
import io.orderflow.testing.Metrics;
import io.orderflow.testing.Sql;
import io.orderflow.testing.TableLock;
import io.quarkus.test.junit.QuarkusTest;

/** The consumer pipeline against the real RabbitMQ and Postgres: idempotency, retries, dead letters. */
@QuarkusTest
class ConsumerPipelineBrokerTest extends BrokerTestSupport {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    MeterRegistry registry;

    @Test
    void duplicateDeliveryOfTheSameEventIdHasOneEffect() {
        UUID eventId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        String event = Events.orderCreated(eventId, orderId, "dup-" + orderId);
        double duplicates = Metrics.consumed(registry, "shipping", "OrderCreated", "duplicate");

        broker.publishEvent("OrderCreated", event);
        broker.publishEvent("OrderCreated", event);

        await().atMost(TIMEOUT).until(() -> Metrics.consumed(registry, "shipping", "OrderCreated", "duplicate") > duplicates);
        assertEquals(1, Sql.count(pool, "select count(*) from shipments where order_id = $1", orderId));
        assertEquals(1, Sql.count(pool, "select count(*) from processed_events where consumer = 'shipping' and event_id = $1", eventId));
    }

    @Test
    void poisonMessageIsDeadLetteredWithItsReasonWhileTheMessageBehindItIsProcessed() {
        String poison = "{\"id\": \"" + UUID.randomUUID() + "\", this is not json";
        UUID goodOrder = UUID.randomUUID();

        broker.publishEvent("OrderCreated", poison);
        broker.publishEvent("OrderCreated", Events.orderCreated(UUID.randomUUID(), goodOrder, "behind-poison"));

        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/shipments/{id}", goodOrder).then().statusCode(200));
        DeadLetters.Stored deadLetter = DeadLetters.awaitStored(pool, "shipping", poison, TIMEOUT);
        assertEquals("unreadable", deadLetter.reason());
        assertEquals("shipping", deadLetter.consumer());
        assertEquals(Broker.SHIPPING_QUEUE, deadLetter.originalQueue());
        assertTrue(deadLetter.exception().contains("RejectedEventException"));
        assertTrue(deadLetter.headers().contains(DeliveryHeaders.FIRST_FAILURE));
    }

    @Test
    void handlerThatFailsTwiceThenSucceedsIsRetriedAndAppliedOnce() {
        UUID eventId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        String customer = "flaky-" + orderId;
        failInserts("shipments", customer, 2);
        double retried = Metrics.consumed(registry, "shipping", "OrderCreated", "retried");

        broker.publishEvent("OrderCreated", Events.orderCreated(eventId, orderId, customer));

        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/shipments/{id}", orderId)
                .then().statusCode(200).body("status", is("PENDING")));
        assertEquals(retried + 2, Metrics.consumed(registry, "shipping", "OrderCreated", "retried"));
        assertEquals(1, Sql.count(pool, "select count(*) from processed_events where consumer = 'shipping' and event_id = $1", eventId));
        assertTrue(DeadLetters.find(pool, "shipping", customer).isEmpty());
    }

    @Test
    void aDeliveryFailingInsideABatchFailsAloneWhileTheRestOfItsBatchCommits() {
        String customer = "batch-" + UUID.randomUUID();
        String doomed = "doomed-" + customer;
        failInserts("shipments", doomed, Integer.MAX_VALUE);
        double splits = Metrics.counter(registry, "orderflow.consumer.batch.split", "consumer", "shipping");
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            events.add(Events.orderCreated(UUID.randomUUID(), UUID.randomUUID(), customer));
        }
        UUID doomedOrder = UUID.randomUUID();
        events.add(40, Events.orderCreated(UUID.randomUUID(), doomedOrder, doomed));

        // While shipments are locked the deliveries pile up, so they reach the pipeline as full batches.
        try (TableLock shipments = TableLock.exclusive(pool, "shipments")) {
            broker.publishAllToQueue(Broker.SHIPPING_QUEUE, events);
            await().atMost(TIMEOUT).until(() -> broker.depth(Broker.SHIPPING_QUEUE) == 0);
        }

        await().atMost(TIMEOUT).until(() -> Sql.count(pool, "select count(*) from shipments where customer_id = $1", customer) == 60);
        assertTrue(Metrics.counter(registry, "orderflow.consumer.batch.split", "consumer", "shipping") > splits);
        DeadLetters.Stored deadLetter = DeadLetters.awaitStored(pool, "shipping", doomed, TIMEOUT);
        assertEquals("retries-exhausted", deadLetter.reason());
        assertEquals(0, Sql.count(pool, "select count(*) from shipments where order_id = $1", doomedOrder));
    }

    @Test
    void messageThatKeepsFailingIsDeadLetteredAfterTheRetryLimit() {
        UUID orderId = UUID.randomUUID();
        String customer = "doomed-" + orderId;
        failInserts("shipments", customer, Integer.MAX_VALUE);

        broker.publishEvent("OrderCreated", Events.orderCreated(UUID.randomUUID(), orderId, customer));

        DeadLetters.Stored deadLetter = DeadLetters.awaitStored(pool, "shipping", customer, TIMEOUT);
        assertEquals("retries-exhausted", deadLetter.reason());
        assertEquals(5, deadLetter.retries());
        assertTrue(deadLetter.error().contains("injected transient failure"), deadLetter.error());
        assertEquals(0, Sql.count(pool, "select count(*) from shipments where order_id = $1", orderId));
    }

}
