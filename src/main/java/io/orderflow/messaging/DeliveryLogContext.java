package io.orderflow.messaging;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;

import io.orderflow.events.EventEnvelope;

/**
 * Puts what identifies a delivery into the logging context, so every line logged while it is
 * handled (JSON logs in prod) carries consumer, event id and type, and the correlation id. In
 * Quarkus the MDC lives in the message's Vert.x context, so it does not leak to other messages.
 */
final class DeliveryLogContext {

    static final String CONSUMER = "consumer";
    static final String EVENT_ID = "event_id";
    static final String EVENT_TYPE = "event_type";
    static final String CORRELATION_ID = "correlation_id";

    private DeliveryLogContext() {
    }

    /** A batch: only the consumer is common to all of its deliveries. */
    static void consumer(String consumer) {
        MDC.put(CONSUMER, consumer);
    }

    static void received(String consumer, Message<?> message) {
        MDC.put(CONSUMER, consumer);
        DeliveryMetadata.of(message).correlationId()
                .ifPresent(correlationId -> MDC.put(CORRELATION_ID, correlationId));
    }

    static void routed(EventEnvelope envelope) {
        MDC.put(EVENT_ID, envelope.id().toString());
        MDC.put(EVENT_TYPE, envelope.type());
        if (MDC.get(CORRELATION_ID) == null && envelope.subject() != null) {
            MDC.put(CORRELATION_ID, envelope.subject());
        }
    }

    static void done() {
        MDC.remove(CONSUMER);
        MDC.remove(EVENT_ID);
        MDC.remove(EVENT_TYPE);
        MDC.remove(CORRELATION_ID);
    }
}
