package io.orderflow.testing;

import java.time.Duration;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Plain SQL from a test thread, for fault injection and for reading what the handlers wrote. */
public final class Sql {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Sql() {
    }

    public static void exec(Pool pool, String sql) {
        pool.query(sql).execute().await().atMost(TIMEOUT);
    }

    public static long count(Pool pool, String sql, Object... params) {
        RowSet<Row> rows = pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(TIMEOUT);
        return rows.iterator().next().getLong(0);
    }

    /**
     * Makes inserts into {@code table} fail for rows whose customer_id is {@code customerId}, the first
     * {@code failures} times (a sequence counts, because sequences ignore rollbacks). Returns the
     * SQL that removes the fault again.
     */
    public static String failInserts(Pool pool, String table, String customerId, int failures) {
        String name = "fault_" + Integer.toHexString(customerId.hashCode() & 0x7fffffff);
        exec(pool, "create sequence " + name);
        exec(pool, """
                create function %1$s() returns trigger language plpgsql as $$
                begin
                  if new.customer_id = '%2$s' and nextval('%1$s') <= %3$d then
                    raise exception 'injected transient failure on %4$s';
                  end if;
                  return new;
                end $$""".formatted(name, customerId, failures, table));
        exec(pool, "create trigger %1$s before insert on %2$s for each row execute function %1$s()".formatted(name, table));
        return "drop trigger if exists %1$s on %2$s; drop function if exists %1$s(); drop sequence if exists %1$s"
                .formatted(name, table);
    }
}
