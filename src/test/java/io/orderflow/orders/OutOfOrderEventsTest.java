package io.orderflow.orders;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.testing.Broker;
import io.orderflow.testing.BrokerTestSupport;
import io.orderflow.testing.Events;
import io.orderflow.testing.Metrics;
import io.orderflow.testing.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Events of one order arriving out of order, duplicated, in competing batches (two in flight, each
 * its own transaction): they are parked, replayed in order, and the state converges to the state
 * of the in-order stream.
 */
@QuarkusTest
class OutOfOrderEventsTest extends BrokerTestSupport {

    private static final int ORDERS = 1_000;
    private static final double DUPLICATE_SHARE = 0.25;

    @Inject
    MeterRegistry registry;

    /** What one order looks like after its whole stream was applied in order. */
    private record Expected(UUID orderId, String customerId, long totalCents, String currency, Instant shippedAt) {
    }

    @Test
    void randomPermutationsWithDuplicatesAcrossCompetingBatchesConvergeToTheInOrderState() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Expected> expected = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            Expected order = new Expected(UUID.randomUUID(), "conv-" + i, 100 + random.nextInt(100_000),
                    List.of("EUR", "USD", "GBP", "JPY").get(random.nextInt(4)),
                    Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(random.nextInt(3600)));
            expected.add(order);
            addWithDuplicates(messages, random, Events.sequenced(UUID.randomUUID(), "OrderCreated", order.orderId(), 1,
                    Events.orderCreatedData(order.orderId(), order.customerId(), order.totalCents(), order.currency())));
            addWithDuplicates(messages, random, Events.sequenced(UUID.randomUUID(), "OrderShipped", order.orderId(), 2,
                    Events.orderShippedData(order.orderId(), order.shippedAt())));
        }
        Collections.shuffle(messages, random);
        UUID[] ids = expected.stream().map(Expected::orderId).toArray(UUID[]::new);
        long started = System.nanoTime();

        broker.publishAllToQueue(Broker.ORDERS_QUEUE, messages);

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> Sql.count(pool,
                "select count(*) from orders where id = any($1) and status = 'SHIPPED'", (Object) ids) == ORDERS);
        System.out.printf("Convergence: %d orders, %d messages (seed %d) applied in %d ms%n", ORDERS, messages.size(),
                seed, Duration.ofNanos(System.nanoTime() - started).toMillis());
        assertEquals(expectedById(expected), actualById(ids));
        assertEquals(0, Sql.count(pool, "select count(*) from parked_events where consumer = 'orders' and aggregate_id = any($1)",
                (Object) stringIds(ids)));
        assertEquals(2L * ORDERS, Sql.count(pool,
                "select coalesce(sum(last_sequence), 0) from aggregate_progress where consumer = 'orders' and aggregate_id = any($1)",
                (Object) stringIds(ids)));
        // Every replay cleared its aggregate's flag, so their next events take the batch path again.
        assertEquals(0, Sql.count(pool,
                "select count(*) from aggregate_progress where consumer = 'orders' and aggregate_id = any($1) and has_parked",
                (Object) stringIds(ids)));
    }

    @Test
    void staleEventOlderThanWhatIsAppliedIsIgnored() {
        UUID orderId = UUID.randomUUID();
        broker.publishEvent("OrderShipped", Events.sequenced(UUID.randomUUID(), "OrderShipped", orderId, 2,
                Events.orderShippedData(orderId, Instant.parse("2026-01-02T03:04:05.678Z"))));
        broker.publishEvent("OrderCreated", Events.sequenced(UUID.randomUUID(), "OrderCreated", orderId, 1,
                Events.orderCreatedData(orderId, "original", 500, "EUR")));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/orders/{id}", orderId)
                .then().statusCode(200).body("status", is("SHIPPED")));
        double stale = Metrics.consumed(registry, "orders", "OrderCreated", "stale");

        // A second OrderCreated for step 1, with its own event id: not a duplicate, but stale.
        broker.publishEvent("OrderCreated", Events.sequenced(UUID.randomUUID(), "OrderCreated", orderId, 1,
                Events.orderCreatedData(orderId, "rewritten", 999, "USD")));

        await().atMost(Duration.ofSeconds(20)).until(() -> Metrics.consumed(registry, "orders", "OrderCreated", "stale") > stale);
        given().get("/orders/{id}", orderId).then().statusCode(200)
                .body("status", is("SHIPPED"))
                .body("customer_id", is("original"))
                .body("shipped_at", is("2026-01-02T03:04:05.678Z"))
                .body("applied_sequence", is(2));
    }

    @Test
    void orderShowsTheEventsParkedBehindAGapAndReplaysThemWhenItCloses() {
        UUID orderId = UUID.randomUUID();
        broker.publishEvent("OrderCreated", Events.sequenced(UUID.randomUUID(), "OrderCreated", orderId, 1,
                Events.orderCreatedData(orderId, "gap", 700, "EUR")));
        UUID stepThree = UUID.randomUUID();
        broker.publishEvent("OrderShipped", Events.sequenced(stepThree, "OrderShipped", orderId, 3,
                Events.orderShippedData(orderId, Instant.now())));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/orders/{id}", orderId)
                .then().statusCode(200)
                .body("status", is("CREATED"))
                .body("applied_sequence", is(1))
                .body("parked_events", hasSize(1))
                .body("parked_events[0].event_id", is(stepThree.toString()))
                .body("parked_events[0].sequence", is(3)));
        assertEquals(1, parkedFlags(orderId), "the progress row tells the batch path that an event is parked");

        broker.publishEvent("OrderShipped", Events.sequenced(UUID.randomUUID(), "OrderShipped", orderId, 2,
                Events.orderShippedData(orderId, Instant.parse("2026-05-06T07:08:09.010Z"))));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/orders/{id}", orderId)
                .then().statusCode(200)
                .body("status", is("SHIPPED"))
                .body("shipped_at", is("2026-05-06T07:08:09.010Z"))
                .body("applied_sequence", is(3))
                .body("parked_events", hasSize(0)));
        assertEquals(1, Sql.count(pool, "select count(*) from processed_events where consumer = 'orders' and event_id = $1",
                stepThree));
        assertEquals(0, parkedFlags(orderId), "nothing is parked once the replay is done");
    }

    private long parkedFlags(UUID orderId) {
        return Sql.count(pool, "select count(*) from aggregate_progress where consumer = 'orders' and aggregate_id = $1 and has_parked",
                orderId.toString());
    }

    private static void addWithDuplicates(List<String> messages, Random random, String message) {
        messages.add(message);
        if (random.nextDouble() < DUPLICATE_SHARE) {
            messages.add(message);
        }
    }

    private static String[] stringIds(UUID[] ids) {
        String[] result = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            result[i] = ids[i].toString();
        }
        return result;
    }

    private static Map<UUID, Expected> expectedById(List<Expected> expected) {
        Map<UUID, Expected> result = new HashMap<>();
        expected.forEach(order -> result.put(order.orderId(), order));
        return result;
    }

    private Map<UUID, Expected> actualById(UUID[] ids) {
        Map<UUID, Expected> result = new HashMap<>();
        pool.preparedQuery("select id, customer_id, total_cents, currency, shipped_at from orders where id = any($1)")
                .execute(Tuple.of((Object) ids)).await().atMost(Duration.ofSeconds(10))
                .forEach((Row row) -> result.put(row.getUUID("id"), new Expected(row.getUUID("id"), row.getString("customer_id"),
                        row.getLong("total_cents"), row.getString("currency").trim(), row.getOffsetDateTime("shipped_at").toInstant())));
        return result;
    }
}
