package io.orderflow.messaging;

import java.util.List;

import io.orderflow.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** An event decoded, matched to its consumer's handler and read into its payload record. */
public record RoutedEvent<T>(EventEnvelope envelope, EventConsumer.Binding<T> binding, T payload) {

    public Uni<Void> applyHandler() {
        return binding.handler().apply(payload, envelope);
    }

    /** Applies several events of one binding at once; all must share this event's binding. */
    @SuppressWarnings("unchecked")
    static <T> Uni<Void> applyAll(SqlConnection sql, EventConsumer.Binding<T> binding, List<RoutedEvent<?>> events) {
        List<T> payloads = events.stream().map(event -> (T) event.payload()).toList();
        return binding.batchHandler().applyAll(sql, payloads, events.stream().map(RoutedEvent::envelope).toList());
    }

    /** Whether the event says which aggregate step it is; events written before sequences existed do not. */
    public boolean sequenced() {
        return envelope.subject() != null && envelope.sequence() != null;
    }
}
