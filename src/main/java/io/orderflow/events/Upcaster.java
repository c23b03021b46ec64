package io.orderflow.events;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns the data of one version of an event type into the data of the next version. It gets data
 * that already passed its version's schema, and owns it (a copy), so it may change it in place.
 */
@FunctionalInterface
public interface Upcaster {

    ObjectNode upcast(ObjectNode data);
}
