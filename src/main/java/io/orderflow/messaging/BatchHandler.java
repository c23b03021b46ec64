package io.orderflow.messaging;

import java.util.List;

import io.orderflow.events.EventEnvelope;
import io.smallrye.mutiny.Uni;

/**
 * Applies many events of one type at once, with the same effect as its {@link EventHandler} applied
 * to each in turn: lets a handler write a whole batch in one statement. Runs inside the pipeline's
 * transaction, after the idempotency claims; {@code payloads} and {@code envelopes} pair up by index.
 */
@FunctionalInterface
public interface BatchHandler<T> {

    Uni<Void> applyAll(List<T> payloads, List<EventEnvelope> envelopes);
}
