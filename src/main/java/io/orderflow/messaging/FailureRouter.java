package io.orderflow.messaging;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.orderflow.events.RejectReason;
import io.orderflow.events.RejectedEventException;
import io.orderflow.events.Rfc3339Millis;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Decides where a failed delivery goes and sends it there with publisher confirms: a rejected
 * message to the dead-letter queue at once, a transient failure to the next retry queue, and a
 * message out of retries to the dead-letter queue. The caller acks the original only afterwards.
 */
@ApplicationScoped
public class FailureRouter {

    private static final Logger LOG = Logger.getLogger(FailureRouter.class);

    private final MutinyEmitter<byte[]> redeliveries;
    private final MessagingConfig config;
    private final Topology topology;
    private final Clock clock;

    public FailureRouter(@Channel("redeliveries") MutinyEmitter<byte[]> redeliveries, MessagingConfig config,
            Topology topology, Clock clock) {
        this.redeliveries = redeliveries;
        this.config = config;
        this.topology = topology;
        this.clock = clock;
    }

    public Uni<Outcome> route(Message<byte[]> message, String consumer, Throwable failure) {
        ConsumerQueues queues = queues(consumer);
        Map<String, Object> headers = incomingHeaders(message);
        int retries = DeliveryHeaders.retries(headers) + 1;
        if (failure instanceof RejectedEventException rejected) {
            return deadLetter(message, queues, headers, rejected.reason(), failure);
        }
        if (retries > config.maxRetries()) {
            return deadLetter(message, queues, headers, RejectReason.RETRIES_EXHAUSTED, failure);
        }
        String retryQueue = queues.retryQueue(retries).name();
        LOG.debugf("Retry %d of a message on %s in %s: %s", retries, queues.work(), retryQueue, failure);
        Map<String, Object> retryHeaders = failureHeaders(headers, queues, failure.getClass().getName(), failure.getMessage());
        retryHeaders.put(DeliveryHeaders.RETRIES, retries);
        return publish(message, retryQueue, retryHeaders).replaceWith(Outcome.RETRIED);
    }

    /**
     * Dead-letters an event the broker no longer holds (a parked event that waited too long): built
     * from the stored body, with the same headers a dead letter from the queue would carry.
     */
    public Uni<Void> deadLetter(String consumer, StoredEvent event, RejectReason reason, String error) {
        ConsumerQueues queues = queues(consumer);
        LOG.warnf("Dead-lettering stored event %s (%s) of %s: %s (%s)", event.eventId(), event.type(), consumer,
                reason.code(), error);
        Map<String, Object> headers = failureHeaders(Map.of(), queues, reason.name(), error);
        headers.put(DeliveryHeaders.REASON, reason.code());
        headers.put(DeliveryHeaders.FIRST_FAILURE, Rfc3339Millis.format(event.since()));
        OutgoingRabbitMQMetadata.Builder metadata = properties(queues.deadLetter(), headers)
                .withContentType("application/json")
                .withMessageId(event.eventId().toString())
                .withType(event.type());
        return send(event.body(), metadata);
    }

    /** An event kept in the database, with the time it was stored. */
    public record StoredEvent(UUID eventId, String type, byte[] body, Instant since) {
    }

    private Uni<Outcome> deadLetter(Message<byte[]> message, ConsumerQueues queues, Map<String, Object> headers,
            RejectReason reason, Throwable failure) {
        LOG.warnf("Dead-lettering a message from %s: %s (%s)", queues.work(), reason.code(), failure.getMessage());
        Map<String, Object> deadHeaders = failureHeaders(headers, queues, failure.getClass().getName(), failure.getMessage());
        deadHeaders.put(DeliveryHeaders.REASON, reason.code());
        return publish(message, queues.deadLetter(), deadHeaders).replaceWith(Outcome.DEAD_LETTERED);
    }

    private Map<String, Object> failureHeaders(Map<String, Object> headers, ConsumerQueues queues, String exception,
            String error) {
        String now = Rfc3339Millis.format(clock.instant());
        Map<String, Object> result = DeliveryHeaders.republishable(headers);
        result.put(DeliveryHeaders.CONSUMER, queues.consumer());
        result.put(DeliveryHeaders.ORIGINAL_QUEUE, queues.work());
        result.put(DeliveryHeaders.EXCEPTION, exception);
        result.put(DeliveryHeaders.ERROR, DeliveryHeaders.bounded(error));
        result.putIfAbsent(DeliveryHeaders.FIRST_FAILURE, now);
        result.put(DeliveryHeaders.LAST_FAILURE, now);
        return result;
    }

    private Uni<Void> publish(Message<byte[]> original, String queue, Map<String, Object> headers) {
        OutgoingRabbitMQMetadata.Builder metadata = properties(queue, headers);
        DeliveryMetadata incoming = DeliveryMetadata.of(original);
        incoming.contentType().ifPresent(metadata::withContentType);
        incoming.messageId().ifPresent(metadata::withMessageId);
        incoming.type().ifPresent(metadata::withType);
        incoming.correlationId().ifPresent(metadata::withCorrelationId);
        return send(original.getPayload() == null ? new byte[0] : original.getPayload(), metadata);
    }

    private OutgoingRabbitMQMetadata.Builder properties(String queue, Map<String, Object> headers) {
        return OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(queue)
                .withDeliveryMode(2)
                .withHeaders(headers)
                .withTimestamp(clock.instant().atZone(ZoneOffset.UTC));
    }

    private Uni<Void> send(byte[] body, OutgoingRabbitMQMetadata.Builder metadata) {
        return redeliveries.sendMessage(Message.of(body, Metadata.of(metadata.build())))
                .ifNoItem().after(config.confirmTimeout()).fail();
    }

    private ConsumerQueues queues(String consumer) {
        return topology.queuesOf(consumer)
                .orElseThrow(() -> new IllegalStateException("no queues declared for consumer " + consumer));
    }

    private static Map<String, Object> incomingHeaders(Message<?> message) {
        return DeliveryMetadata.of(message).headers();
    }
}
