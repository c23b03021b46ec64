package io.orderflow.messaging;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import io.orderflow.events.EventCodec;
import io.orderflow.events.EventEnvelope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Appends an event to the outbox in the caller's transaction, so the state change and its event
 * commit together; the {@link OutboxRelay} publishes it afterwards. Callers nudge the relay with
 * {@link OutboxRelay#publishSoon()} once their transaction has committed.
 */
@ApplicationScoped
public class OutboxWriter {

    private static final String APPEND = """
            insert into outbox (event_id, event_type, source, subject, body, traceparent, created_at)
            values (:eventId, :eventType, :source, :subject, :body, :traceparent, now())""";

    private final EventCodec codec;

    public OutboxWriter(EventCodec codec) {
        this.codec = codec;
    }

    /** Must run inside the transaction of the state change it announces. */
    public Uni<Void> append(EventEnvelope envelope) {
        String body = new String(codec.encode(envelope), StandardCharsets.UTF_8);
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(APPEND)
                        .setParameter("eventId", envelope.id())
                        .setParameter("eventType", envelope.type())
                        .setParameter("source", envelope.source())
                        .setParameter("subject", envelope.subject())
                        .setParameter("body", body)
                        .setParameter("traceparent", TraceContext.current())
                        .executeUpdate())
                .replaceWithVoid();
    }
}
