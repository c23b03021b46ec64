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
 */
final class PipelinedTransaction {

    private PipelinedTransaction() {
    }

    static <T> Uni<T> run(Pool pool, Function<SqlConnection, Uni<T>> work) {
        return pool.withConnection(sql -> Uni.combine().all()
                .unis(sql.query("BEGIN").execute(), Uni.createFrom().deferred(() -> work.apply(sql)))
                .with((begun, result) -> result)
                .call(() -> sql.query("COMMIT").execute())
                .onFailure().call(() -> sql.query("ROLLBACK").execute()
                        .onFailure().recoverWithNull()));
    }
}
