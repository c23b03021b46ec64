package io.orderflow.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads the dead letters the application moved from its DLQs into Postgres. */
public final class DeadLetters {

    private static final String FIND = """
            select id, reason, consumer, original_queue, exception, error, retries, headers, status
            from dead_letters where consumer = $1 and position(convert_to($2, 'UTF8') in body) > 0
            order by id desc limit 1""";

    private DeadLetters() {
    }

    /** One stored dead letter. */
    public record Stored(long id, String reason, String consumer, String originalQueue, String exception, String error,
            int retries, String headers, String status) {
    }

    /** Waits until a dead letter of {@code consumer} whose body contains {@code bodyPart} is stored. */
    public static Stored awaitStored(Pool pool, String consumer, String bodyPart, Duration timeout) {
        Stored[] found = new Stored[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            find(pool, consumer, bodyPart).ifPresent(stored -> found[0] = stored);
            return found[0] != null;
        });
        return found[0];
    }

    public static Optional<Stored> find(Pool pool, String consumer, String bodyPart) {
        for (Row row : pool.preparedQuery(FIND).execute(Tuple.of(consumer, bodyPart)).await().atMost(Duration.ofSeconds(10))) {
            return Optional.of(new Stored(row.getLong("id"), row.getString("reason"), row.getString("consumer"),
                    row.getString("original_queue"), row.getString("exception"), row.getString("error"),
                    row.getInteger("retries"), row.getString("headers"), row.getString("status")));
        }
        return Optional.empty();
    }
}
