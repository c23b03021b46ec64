package io.orderflow.deadletter;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.events.RejectReason;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Pending dead letters per reason: a gauge kept current (so an alert can page when it is not zero)
 * and a daily summary log line, the seed's daily review made visible.
 */
// Created at start, not at first use: its gauges must be there for the first scrape.
@Startup
@ApplicationScoped
public class DeadLetterSummary {

    private static final Logger LOG = Logger.getLogger(DeadLetterSummary.class);
    private static final String PENDING_BY_REASON = "select reason, count(*) as pending from dead_letters where status = 'PENDING' group by reason";
    private static final String OTHER = "other";

    private final Pool pool;
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();

    public DeadLetterSummary(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        // One series per known reason (bounded): anything else counts as "other".
        Stream.concat(Stream.of(RejectReason.values()).map(RejectReason::code), Stream.of("rejected", OTHER))
                .forEach(reason -> Gauge.builder("orderflow.dead_letters.pending", pending(reason), AtomicLong::get)
                        .description("Dead letters waiting for review, by reason")
                        .tag("reason", reason)
                        .register(registry));
    }

    @Scheduled(every = "${orderflow.metrics.refresh-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return counts().invoke(this::publish).replaceWithVoid().onFailure().recoverWithNull();
    }

    @Scheduled(cron = "${orderflow.dead-letters.summary-cron:0 0 6 * * ?}")
    Uni<Void> dailySummary() {
        return counts().invoke(counts -> LOG.infof("Dead-letter daily summary: %d pending %s",
                counts.values().stream().mapToLong(Long::longValue).sum(), counts)).replaceWithVoid();
    }

    private Uni<Map<String, Long>> counts() {
        return pool.query(PENDING_BY_REASON).execute().map(rows -> {
            Map<String, Long> counts = new TreeMap<>();
            rows.forEach(row -> counts.put(row.getString("reason"), row.getLong("pending")));
            return counts;
        });
    }

    private void publish(Map<String, Long> counts) {
        pending.values().forEach(value -> value.set(0));
        counts.forEach((reason, count) -> (pending.containsKey(reason) ? pending(reason) : pending(OTHER)).addAndGet(count));
    }

    private AtomicLong pending(String reason) {
        return pending.computeIfAbsent(reason, key -> new AtomicLong());
    }
}
