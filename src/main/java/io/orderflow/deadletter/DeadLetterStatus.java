package io.orderflow.deadletter;

/** Where a dead letter stands in its review. */
public enum DeadLetterStatus {
    /** Waiting for a decision. */
    PENDING,
    /** Sent back to its original queue. */
    REPLAYED,
    /** Dropped on purpose, with a reason kept for audit. */
    DISCARDED
}
