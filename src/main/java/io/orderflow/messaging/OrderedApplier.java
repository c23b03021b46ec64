package io.orderflow.messaging;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.orderflow.events.EventEnvelope;
import io.orderflow.events.RejectedEventException;
import io.smallrye.mutiny.Uni;

/**
 * Applies the events of one aggregate in sequence order, inside the pipeline's transaction: an
 * event whose predecessor is not applied yet is parked, one already passed is stale and ignored,
 * and applying the missing step replays the parked successors in order. Each applied event goes
 * through the idempotency claim. The aggregate's progress row lock serializes competing consumers.
 */
@ApplicationScoped
public class OrderedApplier {

    private static final Logger LOG = Logger.getLogger(OrderedApplier.class);

    private final AggregateProgress progress;
    private final ParkedEvents parked;
    private final Inbox inbox;
    private final EventRouter router;
    private final ConsumerMetrics metrics;

    public OrderedApplier(AggregateProgress progress, ParkedEvents parked, Inbox inbox, EventRouter router,
            ConsumerMetrics metrics) {
        this.progress = progress;
        this.parked = parked;
        this.inbox = inbox;
        this.router = router;
        this.metrics = metrics;
    }

    /** Must run in a transaction; {@code body} is the message as received, kept if the event is parked. */
    public Uni<Outcome> apply(EventConsumer consumer, RoutedEvent<?> event, byte[] body) {
        if (!event.sequenced()) {
            return applyOnce(consumer, event);
        }
        EventEnvelope envelope = event.envelope();
        return progress.lock(consumer.name(), envelope.subject())
                .flatMap(last -> inSequence(consumer, event, body, last));
    }

    private Uni<Outcome> inSequence(EventConsumer consumer, RoutedEvent<?> event, byte[] body, long lastApplied) {
        EventEnvelope envelope = event.envelope();
        long sequence = envelope.sequence();
        if (sequence <= lastApplied) {
            return Uni.createFrom().item(Outcome.STALE);
        }
        if (sequence > lastApplied + 1) {
            LOG.debugf("Parking %s %s: step %d of %s, waiting for step %d", envelope.type(), envelope.id(), sequence,
                    envelope.subject(), lastApplied + 1);
            return parked.park(consumer.name(), envelope, new String(body, StandardCharsets.UTF_8))
                    .replaceWith(Outcome.PARKED);
        }
        return applyOnce(consumer, event)
                .call(() -> progress.advanceAndCheckSuccessor(consumer.name(), envelope.subject(), sequence)
                        .flatMap(successorParked -> successorParked
                                ? replayAfter(consumer, envelope.subject(), sequence)
                                : Uni.createFrom().voidItem()));
    }

    /** Replays the parked successors of {@code applied} one by one, then records how far it got. */
    private Uni<Void> replayAfter(EventConsumer consumer, String aggregate, long applied) {
        long next = applied + 1;
        return parked.next(consumer.name(), aggregate, next)
                .flatMap(body -> body.isPresent()
                        ? replay(consumer, aggregate, next, body.get())
                                .flatMap(replayed -> replayed
                                        ? replayAfter(consumer, aggregate, next)
                                        : progress.advance(consumer.name(), aggregate, applied))
                        : progress.advance(consumer.name(), aggregate, applied));
    }

    /**
     * Applies one parked event; false when it can no longer be read (a deploy changed what the
     * consumer reads): it then stays parked, so it is dead-lettered when it expires, not lost.
     */
    private Uni<Boolean> replay(EventConsumer consumer, String aggregate, long sequence, String body) {
        RoutedEvent<?> event;
        try {
            event = router.route(body.getBytes(StandardCharsets.UTF_8), consumer);
        } catch (RejectedEventException e) {
            LOG.errorf("Parked step %d of %s for consumer %s can no longer be read (%s); replay stops before it",
                    sequence, aggregate, consumer.name(), e.getMessage());
            return Uni.createFrom().item(false);
        }
        return parked.remove(consumer.name(), aggregate, sequence)
                .flatMap(removed -> applyOnce(consumer, event))
                .invoke(outcome -> metrics.replayed(consumer.name(), event.envelope().type()))
                .replaceWith(true);
    }

    private Uni<Outcome> applyOnce(EventConsumer consumer, RoutedEvent<?> event) {
        EventEnvelope envelope = event.envelope();
        return inbox.claim(consumer.name(), envelope.id(), envelope.type())
                .flatMap(claimed -> claimed
                        ? event.applyHandler().replaceWith(Outcome.APPLIED)
                        : Uni.createFrom().item(Outcome.DUPLICATE));
    }
}
