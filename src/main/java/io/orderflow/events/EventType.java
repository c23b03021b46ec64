package io.orderflow.events;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Names one event type at the newest version this build knows, the record its data decodes into,
 * and the upcaster chain that brings every older version up to it: {@code upcasters.get(n - 1)}
 * turns version n into n + 1. The name doubles as the routing key on the events exchange.
 */
public record EventType<T>(String name, int version, Class<T> payloadClass, List<Upcaster> upcasters) {

    public EventType {
        upcasters = List.copyOf(upcasters);
        if (version < 1 || upcasters.size() != version - 1) {
            throw new IllegalArgumentException(name + " v" + version + " needs one upcaster per older version, not "
                    + upcasters.size());
        }
    }

    /** The data of version {@code from} of this type, brought to {@link #version()} one step at a time. */
    public ObjectNode upcast(ObjectNode data, int from) {
        if (from < 1 || from > version) {
            throw new IllegalArgumentException(name + " has no version " + from + " to upcast from");
        }
        ObjectNode current = data.deepCopy();
        for (int step = from; step < version; step++) {
            current = upcasters.get(step - 1).upcast(current);
        }
        return current;
    }
}
