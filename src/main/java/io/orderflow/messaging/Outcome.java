package io.orderflow.messaging;

/** What the pipeline did with one delivery; a metric tag and the answer tests assert on. */
public enum Outcome {
    APPLIED("applied"),
    DUPLICATE("duplicate"),
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
