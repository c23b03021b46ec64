package io.orderflow.messaging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.pgclient.PgException;

/**
 * Whether a consumer's batches lately found what {@link BatchApplier#applyExpecting} expects (every
 * aggregate at the step before the batch's first event of it, no event applied before), so that
 * sending the writes with the locks is worth trying. A hit saves a round trip; a miss costs one and
 * a rollback before the careful path, so the expected path pays once about two batches in three hit.
 * <p>
 * The score is a moving average of hits over about the last eight batches, fed by both paths (the
 * careful path tells whether the expectation would have held), so a consumer whose traffic changes
 * comes back to the expected path. A consumer that sees its own events stale (the orders consumer
 * receives the OrderCreated its API already applied) stays on the careful path.
 */
@ApplicationScoped
public class BatchExpectation {

    /** The SQLSTATE of {@code orderflow_expect} (V6__batch_expectations.sql). */
    static final String MISSED = "OF001";
    private static final int FULL = 1_000;
    private static final int WORTH_TRYING = 750;
    private static final int WEIGHT = 8;

    private final Map<String, AtomicInteger> scores = new ConcurrentHashMap<>();

    /** Whether the failure is an expectation that did not hold (the transaction is aborted, nothing applied). */
    public static boolean missed(Throwable failure) {
        return failure instanceof PgException pg && MISSED.equals(pg.getSqlState());
    }

    public boolean worthTrying(String consumer) {
        return score(consumer).get() >= WORTH_TRYING;
    }

    public void record(String consumer, boolean held) {
        int target = held ? FULL : 0;
        score(consumer).updateAndGet(score -> score + (target - score) / WEIGHT);
    }

    private AtomicInteger score(String consumer) {
        return scores.computeIfAbsent(consumer, name -> new AtomicInteger(FULL));
    }
}
