package io.orderflow.messaging;

import io.orderflow.events.EventEnvelope;
import io.smallrye.mutiny.Uni;

/** An event decoded, matched to its consumer's handler and read into its payload record. */
public record RoutedEvent<T>(EventEnvelope envelope, EventConsumer.Binding<T> binding, T payload) {

    public Uni<Void> applyHandler() {
        return binding.handler().apply(payload, envelope);
    }

    /** Whether the event says which aggregate step it is; events written before sequences existed do not. */
    public boolean sequenced() {
        return envelope.subject() != null && envelope.sequence() != null;
    }
}
