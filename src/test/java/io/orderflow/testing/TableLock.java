package io.orderflow.testing;

import java.time.Duration;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * An exclusive lock on a table, held in an open transaction until closed: writers to the table
 * wait, so the consumer's deliveries stay in flight as long as a test needs them there.
 */
public final class TableLock implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final SqlConnection connection;

    private TableLock(SqlConnection connection) {
        this.connection = connection;
    }

    public static TableLock exclusive(Pool pool, String table) {
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        connection.query("begin").execute().await().atMost(TIMEOUT);
        connection.query("lock table " + table + " in exclusive mode").execute().await().atMost(TIMEOUT);
        return new TableLock(connection);
    }

    @Override
    public void close() {
        try {
            connection.query("commit").execute().await().atMost(TIMEOUT);
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
    }
}
