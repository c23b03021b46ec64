package io.orderflow.messaging;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.events.RejectReason;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Dead-letters parked events whose prerequisite never came (reason {@code prerequisite-missing}):
 * nothing waits forever and nothing is dropped silently. A row is deleted only in the transaction
 * that saw its dead letter confirmed. Also keeps the parked-events gauges current.
 */
// Created at start, not at first use: its gauges must be there for the first scrape.
@Startup
@ApplicationScoped
public class ParkedEventExpiry {

    private static final Logger LOG = Logger.getLogger(ParkedEventExpiry.class);
    private static final int BATCH = 100;

    // SKIP LOCKED: several instances expire disjoint rows; a row being replayed right now is locked
    // by that transaction and skipped, never dead-lettered while it is applied.
    private static final String EXPIRED = """
            select consumer, event_id, event_type, body, parked_at, aggregate_id, sequence from parked_events
            where parked_at < now() - make_interval(secs => $1)
            order by parked_at limit $2
            for update skip locked""";
    private static final String DELETE = "delete from parked_events where consumer = $1 and event_id = $2";
    private static final String STATS = """
            select consumer, count(*) as parked, coalesce(extract(epoch from now() - min(parked_at)), 0) as oldest
            from parked_events group by consumer""";

    private final Pool pool;
    private final FailureRouter failures;
    private final OrderingConfig config;
    private final Map<String, AtomicLong> parkedCount = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> oldestSeconds = new ConcurrentHashMap<>();

    public ParkedEventExpiry(Pool pool, FailureRouter failures, OrderingConfig config, Topology topology,
            MeterRegistry registry) {
        this.pool = pool;
        this.failures = failures;
        this.config = config;
        topology.consumers().forEach(queues -> registerGauges(registry, queues.consumer()));
    }

    @Scheduled(every = "${orderflow.ordering.expiry-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> run() {
        return expire().replaceWithVoid()
                .call(this::refreshGauges)
                .onFailure().invoke(e -> LOG.warnf("Parked event expiry round failed, the next one retries: %s", e.toString()))
                .onFailure().recoverWithNull();
    }

    /** Dead-letters one batch of expired parked events; returns how many. */
    public Uni<Integer> expire() {
        double seconds = config.parkTimeout().toMillis() / 1000.0;
        return pool.withTransaction(connection -> connection.preparedQuery(EXPIRED)
                .execute(Tuple.of(seconds, BATCH))
                .flatMap(rows -> Multi.createFrom().iterable(rows)
                        .onItem().transformToUniAndConcatenate(row -> deadLetter(connection, row))
                        .collect().asList())
                .map(List::size));
    }

    private Uni<Void> deadLetter(SqlConnection connection, Row row) {
        String consumer = row.getString("consumer");
        FailureRouter.StoredEvent event = new FailureRouter.StoredEvent(row.getUUID("event_id"), row.getString("event_type"),
                row.getString("body").getBytes(StandardCharsets.UTF_8), row.getOffsetDateTime("parked_at").toInstant());
        String error = "step " + row.getLong("sequence") + " of " + row.getString("aggregate_id")
                + " waited longer than " + config.parkTimeout() + " for step " + (row.getLong("sequence") - 1);
        return failures.deadLetter(consumer, event, RejectReason.PREREQUISITE_MISSING, error)
                .call(() -> connection.preparedQuery(DELETE).execute(Tuple.of(consumer, event.eventId())));
    }

    private Uni<Void> refreshGauges() {
        return pool.query(STATS).execute().invoke(rows -> {
            parkedCount.values().forEach(value -> value.set(0));
            oldestSeconds.values().forEach(value -> value.set(0));
            rows.forEach(row -> {
                String consumer = row.getString("consumer");
                gauge(parkedCount, consumer).set(row.getLong("parked"));
                gauge(oldestSeconds, consumer).set(Math.round(row.getDouble("oldest")));
            });
        }).replaceWithVoid();
    }

    private void registerGauges(MeterRegistry registry, String consumer) {
        Gauge.builder("orderflow.parked.events", gauge(parkedCount, consumer), AtomicLong::get)
                .description("Events waiting for a missing earlier step of their aggregate")
                .tag("consumer", consumer)
                .register(registry);
        Gauge.builder("orderflow.parked.oldest.age.seconds", gauge(oldestSeconds, consumer), AtomicLong::get)
                .description("How long the oldest parked event has waited")
                .tag("consumer", consumer)
                .register(registry);
    }

    private static AtomicLong gauge(Map<String, AtomicLong> values, String consumer) {
        return values.computeIfAbsent(consumer, key -> new AtomicLong());
    }
}
