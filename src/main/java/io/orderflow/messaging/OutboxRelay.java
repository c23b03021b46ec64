package io.orderflow.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.orderflow.events.CloudEventsMapping;
import io.orderflow.events.EventCodec;
import io.orderflow.events.RejectedEventException;
import io.orderflow.roles.Role;
import io.orderflow.roles.RolesConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Publishes committed outbox rows with publisher confirms and marks them published only after the
 * confirm. A row whose publish fails or times out is released for the next round, so a broker
 * outage delays events but loses none; a crash between confirm and mark republishes, which the
 * consumers' idempotency absorbs. Runs on a poll interval and right after each commit.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    // Claim a batch under a lease: SKIP LOCKED lets several relays take disjoint batches without
    // waiting on each other, and the lease hands the rows of a relay that died to another one.
    private static final String CLAIM = """
            update outbox set claimed_until = now() + make_interval(secs => $3)
            where id in (select id from outbox
                         where published_at is null and source = any($1)
                           and (claimed_until is null or claimed_until < now())
                         order by id limit $2
                         for update skip locked)
            returning id, event_id, event_type, subject, body, traceparent, created_at""";
    private static final String MARK_PUBLISHED = "update outbox set published_at = now(), claimed_until = null where id = any($1)";
    private static final String RELEASE = """
            update outbox set claimed_until = null, attempts = attempts + 1, last_error = $2 where id = $1""";

    private final Pool pool;
    private final MutinyEmitter<byte[]> events;
    private final OutboxConfig config;
    private final PublishMetrics metrics;
    private final Clock clock;
    private final EventCodec codec;
    private final String[] sources;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean lastRoundFailed;
    private final AtomicBoolean rerun = new AtomicBoolean();

    public OutboxRelay(Pool pool, @Channel("events") MutinyEmitter<byte[]> events, OutboxConfig config,
            RolesConfig roles, PublishMetrics metrics, Clock clock, EventCodec codec) {
        this.pool = pool;
        this.events = events;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.codec = codec;
        this.sources = Arrays.stream(Role.values()).filter(roles::enabled).map(Role::id).toArray(String[]::new);
    }

    /** Nudge after a commit: drain now instead of at the next poll. */
    public void publishSoon() {
        drain().subscribe().with(ignored -> {
        }, failure -> LOG.warnf("Outbox relay round failed, the next poll retries: %s", failure.toString()));
    }

    // Not before the application runs: creating this bean injects the channel's emitter, which only
    // exists once the messaging channels are wired.
    @Scheduled(every = "${orderflow.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> poll() {
        return drain();
    }

    /** Publishes rounds until a round finds less than a full batch; one drain at a time per instance. */
    public Uni<Void> drain() {
        if (sources.length == 0) {
            return Uni.createFrom().voidItem();
        }
        if (!running.compareAndSet(false, true)) {
            rerun.set(true);
            return Uni.createFrom().voidItem();
        }
        return Multi.createBy().repeating().uni(this::publishRound)
                .whilst(published -> published >= config.batchSize() || rerun.getAndSet(false))
                .collect().last()
                .onTermination().invoke(() -> running.set(false))
                .replaceWithVoid();
    }

    private Uni<Integer> publishRound() {
        return claim().flatMap(rows -> rows.isEmpty()
                ? Uni.createFrom().item(0)
                : publishAll(rows).flatMap(this::settle).replaceWith(rows.size()));
    }

    private Uni<List<OutboxRow>> claim() {
        double leaseSeconds = config.claimTimeout().toMillis() / 1000.0;
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(sources, config.batchSize(), leaseSeconds))
                .map(rows -> {
                    List<OutboxRow> claimed = new ArrayList<>();
                    rows.forEach(row -> claimed.add(OutboxRow.of(row)));
                    claimed.sort(Comparator.comparingLong(OutboxRow::id));
                    return claimed;
                });
    }

    /** Publishes the batch pipelined (all in flight at once), each result kept apart. */
    private Uni<List<Result>> publishAll(List<OutboxRow> rows) {
        List<Uni<Result>> publishes = rows.stream().map(this::publish).toList();
        return Uni.join().all(publishes).andFailFast();
    }

    private Uni<Result> publish(OutboxRow row) {
        OutgoingRabbitMQMetadata.Builder properties = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(row.eventType())
                .withMessageId(row.eventId().toString())
                .withType(row.eventType())
                .withContentType("application/json")
                .withDeliveryMode(2)
                .withTimestamp(clock.instant().atZone(ZoneOffset.UTC))
                .withHeaders(cloudEventHeaders(row));
        if (row.subject() != null) {
            properties.withCorrelationId(row.subject());
        }
        // The publish span continues the trace of the transaction that wrote the row.
        Message<byte[]> message = Message.of(row.body(), Metadata.of(properties.build(),
                TracingMetadata.withCurrent(TraceContext.parse(row.traceparent()))));
        // Deferred: an emitter that is not wired yet throws instead of failing the Uni; either way
        // the row is released for the next round, not left claimed until its lease runs out.
        return Uni.createFrom().deferred(() -> events.sendMessage(message))
                .ifNoItem().after(config.confirmTimeout()).fail()
                .map(confirmed -> Result.published(row))
                .onFailure().recoverWithItem(failure -> Result.failed(row, failure));
    }

    /** True when every publish of the last round with rows failed: the broker is not taking events. */
    public boolean stalled() {
        return lastRoundFailed;
    }

    /**
     * The CloudEvents binary-mode attributes of the row's envelope; the body stays the envelope. A row
     * that is not an envelope (never written by us) goes out without them and is dead-lettered by its
     * consumers, rather than blocking the outbox.
     */
    private Map<String, Object> cloudEventHeaders(OutboxRow row) {
        try {
            return CloudEventsMapping.headers(codec.decode(row.body()));
        } catch (RejectedEventException e) {
            LOG.warnf("Outbox row %d (event %s) is not an event envelope, published without CloudEvents headers: %s",
                    row.id(), row.eventId(), e.getMessage());
            return Map.of();
        }
    }

    private Uni<Void> settle(List<Result> results) {
        lastRoundFailed = results.stream().noneMatch(Result::ok);
        Long[] published = results.stream().filter(Result::ok).map(result -> result.row().id()).toArray(Long[]::new);
        List<Tuple> released = results.stream().filter(result -> !result.ok())
                .map(result -> Tuple.of(result.row().id(), String.valueOf(result.failure())))
                .toList();
        results.forEach(this::record);
        Uni<Void> markPublished = published.length == 0 ? Uni.createFrom().voidItem()
                : pool.preparedQuery(MARK_PUBLISHED).execute(Tuple.of(published)).replaceWithVoid();
        Uni<Void> release = released.isEmpty() ? Uni.createFrom().voidItem()
                : pool.preparedQuery(RELEASE).executeBatch(released).replaceWithVoid();
        return markPublished.call(() -> release);
    }

    private void record(Result result) {
        if (result.ok()) {
            metrics.published(result.row().eventType(), Duration.between(result.row().createdAt().toInstant(), clock.instant()));
        } else {
            metrics.failed(result.row().eventType());
            LOG.warnf("Publishing event %s (%s) failed, it stays in the outbox: %s",
                    result.row().eventId(), result.row().eventType(), result.failure().toString());
        }
    }

    /** One claimed outbox row. */
    record OutboxRow(long id, UUID eventId, String eventType, String subject, byte[] body, String traceparent,
            OffsetDateTime createdAt) {
        static OutboxRow of(Row row) {
            return new OutboxRow(row.getLong("id"), row.getUUID("event_id"), row.getString("event_type"),
                    row.getString("subject"), row.getString("body").getBytes(StandardCharsets.UTF_8),
                    row.getString("traceparent"), row.getOffsetDateTime("created_at"));
        }
    }

    /** The fate of one publish. */
    record Result(OutboxRow row, Throwable failure) {
        static Result published(OutboxRow row) {
            return new Result(row, null);
        }

        static Result failed(OutboxRow row, Throwable failure) {
            return new Result(row, failure);
        }

        boolean ok() {
            return failure == null;
        }
    }
}
