package io.orderflow.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The consumer's batch statements are prepared once per connection, and Postgres would, after five
 * executions, switch such a statement to a generic plan costed on the table as it was then. For the
 * progress update that plan read every progress row of the consumer (a hash join over an index scan
 * by consumer alone): measured at 86 ms per batch with 100,000 rows, it cut bench/throughput on a
 * fresh database from 3,300 to 800 events/s. The application's connections plan every execution with
 * its values instead.
 */
@QuarkusTest
class BatchStatementPlansTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int EXECUTIONS = 10;

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

    private Uni<Void> lockAndAdvance(SqlConnection sql, String consumer) {
        List<String> aggregates = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        Map<String, Long> sequences = new LinkedHashMap<>();
        aggregates.forEach(aggregate -> sequences.put(aggregate, 1L));
        return progress.lockAll(sql, consumer, aggregates)
                .flatMap(locked -> progress.advanceAll(sql, consumer, sequences));
    }
}
