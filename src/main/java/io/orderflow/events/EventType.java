package io.orderflow.events;

/**
 * Names one event type at the version this build writes, and the record its data decodes into.
 * The name doubles as the routing key on the events exchange.
 */
public record EventType<T>(String name, int version, Class<T> payloadClass) {
}
