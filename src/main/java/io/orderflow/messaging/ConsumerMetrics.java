package io.orderflow.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Per consumer and event type: what happened to each delivery, how long it took, how late it was.
 * Meters are looked up once per tag combination and kept: registering again on every delivery
 * (building the id, sorting tags, hashing) was a measurable share of the consumer's CPU.
 */
@ApplicationScoped
public class ConsumerMetrics {

    private record Key(String consumer, String type, String outcome) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Counter> messages = new ConcurrentHashMap<>();
    private final Map<Key, Timer> processing = new ConcurrentHashMap<>();
    private final Map<Key, Timer> lags = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> batches = new ConcurrentHashMap<>();

    public ConsumerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String consumer, String type, Outcome outcome, Duration took) {
        meter(messages, new Key(consumer, type, outcome.tag()), key -> Counter.builder("orderflow.consumer.messages")
                .description("Deliveries handled by the consumer pipeline, by outcome")
                .tags("consumer", consumer, "type", type, "outcome", outcome.tag())
                .register(registry))
                .increment();
        meter(processing, new Key(consumer, type, null), key -> Timer.builder("orderflow.consumer.processing")
                .description("Time from receipt to the decision (commit, retry or dead letter)")
                .tags("consumer", consumer, "type", type)
                .publishPercentileHistogram()
                .register(registry))
                .record(took);
    }

    /** Deliveries one transaction applied: near 1 when the queue is quiet, the batch size under load. */
    public void batch(String consumer, int deliveries) {
        meter(batches, consumer, key -> DistributionSummary.builder("orderflow.consumer.batch.size")
                .description("Deliveries applied in one transaction")
                .tags("consumer", consumer)
                .register(registry))
                .record(deliveries);
    }

    /** A batch whose transaction failed, so its deliveries were applied one transaction each. */
    public void batchSplit(String consumer) {
        Counter.builder("orderflow.consumer.batch.split")
                .description("Batches whose transaction failed and were applied one delivery at a time")
                .tags("consumer", consumer)
                .register(registry)
                .increment();
    }

    /**
     * A batch sent the expected way that did not find what it expected, so it was applied again the
     * careful way (see {@link BatchApplier}): a steady rate means redeliveries or events out of order.
     */
    public void expectationMissed(String consumer) {
        Counter.builder("orderflow.consumer.batch.expectation.missed")
                .description("Batches that did not find the progress they were sent for and were applied again the careful way")
                .tags("consumer", consumer)
                .register(registry)
                .increment();
    }

    /** A parked event applied after its prerequisite arrived. */
    public void replayed(String consumer, String type) {
        Counter.builder("orderflow.consumer.replayed")
                .description("Parked events applied once their prerequisite was applied")
                .tags("consumer", consumer, "type", type)
                .register(registry)
                .increment();
    }

    /** Consumer lag: how long after the event's own time it was applied. */
    public void lag(String consumer, String type, Duration lag) {
        meter(lags, new Key(consumer, type, null), key -> Timer.builder("orderflow.consumer.lag")
                .description("Now minus the event time, when the event is applied")
                .tags("consumer", consumer, "type", type)
                .publishPercentileHistogram()
                .register(registry))
                .record(lag.isNegative() ? Duration.ZERO : lag);
    }

    private static <K, M> M meter(Map<K, M> meters, K key, Function<K, M> register) {
        return meters.computeIfAbsent(key, register);
    }
}
