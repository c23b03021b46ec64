package io.orderflow.messaging;

import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A transaction on a pooled connection whose BEGIN goes out in the same write as the work's first
 * statements instead of a round trip of its own (the Postgres client pipelines what is sent before
 * the answers come back). Commits when the work succeeds, rolls back when it fails; either way the
 * connection goes back to the pool outside any transaction.
 * <p>
 * Its statements may run on generic plans, which Postgres adopts for a prepared statement after
 * five executions: planned once per connection instead of at every batch, they took about a tenth
 * of Postgres' CPU off each event at half load (bench/throughput's steps at 5,000 events/s, three
 * interleaved runs: 92, 97 and 94 µs an event before, 86, 85 and 78 after). Everywhere else the
 * session keeps {@code force_custom_plan} (see application.properties), because a generic plan is
 * costed on the tables as they were when it was made, and one made on a young database can scan a
 * whole table for ever. So every statement that runs in here must find its rows by key whatever the
 * plan is costed on: inserts from arrays with {@code on conflict} (no plan to choose), and lookups
 * written so the only plan is a probe per key. The {@code *StatementPlansTest}s check each one's
 * generic plan on empty tables.
 */
final class PipelinedTransaction {

    static final String BEGIN = "BEGIN; SET LOCAL plan_cache_mode = auto";

    private PipelinedTransaction() {
    }

    static <T> Uni<T> run(Pool pool, Function<SqlConnection, Uni<T>> work) {
        return pool.withConnection(sql -> Uni.combine().all()
                .unis(sql.query(BEGIN).execute(), Uni.createFrom().deferred(() -> work.apply(sql)))
                .with((begun, result) -> result)
                .call(() -> sql.query("COMMIT").execute())
                .onFailure().call(() -> sql.query("ROLLBACK").execute()
                        .onFailure().recoverWithNull()));
    }
}
