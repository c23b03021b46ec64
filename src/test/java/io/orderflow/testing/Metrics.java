package io.orderflow.testing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Reads the pipeline's counters, so tests can assert what it decided, not only the end state. */
public final class Metrics {

    private Metrics() {
    }

    public static double consumed(MeterRegistry registry, String consumer, String type, String outcome) {
        return counter(registry, "orderflow.consumer.messages", "consumer", consumer, "type", type, "outcome", outcome);
    }

    /** Any counter by name and tags; 0 until it is first incremented. */
    public static double counter(MeterRegistry registry, String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
