package io.orderflow.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The generic plans Postgres makes for statements on tables that are empty and were never analysed,
 * as on a young database: the plans a batch transaction could keep for good (see
 * PipelinedTransaction). Each statement is prepared and explained in a transaction that shadows the
 * tables with empty temporary copies and is rolled back.
 */
public final class GenericPlans {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** The column that picks out one row (or one aggregate's rows) of each table. */
    private static final Map<String, String> KEYS = Map.of(
            "aggregate_progress", "aggregate_id",
            "parked_events", "aggregate_id",
            "processed_events", "event_id",
            "shipments", "order_id",
            "orders", "id");

    private GenericPlans() {
    }

    /** A statement and the SQL literals to execute it with, one per parameter. */
    public record Statement(String sql, String arguments) {
    }

    /**
     * For each statement whose generic plan reads a table other than by key (a sequential scan, or
     * an index scan on a prefix of the key only): the statement and its plan.
     */
    public static List<String> notByKey(Pool pool, List<Statement> statements) {
        return pool.withConnection(sql -> sql.query(shadowTables()).execute()
                        .chain(() -> Multi.createFrom().range(0, statements.size())
                                .onItem().transformToUniAndConcatenate(i -> explain(sql, "plan_check_" + i, statements.get(i)))
                                .collect().asList())
                        .eventually(() -> sql.query("ROLLBACK").execute()))
                .map(plans -> {
                    List<String> offending = new ArrayList<>();
                    for (int i = 0; i < plans.size(); i++) {
                        if (!byKey(plans.get(i))) {
                            offending.add(statements.get(i).sql() + "\n" + plans.get(i).encodePrettily());
                        }
                    }
                    return offending;
                })
                .await().atMost(TIMEOUT);
    }

    private static String shadowTables() {
        StringBuilder sql = new StringBuilder("BEGIN; SET LOCAL plan_cache_mode = force_generic_plan;");
        // Temporary tables come first in the search path: the statements' unqualified names find them.
        KEYS.keySet().forEach(table -> sql.append(" create temp table ").append(table)
                .append(" (like public.").append(table).append(" including all) on commit drop;"));
        return sql.toString();
    }

    /** Prepared by name (PREPARE is not transactional, so it is deallocated again), explained generic. */
    private static Uni<JsonObject> explain(SqlConnection sql, String name, Statement statement) {
        return sql.query("PREPARE " + name + " AS " + statement.sql()).execute()
                .chain(() -> sql.query("EXPLAIN (FORMAT JSON) EXECUTE " + name + "(" + statement.arguments() + ")").execute())
                .map(rows -> new JsonArray(rows.iterator().next().getValue(0).toString()).getJsonObject(0).getJsonObject("Plan"))
                .eventually(() -> sql.query("DEALLOCATE " + name).execute());
    }

    private static boolean byKey(JsonObject node) {
        String table = node.getString("Relation Name");
        if (table != null && KEYS.containsKey(table) && !"ModifyTable".equals(node.getString("Node Type"))
                && !"Tid Scan".equals(node.getString("Node Type"))) {
            Pattern key = Pattern.compile("\\b" + KEYS.get(table) + "\\b");
            String condition = node.getString("Index Cond", "") + " " + node.getString("Recheck Cond", "");
            if (!key.matcher(condition).find()) {
                return false;
            }
        }
        JsonArray children = node.getJsonArray("Plans", new JsonArray());
        for (int i = 0; i < children.size(); i++) {
            if (!byKey(children.getJsonObject(i))) {
                return false;
            }
        }
        return true;
    }
}
