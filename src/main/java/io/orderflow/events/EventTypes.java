package io.orderflow.events;

import java.util.List;
import java.util.Optional;

/**
 * Every event type this build writes or reads, at its newest version: the explicit index of the
 * JSON Schemas (one per type and version), so nothing is found by scanning the classpath.
 */
public final class EventTypes {

    public static final List<EventType<?>> ALL = List.of(OrderCreated.TYPE, OrderShipped.TYPE);

    private EventTypes() {
    }

    public static Optional<EventType<?>> named(String name) {
        return ALL.stream().filter(type -> type.name().equals(name)).findFirst();
    }
}
