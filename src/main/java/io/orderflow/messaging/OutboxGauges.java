package io.orderflow.messaging;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** How much the outbox holds that is not published yet, and for how long: the relay's backlog. */
// Created at start, not at first use: its gauges must be there for the first scrape.
@Startup
@ApplicationScoped
public class OutboxGauges {

    private static final String BACKLOG = """
            select count(*) as rows, coalesce(extract(epoch from now() - min(created_at)), 0) as oldest
            from outbox where published_at is null""";

    private final Pool pool;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestSeconds = new AtomicLong();

    public OutboxGauges(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        Gauge.builder("orderflow.outbox.backlog", backlog, AtomicLong::get)
                .description("Outbox rows committed but not yet confirmed by the broker")
                .register(registry);
        Gauge.builder("orderflow.outbox.oldest.age.seconds", oldestSeconds, AtomicLong::get)
                .description("Age of the oldest unpublished outbox row")
                .register(registry);
    }

    @Scheduled(every = "${orderflow.metrics.refresh-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query(BACKLOG).execute()
                .invoke(rows -> rows.forEach(row -> {
                    backlog.set(row.getLong("rows"));
                    oldestSeconds.set(Math.round(row.getDouble("oldest")));
                }))
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }
}
