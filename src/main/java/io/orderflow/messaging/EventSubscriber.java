package io.orderflow.messaging;

/**
 * Implemented by each feature's {@code @Incoming} bean, so the topology knows every consumer (its
 * queue and the event types to bind) before the channels start.
 */
public interface EventSubscriber {

    EventConsumer consumer();
}
