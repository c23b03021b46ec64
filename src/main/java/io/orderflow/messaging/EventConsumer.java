package io.orderflow.messaging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderflow.events.EventType;
import io.orderflow.roles.Role;

/**
 * One consumer of the pipeline: the role whose queue it reads and the handler for each event type
 * it applies. Its name keys the idempotency records, so it must never change once deployed.
 */
public final class EventConsumer {

    /**
     * A handler bound to the event type (and version) it understands, and optionally the same
     * handler for many events at once (null when there is none).
     */
    public record Binding<T>(EventType<T> type, EventHandler<T> handler, BatchHandler<T> batchHandler) {
    }

    private final Role role;
    private final Map<String, Binding<?>> bindings;

    private EventConsumer(Role role, Map<String, Binding<?>> bindings) {
        this.role = role;
        this.bindings = Collections.unmodifiableMap(new LinkedHashMap<>(bindings));
    }

    public static Builder of(Role role) {
        return new Builder(role);
    }

    public Role role() {
        return role;
    }

    public String name() {
        return role.id();
    }

    /** The binding for an event type name, or null when this consumer does not handle it. */
    public Binding<?> binding(String typeName) {
        return bindings.get(typeName);
    }

    public List<String> typeNames() {
        return List.copyOf(bindings.keySet());
    }

    /** Collects the handlers of one consumer. */
    public static final class Builder {
        private final Role role;
        private final Map<String, Binding<?>> bindings = new LinkedHashMap<>();

        private Builder(Role role) {
            this.role = role;
        }

        public <T> Builder on(EventType<T> type, EventHandler<T> handler) {
            bindings.put(type.name(), new Binding<>(type, handler, null));
            return this;
        }

        /** A handler that can also apply a whole batch of its type in one go. */
        public <T> Builder on(EventType<T> type, EventHandler<T> handler, BatchHandler<T> batchHandler) {
            bindings.put(type.name(), new Binding<>(type, handler, batchHandler));
            return this;
        }

        public EventConsumer build() {
            return new EventConsumer(role, bindings);
        }
    }
}
