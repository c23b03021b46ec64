package io.orderflow.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.orderflow.events.EventCodec;
import io.orderflow.events.EventEnvelope;
import io.orderflow.events.RejectReason;
import io.orderflow.events.RejectedEventException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The one way every {@code @Incoming} handler consumes: decode and route the envelope, claim the
 * event id and apply the handler in one transaction, then ack; on failure hand the message to the
 * {@link FailureRouter} and ack only once the retry or dead letter is confirmed. If even that fails
 * the message is nacked, and the work queue's dead-letter argument keeps it.
 */
@ApplicationScoped
public class ConsumerPipeline {

    private static final Logger LOG = Logger.getLogger(ConsumerPipeline.class);
    private static final String UNKNOWN_TYPE = "unknown";

    private final EventCodec codec;
    private final Inbox inbox;
    private final FailureRouter failures;
    private final ConsumerMetrics metrics;
    private final Clock clock;

    public ConsumerPipeline(EventCodec codec, Inbox inbox, FailureRouter failures, ConsumerMetrics metrics, Clock clock) {
        this.codec = codec;
        this.inbox = inbox;
        this.failures = failures;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Uni<Void> consume(Message<byte[]> message, EventConsumer consumer) {
        Instant received = clock.instant();
        Delivery delivery = new Delivery(consumer);
        return Uni.createFrom().deferred(() -> apply(message.getPayload(), delivery))
                .onFailure().recoverWithUni(failure -> failures.route(message, consumer.name(), failure))
                .call(outcome -> Uni.createFrom().completionStage(message::ack))
                .invoke(outcome -> metrics.record(consumer.name(), delivery.type, outcome, Duration.between(received, clock.instant())))
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> nack(message, consumer, failure));
    }

    private Uni<Outcome> apply(byte[] body, Delivery delivery) {
        EventEnvelope envelope = codec.decode(body);
        EventConsumer.Binding<?> binding = delivery.consumer.binding(envelope.type());
        if (binding == null) {
            throw new RejectedEventException(RejectReason.UNKNOWN_TYPE,
                    "consumer " + delivery.consumer.name() + " does not handle events of type " + envelope.type());
        }
        // Only known types become a metric tag: a sender must not be able to mint new time series.
        delivery.type = envelope.type();
        // Schema-checked at its own version, then upcast to the version the handler reads; newer is refused.
        return applyOnce(delivery.consumer.name(), codec.admit(envelope, binding.type()), binding);
    }

    private <T> Uni<Outcome> applyOnce(String consumer, EventEnvelope envelope, EventConsumer.Binding<T> binding) {
        T payload = codec.payload(envelope, binding.type());
        return Panache.withTransaction(() -> inbox.claim(consumer, envelope.id(), envelope.type())
                .flatMap(claimed -> claimed
                        ? binding.handler().apply(payload, envelope).replaceWith(Outcome.APPLIED)
                        : Uni.createFrom().item(Outcome.DUPLICATE)))
                .invoke(outcome -> lag(consumer, envelope, outcome));
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

    /** What is known about one delivery as it goes through the pipeline (the type once decoded). */
    private static final class Delivery {
        private final EventConsumer consumer;
        private String type = UNKNOWN_TYPE;

        private Delivery(EventConsumer consumer) {
            this.consumer = consumer;
        }
    }
}
