package io.orderflow.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.orderflow.events.EventEnvelope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The one way every {@code @Incoming} handler consumes: route the message to its handler, apply it
 * in one transaction (in aggregate order, at most once per event id), then ack; on failure hand the
 * message to the {@link FailureRouter} and ack only once the retry or dead letter is confirmed. If
 * even that fails the message is nacked, and the work queue's dead-letter argument keeps it.
 */
@ApplicationScoped
public class ConsumerPipeline {

    private static final Logger LOG = Logger.getLogger(ConsumerPipeline.class);
    private static final String UNKNOWN_TYPE = "unknown";

    private final DeliveryLimits limits;
    private final EventRouter router;
    private final OrderedApplier applier;
    private final FailureRouter failures;
    private final ConsumerMetrics metrics;
    private final Clock clock;

    public ConsumerPipeline(DeliveryLimits limits, EventRouter router, OrderedApplier applier, FailureRouter failures,
            ConsumerMetrics metrics, Clock clock) {
        this.limits = limits;
        this.router = router;
        this.applier = applier;
        this.failures = failures;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Uni<Void> consume(Message<byte[]> message, EventConsumer consumer) {
        Instant received = clock.instant();
        String[] type = { UNKNOWN_TYPE };
        DeliveryLogContext.received(consumer.name(), message);
        return Uni.createFrom().deferred(() -> apply(message, consumer, type))
                .onFailure().recoverWithUni(failure -> failures.route(message, consumer.name(), failure))
                .call(outcome -> Uni.createFrom().completionStage(message::ack))
                .invoke(outcome -> metrics.record(consumer.name(), type[0], outcome, Duration.between(received, clock.instant())))
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> nack(message, consumer, failure))
                .onTermination().invoke(DeliveryLogContext::done);
    }

    private Uni<Outcome> apply(Message<byte[]> message, EventConsumer consumer, String[] type) {
        limits.check(message);
        byte[] body = message.getPayload();
        RoutedEvent<?> event = router.route(body, consumer);
        DeliveryLogContext.routed(event.envelope());
        // Only routed types become a metric tag: a sender must not be able to mint new time series.
        type[0] = event.envelope().type();
        return Panache.withTransaction(() -> applier.apply(consumer, event, body))
                .invoke(outcome -> lag(consumer.name(), event.envelope(), outcome));
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
