package io.orderflow.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orderflow.events.EventTypes;
import io.quarkus.runtime.Startup;

/** Publish side of the outbox: latency from commit to broker confirm, and publish errors. */
// Created at start, not at first use: its gauges must be there for the first scrape.
@Startup
@ApplicationScoped
public class PublishMetrics {

    private final MeterRegistry registry;

    public PublishMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Zero from the start, so an error-rate alert sees 0 rather than no series at all.
        EventTypes.ALL.forEach(type -> errors(type.name()));
    }

    public void published(String type, Duration sinceCommit) {
        Timer.builder("orderflow.outbox.publish.latency")
                .description("Outbox row creation to broker confirm")
                .tag("type", type)
                .publishPercentileHistogram()
                .register(registry)
                .record(sinceCommit.isNegative() ? Duration.ZERO : sinceCommit);
    }

    public void failed(String type) {
        errors(type).increment();
    }

    private Counter errors(String type) {
        return Counter.builder("orderflow.outbox.publish.errors")
                .description("Publishes that failed or timed out; the row is retried")
                .tag("type", type)
                .register(registry);
    }
}
