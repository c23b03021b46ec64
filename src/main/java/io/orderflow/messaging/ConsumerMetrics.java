package io.orderflow.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Per consumer and event type: what happened to each delivery, how long it took, how late it was. */
@ApplicationScoped
public class ConsumerMetrics {

    private final MeterRegistry registry;

    public ConsumerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String consumer, String type, Outcome outcome, Duration processing) {
        Counter.builder("orderflow.consumer.messages")
                .description("Deliveries handled by the consumer pipeline, by outcome")
                .tags("consumer", consumer, "type", type, "outcome", outcome.tag())
                .register(registry)
                .increment();
        Timer.builder("orderflow.consumer.processing")
                .description("Time from receipt to the decision (commit, retry or dead letter)")
                .tags("consumer", consumer, "type", type)
                .publishPercentileHistogram()
                .register(registry)
                .record(processing);
    }

    /** Deliveries one transaction applied: near 1 when the queue is quiet, the batch size under load. */
    public void batch(String consumer, int deliveries) {
        DistributionSummary.builder("orderflow.consumer.batch.size")
                .description("Deliveries applied in one transaction")
                .tags("consumer", consumer)
                .register(registry)
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
        Timer.builder("orderflow.consumer.lag")
                .description("Now minus the event time, when the event is applied")
                .tags("consumer", consumer, "type", type)
                .publishPercentileHistogram()
                .register(registry)
                .record(lag.isNegative() ? Duration.ZERO : lag);
    }
}
