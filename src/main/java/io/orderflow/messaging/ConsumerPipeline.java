package io.orderflow.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.hibernate.FlushMode;
import org.jboss.logging.Logger;

import io.orderflow.events.EventEnvelope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The one way every {@code @Incoming} handler consumes. Deliveries come in batches (see
 * {@link DeliveryBatcher}); each is checked and routed to its handler, and the routed ones are
 * applied in one transaction (in aggregate order, at most once per event id), then acked. A
 * delivery that cannot be routed goes to the {@link FailureRouter} on its own. If the batch's
 * transaction fails, its deliveries are applied again one transaction each, so a poison message
 * only fails itself: it is retried or dead-lettered, and acked once that is confirmed. If even that
 * fails the message is nacked, and the work queue's dead-letter argument keeps it. Once the
 * application is stopping, a failure is the shutdown's, not the message's: the delivery is left
 * unsettled for the broker to deliver again.
 */
@ApplicationScoped
public class ConsumerPipeline {

    private static final Logger LOG = Logger.getLogger(ConsumerPipeline.class);
    private static final String UNKNOWN_TYPE = "unknown";
    // Locks are taken in this order in every batch, so two batches in flight never deadlock; the
    // steps of one order in sequence order, so a batch holding both needs to park neither.
    private static final Comparator<Admitted> AGGREGATE_ORDER = Comparator.comparing(Admitted::aggregate)
            .thenComparingLong(Admitted::sequence);

    private final DeliveryLimits limits;
    private final EventRouter router;
    private final OrderedApplier applier;
    private final BatchApplier batchApplier;
    private final FailureRouter failures;
    private final ConsumerMetrics metrics;
    private final MessagingConfig config;
    private final Vertx vertx;
    private final Pool database;
    private final Stopping stopping;
    private final Clock clock;

    public ConsumerPipeline(DeliveryLimits limits, EventRouter router, OrderedApplier applier, BatchApplier batchApplier,
            FailureRouter failures, ConsumerMetrics metrics, MessagingConfig config, Vertx vertx, Pool database, Stopping stopping,
            Clock clock) {
        this.limits = limits;
        this.router = router;
        this.applier = applier;
        this.batchApplier = batchApplier;
        this.failures = failures;
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
        this.database = database;
        this.stopping = stopping;
        this.clock = clock;
    }

    /** What a consumer's {@code @Incoming} method returns: batches its deliveries into this pipeline. */
    public Flow.Subscriber<Message<byte[]>> subscriber(EventConsumer consumer) {
        return new DeliveryBatcher(consumer.name(), config.batch(), ((VertxInternal) vertx).createEventLoopContext(),
                batch -> consume(batch, consumer));
    }

    /**
     * Consumes a batch (of one, when the queue is quiet); never fails: every delivery ends acked,
     * retried, dead-lettered or nacked.
     */
    public Uni<Void> consume(List<Message<byte[]>> batch, EventConsumer consumer) {
        Instant received = clock.instant();
        if (batch.size() == 1) {
            DeliveryLogContext.received(consumer.name(), batch.get(0));
        } else {
            DeliveryLogContext.consumer(consumer.name());
        }
        List<Admitted> admitted = new ArrayList<>(batch.size());
        List<Uni<Void>> rejected = new ArrayList<>();
        for (Message<byte[]> message : batch) {
            try {
                admitted.add(admit(message, consumer));
            } catch (RuntimeException rejection) {
                rejected.add(settle(message, consumer, UNKNOWN_TYPE, Uni.createFrom().failure(rejection), received));
            }
        }
        if (batch.size() == 1 && admitted.size() == 1) {
            DeliveryLogContext.routed(admitted.get(0).event().envelope());
        }
        admitted.sort(AGGREGATE_ORDER);
        return InTurn.run(rejected, settling -> settling)
                .chain(() -> applyTogether(admitted, consumer, received))
                .onTermination().invoke(DeliveryLogContext::done);
    }

    /** A delivery within the limits, decoded, validated and matched to its handler. */
    private record Admitted(Message<byte[]> message, RoutedEvent<?> event) {

        String type() {
            // Only routed types become a metric tag: a sender must not be able to mint new time series.
            return event.envelope().type();
        }

        long sequence() {
            Long sequence = event.envelope().sequence();
            return sequence == null ? 0 : sequence;
        }

        String aggregate() {
            String subject = event.envelope().subject();
            return subject == null ? "" : subject;
        }
    }

    private Admitted admit(Message<byte[]> message, EventConsumer consumer) {
        limits.check(message);
        return new Admitted(message, router.route(message.getPayload(), consumer));
    }

