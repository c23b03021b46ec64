package io.orderflow.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.orderflow.testing.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The consumer's batch statements touch only the rows of their batch, however large the tables and
 * whatever Postgres knows of them. Two plans read every progress row of the consumer per batch
 * (measured: 20 to 86 ms a batch at 100,000 rows; bench/throughput on a fresh database fell from
 * 3,300 to 800 events/s): a generic plan, which Postgres adopts for a prepared statement after five
 * executions, costed on the table as it was then; and, without statistics, a join that took
 * "consumer = $1" for a handful of rows.
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
    void cachedBatchStatementIsPlannedForEachBatchNeverGeneric() {
        String consumer = "plans-" + UUID.randomUUID();

        Row plans = pool.withConnection(sql -> Multi.createFrom().range(0, EXECUTIONS)
                        .onItem().transformToUniAndConcatenate(i -> lockAndAdvance(sql, consumer))
                        .collect().last()
                        .flatMap(done -> sql.preparedQuery(
                                        "select generic_plans, custom_plans from pg_prepared_statements where statement = $1")
                                .execute(Tuple.of(AggregateProgress.ADVANCE_ALL)))
                        .map(rows -> rows.iterator().next()))
                .await().atMost(TIMEOUT);

        assertEquals(0, plans.getLong("generic_plans"), "generic plans of the progress update");
        assertTrue(plans.getLong("custom_plans") >= EXECUTIONS, "custom plans: " + plans.getLong("custom_plans"));
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
