package io.orderflow.messaging;

import io.orderflow.events.EventEnvelope;
import io.smallrye.mutiny.Uni;

/** Applies one decoded event; runs inside the pipeline's transaction, after the idempotency claim. */
@FunctionalInterface
public interface EventHandler<T> {

    Uni<Void> apply(T payload, EventEnvelope envelope);
}
