package io.orderflow.messaging;

import java.util.StringJoiner;
import java.util.function.IntFunction;

/**
 * The comma-separated list of a multi-row statement, one piece per row, each with parameters of
 * its own index ({@code :a0, :a1, ...}): how the batch statements bind one value per row.
 */
public final class SqlRows {

    private SqlRows() {
    }

    public static String of(int count, IntFunction<String> row) {
        StringJoiner rows = new StringJoiner(", ");
        for (int i = 0; i < count; i++) {
            rows.add(row.apply(i));
        }
        return rows.toString();
    }
}
