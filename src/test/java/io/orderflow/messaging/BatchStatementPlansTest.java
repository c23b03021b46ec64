package io.orderflow.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.orderflow.testing.GenericPlans;
import io.orderflow.testing.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The consumer's batch statements touch only the rows of their batch, however large the tables and
 * whatever Postgres knows of them. Two plans once read every progress row of the consumer per batch
 * (measured: 20 to 86 ms a batch at 100,000 rows; bench/throughput on a fresh database fell from
 * 3,300 to 800 events/s): a generic plan costed on the table as it was when made, and, without
 * statistics, a join that took "consumer = $1" for a handful of rows. The batch transaction now
 * allows generic plans (planning at every batch cost Postgres about a tenth of its CPU an event),
 * so each statement is written to have no plan but a lookup by key.
 */
@QuarkusTest
class BatchStatementPlansTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int EXECUTIONS = 10;
    private static final int CONSUMER_ROWS = 5_000;
    private static final int BATCH = 50;

    @Inject
    Pool pool;

    @Inject
    AggregateProgress progress;

    @Test
    void pipelineStatementsFindTheirRowsByKeyOnGenericPlansMadeOnEmptyTables() {
        List<String> offending = GenericPlans.notByKey(pool, List.of(
                new GenericPlans.Statement(AggregateProgress.LOCK_ALL, "'c', array['a'], array[1]"),
                new GenericPlans.Statement(AggregateProgress.LOCK_ALL_EXPECTING, "'c', array['a'], array[1], array[0]"),
                new GenericPlans.Statement(Inbox.CLAIM_ALL, "'c', array[gen_random_uuid()], array['t']"),
                new GenericPlans.Statement(Inbox.CLAIM_ALL_EXPECTING, "'c', array[gen_random_uuid()], array['t']"),
                new GenericPlans.Statement(Inbox.RELEASE_ALL, "'c', array[gen_random_uuid()]"),
                new GenericPlans.Statement(AggregateProgress.ADVANCE_ALL, "'c', array['a'], array[1]")));

        assertEquals(List.of(), offending);
    }

    /** A lookup on the key's prefix (the parked check, as it once was): the check must catch it, or it proves nothing. */
    @Test
    void scanOfAllTheConsumersParkedEventsIsCaughtOnAnEmptyTable() {
        List<String> offending = GenericPlans.notByKey(pool, List.of(new GenericPlans.Statement(
                "select distinct aggregate_id from parked_events where consumer = $1 and aggregate_id = any($2::varchar[])",
                "'c', array['a']")));

        assertEquals(1, offending.size(), "the plan should filter all of the consumer's parked events: " + offending);
    }

    @Test
    void batchTransactionsUseGenericPlansAndEveryOtherUsePlansEachExecution() {
        String consumer = "plans-" + UUID.randomUUID();

        List<Map<String, Plans>> counts = pool.withConnection(sql -> repeat(() -> sql.query(PipelinedTransaction.BEGIN).execute()
                                .chain(() -> lockAndAdvance(sql, consumer))
                                .call(() -> sql.query("COMMIT").execute()))
                        .chain(() -> plans(sql))
                        .flatMap(afterBatches -> repeat(() -> lockAndAdvance(sql, consumer))
                                .chain(() -> plans(sql))
                                .map(afterOthers -> List.of(afterBatches, afterOthers))))
                .await().atMost(TIMEOUT);

        Plans lockInBatches = counts.get(0).get(AggregateProgress.LOCK_ALL);
        Plans advanceInBatches = counts.get(0).get(AggregateProgress.ADVANCE_ALL);
        Plans advanceAfter = counts.get(1).get(AggregateProgress.ADVANCE_ALL);
        assertTrue(lockInBatches.generic() > 0, "generic plans of the progress lock in batches: " + lockInBatches);
        assertTrue(advanceInBatches.generic() > 0, "generic plans of the progress update in batches: " + advanceInBatches);
        assertEquals(advanceInBatches.generic(), advanceAfter.generic(), "generic plans outside a batch transaction");
        assertEquals(advanceInBatches.custom() + EXECUTIONS, advanceAfter.custom(), "custom plans outside a batch transaction");
    }

    /** How a prepared statement was planned so far on one connection. */
    private record Plans(long generic, long custom) {
    }

    private static Uni<Void> repeat(Supplier<Uni<?>> step) {
        return Multi.createFrom().range(0, EXECUTIONS)
                .onItem().transformToUniAndConcatenate(i -> step.get())
                .collect().last()
                .replaceWithVoid();
    }

    /** The progress lock's and update's plans so far on this connection, by statement text. */
    private static Uni<Map<String, Plans>> plans(SqlConnection sql) {
        return sql.preparedQuery("select statement, generic_plans, custom_plans from pg_prepared_statements where statement = any($1)")
                .execute(Tuple.of(new String[] { AggregateProgress.LOCK_ALL, AggregateProgress.ADVANCE_ALL }))
                .map(rows -> {
                    Map<String, Plans> plans = new HashMap<>();
                    rows.forEach(row -> plans.put(row.getString(0), new Plans(row.getLong(1), row.getLong(2))));
                    return plans;
                });
    }

    @Test
    void progressUpdateFindsEachRowByKeyNotAmongAllOfTheConsumers() {
        String consumer = "plans-" + UUID.randomUUID();
        Sql.exec(pool, ("insert into aggregate_progress (consumer, aggregate_id, last_sequence) "
                + "select '%s', 'aggregate-' || i, 1 from generate_series(1, %d) i").formatted(consumer, CONSUMER_ROWS));
        String[] batch = IntStream.rangeClosed(1, BATCH).mapToObj(i -> "aggregate-" + i).toArray(String[]::new);
        Long[] sequences = IntStream.rangeClosed(1, BATCH).mapToObj(i -> 2L).toArray(Long[]::new);

        JsonArray plan = pool.preparedQuery("explain (analyze, format json) " + AggregateProgress.ADVANCE_ALL)
                .execute(Tuple.of(consumer, batch, sequences))
                .map(rows -> (JsonArray) rows.iterator().next().getValue(0))
                .await().atMost(TIMEOUT);

        assertTrue(progressRowsRead(plan.getJsonObject(0).getJsonObject("Plan")) <= BATCH, plan::encodePrettily);
        assertEquals(BATCH, Sql.count(pool,
                "select count(*) from aggregate_progress where consumer = $1 and last_sequence = 2", consumer));
    }

    /** Rows the plan's scans of aggregate_progress returned, over all their loops. */
    private static long progressRowsRead(JsonObject node) {
        long read = node.getString("Node Type").contains("Scan") && "aggregate_progress".equals(node.getString("Relation Name"))
                ? node.getLong("Actual Rows") * node.getLong("Actual Loops")
                : 0;
        JsonArray children = node.getJsonArray("Plans", new JsonArray());
        for (int i = 0; i < children.size(); i++) {
            read += progressRowsRead(children.getJsonObject(i));
        }
        return read;
    }

    private Uni<Void> lockAndAdvance(SqlConnection sql, String consumer) {
        List<String> aggregates = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        Map<String, Long> sequences = new LinkedHashMap<>();
        aggregates.forEach(aggregate -> sequences.put(aggregate, 1L));
        return progress.lockAll(sql, consumer, aggregates, Map.of())
                .flatMap(locked -> progress.advanceAll(sql, consumer, sequences));
    }
}
