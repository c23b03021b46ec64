package io.orderflow.messaging;

/** What the pipeline did with one delivery; a metric tag and the answer tests assert on. */
public enum Outcome {
    APPLIED("applied"),
    DUPLICATE("duplicate"),
    /** Older than what the aggregate already applied: acked with no effect. */
    STALE("stale"),
    /** Ahead of its aggregate's next step: stored until the missing step is applied. */
    PARKED("parked"),
    RETRIED("retried"),
    DEAD_LETTERED("dead-lettered");

    private final String tag;

    Outcome(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