    /**
     * Applies the batch in one transaction on a connection of its own (see {@link BatchApplier}) and
     * acks what it decided once that commits; then applies what it deferred.
     */
    private Uni<Void> applyTogether(List<Admitted> admitted, EventConsumer consumer, Instant received) {
        if (admitted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<RoutedEvent<?>> events = admitted.stream().<RoutedEvent<?>>map(Admitted::event).toList();
        return batchApplier.applyInTransaction(database, consumer, events)
                .onItemOrFailure().transformToUni((result, failure) -> failure == null
                        ? decidedAndDeferred(admitted, result, consumer, received)
                        : failed(admitted, consumer, failure, received));
    }

    /** A failed transaction of several deliveries is split; a delivery that failed alone is retried or dead-lettered. */
    private Uni<Void> failed(List<Admitted> admitted, EventConsumer consumer, Throwable failure, Instant received) {
        if (admitted.size() > 1) {
            LOG.debugf("A batch of %d for %s failed (%s); applying its deliveries one by one", admitted.size(),
                    consumer.name(), failure.toString());
            metrics.batchSplit(consumer.name());
            return InTurn.run(admitted, each -> applyTogether(List.of(each), consumer, clock.instant()));
        }
        Admitted alone = admitted.get(0);
        return settle(alone.message(), consumer, alone.type(), Uni.createFrom().failure(failure), received);
    }

    private Uni<Void> decidedAndDeferred(List<Admitted> admitted, BatchApplier.Result result, EventConsumer consumer,
            Instant received) {
        List<Admitted> decided = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        List<Admitted> deferred = new ArrayList<>();
        for (int i = 0; i < admitted.size(); i++) {
            if (result.deferred(i)) {
                deferred.add(admitted.get(i));
            } else {
                decided.add(admitted.get(i));
                outcomes.add(result.outcomes().get(i));
            }
        }
        return acked(decided, outcomes, consumer, received)
                .chain(() -> applyInOrder(deferred, consumer, received));
    }

    /**
     * Deferred deliveries (in aggregate order, already admitted) through the one-event-at-a-time
     * applier, which parks and replays: together in one transaction, or, if that fails, one
     * transaction each.
     */
    private Uni<Void> applyInOrder(List<Admitted> deferred, EventConsumer consumer, Instant received) {
        if (deferred.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Outcome> outcomes = new ArrayList<>(deferred.size());
        return transaction(() -> InTurn.run(deferred, each -> apply(each, consumer).invoke(outcomes::add)))
                .onItemOrFailure().transformToUni((done, failure) -> failure == null
                        ? acked(deferred, outcomes, consumer, received)
                        : failed(deferred, consumer, failure, received));
    }

    /**
     * A consumer's transaction, flushed once, at commit. The pipeline's own SQL reads no entity
     * table, and the handlers load by id (the session sees its own pending entities); auto-flushing
     * before each statement would dirty-check every entity of the batch again, quadratic in its size.
     */
    private static <T> Uni<T> transaction(Supplier<Uni<T>> work) {
        return Panache.withTransaction(() -> Panache.getSession()
                .invoke(session -> session.setFlushMode(FlushMode.COMMIT))
                .chain(session -> work.get()));
    }

    private Uni<Outcome> apply(Admitted admitted, EventConsumer consumer) {
        return applier.apply(consumer, admitted.event(), admitted.message().getPayload());
    }

    /** After a batch's commit: ack each delivery and count its outcome ({@code outcomes} pairs up by index). */
    private Uni<Void> acked(List<Admitted> admitted, List<Outcome> outcomes, EventConsumer consumer, Instant received) {
        if (admitted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        metrics.batch(consumer.name(), admitted.size());
        List<Uni<Void>> settled = new ArrayList<>(admitted.size());
        for (int i = 0; i < admitted.size(); i++) {
            settled.add(settle(admitted.get(i).message(), consumer, admitted.get(i).type(),
                    Uni.createFrom().item(outcomes.get(i)), received));
            lag(consumer.name(), admitted.get(i).event().envelope(), outcomes.get(i));
        }
        return Uni.join().all(settled).andCollectFailures().replaceWithVoid();
    }

    /**
     * Ends one delivery: on success it is acked; on failure it goes to a retry or dead-letter queue
     * and is acked once that is confirmed; if that fails too it is nacked. While the application is
     * stopping, or if even the nack fails, it is left unsettled.
     */
    private Uni<Void> settle(Message<byte[]> message, EventConsumer consumer, String type, Uni<Outcome> outcome,
            Instant received) {
        return outcome
                .onFailure(this::notStopping).recoverWithUni(failure -> failures.route(message, consumer.name(), failure))
                .call(done -> Uni.createFrom().completionStage(message::ack))
                .invoke(done -> metrics.record(consumer.name(), type, done, Duration.between(received, clock.instant())))
                .replaceWithVoid()
                .onFailure(this::notStopping).recoverWithUni(failure -> nack(message, consumer, failure))
                .onFailure().recoverWithItem(failure -> leftForRedelivery(consumer, failure));
    }

    private boolean notStopping(Throwable failure) {
        return !stopping.now();
    }

    /** Unsettled, the delivery comes again once its channel closes; the inbox absorbs a second copy. */
    private static Void leftForRedelivery(EventConsumer consumer, Throwable failure) {
        LOG.infof("Consumer %s left a delivery unsettled (%s); the broker delivers it again", consumer.name(),
                failure.toString());
        return null;
    }

    private void lag(String consumer, EventEnvelope envelope, Outcome outcome) {
        if (outcome == Outcome.APPLIED) {
            metrics.lag(consumer, envelope.type(), Duration.between(envelope.time(), clock.instant()));
        }
    }

    private static Uni<Void> nack(Message<byte[]> message, EventConsumer consumer, Throwable failure) {
        LOG.errorf(failure, "Consumer %s could not retry or dead-letter a message; nacking it to the broker's dead-letter route",
                consumer.name());
        return Uni.createFrom().completionStage(() -> message.nack(failure));
    }
}
