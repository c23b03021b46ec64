package io.orderflow.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.shipping.OrderCreatedConsumer;
import io.orderflow.testing.Events;
import io.orderflow.testing.Metrics;
import io.orderflow.testing.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The two ways a batch is applied, on the real database: the expected way (writes sent with the
 * locks and claims, checked there) and the careful way (locks and claims read first). A batch that
 * does not find what the expected way assumes must fail before any write, and leave the careful way
 * to apply it.
 */
@QuarkusTest
class BatchApplierTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Inject
    Pool pool;

    @Inject
    BatchApplier applier;

    @Inject
    EventRouter router;

    @Inject
    OrderCreatedConsumer shipping;

    @Inject
    AggregateProgress progress;

    @Inject
    Inbox inbox;

    @Inject
    ConsumerMetrics metrics;

    @Inject
    MeterRegistry registry;

    @Test
    void newEventsAreAppliedTheExpectedWayWithTheirClaimsAndProgress() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();

        BatchApplier.Result result = expecting(batch(created(first), created(second)));

        assertEquals(List.of(Outcome.APPLIED, Outcome.APPLIED), result.outcomes());
        assertEquals(2, Sql.count(pool, "select count(*) from shipments where order_id = any($1)", (Object) new UUID[] { first, second }));
        assertEquals(2, Sql.count(pool, """
                select count(*) from aggregate_progress
                where consumer = 'shipping' and aggregate_id = any($1) and last_sequence = 1 and not has_parked""",
                (Object) new String[] { first.toString(), second.toString() }));
    }

    @Test
    void aBatchHoldingAnEventAppliedBeforeFailsTheExpectedWayWithoutWritingAndTheCarefulWayAppliesTheRest() {
        UUID known = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        String again = created(known);
        expecting(batch(again));
        List<RoutedEvent<?>> redelivered = batch(again, created(fresh));

        Throwable failure = assertThrows(CompletionException.class, () -> expecting(redelivered)).getCause();
        assertTrue(BatchExpectation.missed(failure), failure.toString());
        assertEquals(0, Sql.count(pool, "select count(*) from shipments where order_id = $1", fresh));
        assertEquals(0, Sql.count(pool, "select count(*) from aggregate_progress where aggregate_id = $1", fresh.toString()));

        BatchApplier.Result careful = carefully(redelivered);
        assertFalse(careful.asExpected());
        assertEquals(Outcome.APPLIED, outcomeOf(redelivered, careful, fresh));
        assertEquals(Outcome.STALE, outcomeOf(redelivered, careful, known));
        assertEquals(1, Sql.count(pool, "select count(*) from shipments where order_id = $1", fresh));
    }

    @Test
    void anAggregateFurtherAlongThanTheBatchExpectsFailsTheExpectedWay() {
        UUID order = UUID.randomUUID();
        expecting(batch(Events.sequenced(UUID.randomUUID(), "OrderCreated", order, 1,
                Events.orderCreatedData(order, "further-" + order, 100, "EUR"))));
        // Step 1 is applied; a batch starting at step 3 expects step 2 (a gap: the careful way parks it).
        List<RoutedEvent<?>> gap = batch(Events.sequenced(UUID.randomUUID(), "OrderCreated", order, 3,
                Events.orderCreatedData(order, "further-" + order, 100, "EUR")));

        Throwable failure = assertThrows(CompletionException.class, () -> expecting(gap)).getCause();

        assertTrue(BatchExpectation.missed(failure), failure.toString());
        assertEquals(1, Sql.count(pool, "select last_sequence from aggregate_progress where consumer = 'shipping' and aggregate_id = $1",
                order.toString()));
    }

    @Test
    void aMissIsAppliedAgainTheCarefulWayAndCounted() {
        BatchApplier tryingFirst = new BatchApplier(progress, inbox, new BatchExpectation(), metrics);
        UUID known = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        String again = created(known);
        expecting(batch(again));
        List<RoutedEvent<?>> redelivered = batch(again, created(fresh));
        double missed = Metrics.counter(registry, "orderflow.consumer.batch.expectation.missed", "consumer", "shipping");

        BatchApplier.Result result = tryingFirst.applyInTransaction(pool, shipping.consumer(), redelivered)
                .await().atMost(TIMEOUT);

        assertEquals(Outcome.APPLIED, outcomeOf(redelivered, result, fresh));
        assertEquals(Outcome.STALE, outcomeOf(redelivered, result, known));
        assertEquals(missed + 1, Metrics.counter(registry, "orderflow.consumer.batch.expectation.missed", "consumer", "shipping"));
    }

    /** An event without a sequence has no progress row to tell it was applied: only its claim can. */
    @Test
    void anUnsequencedEventAppliedBeforeFailsTheExpectedWayAtItsClaim() {
        UUID order = UUID.randomUUID();
        String unsequenced = Events.orderCreated(UUID.randomUUID(), order, "unsequenced-" + order);
        expecting(batch(unsequenced));

        Throwable failure = assertThrows(CompletionException.class, () -> expecting(batch(unsequenced))).getCause();

        assertTrue(BatchExpectation.missed(failure), failure.toString());
        assertEquals(List.of(Outcome.DUPLICATE), carefully(batch(unsequenced)).outcomes());
    }

    @Test
    void theCarefulWayTellsWhetherTheExpectedWayWouldHaveHeld() {
        List<RoutedEvent<?>> fresh = batch(created(UUID.randomUUID()), created(UUID.randomUUID()));

        assertTrue(carefully(fresh).asExpected());
        assertFalse(carefully(fresh).asExpected());
    }

    private BatchApplier.Result expecting(List<RoutedEvent<?>> items) {
        return inTransaction(sql -> applier.applyExpecting(sql, shipping.consumer(), items));
    }

    private BatchApplier.Result carefully(List<RoutedEvent<?>> items) {
        return inTransaction(sql -> applier.apply(sql, shipping.consumer(), items));
    }

    private BatchApplier.Result inTransaction(Function<SqlConnection, Uni<BatchApplier.Result>> work) {
        return PipelinedTransaction.run(pool, work).subscribeAsCompletionStage().join();
    }

    /** Sorted as the pipeline sorts a batch: by aggregate, then step. */
    private List<RoutedEvent<?>> batch(String... events) {
        return Arrays.stream(events)
                .<RoutedEvent<?>>map(event -> router.route(event.getBytes(StandardCharsets.UTF_8), shipping.consumer()))
                .sorted(Comparator.<RoutedEvent<?>, String>comparing(event -> String.valueOf(event.envelope().subject()))
                        .thenComparingLong(event -> event.sequenced() ? event.envelope().sequence() : 0))
                .toList();
    }

    private static String created(UUID order) {
        return Events.sequenced(UUID.randomUUID(), "OrderCreated", order, 1, Events.orderCreatedData(order, "batch-" + order, 100, "EUR"));
    }

    private static Outcome outcomeOf(List<RoutedEvent<?>> items, BatchApplier.Result result, UUID order) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).envelope().subject().equals(order.toString())) {
                return result.outcomes().get(i);
            }
        }
        throw new AssertionError("no event of order " + order + " in the batch");
    }
}
