package io.orderflow.messaging;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.orderflow.events.EventEnvelope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The idempotency record of every consumer: which events it has applied. */
@ApplicationScoped
public class Inbox {

    // The primary key (consumer, event_id) makes a second claim of the same event a no-op, and a
    // concurrent claim waits on the index until the first transaction commits or rolls back. Run in
    // the handler's transaction, the claim and the effects commit together or not at all.
    private static final String CLAIM = """
            insert into processed_events (consumer, event_id, event_type, processed_at)
            values (:consumer, :eventId, :eventType, now())
            on conflict do nothing""";

    /** {@link #claim} for several events in one round trip: the ids claimed now (not applied before). */
    public Uni<Set<UUID>> claimAll(String consumer, List<EventEnvelope> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        String sql = "insert into processed_events (consumer, event_id, event_type, processed_at) values "
                + SqlRows.of(events.size(), i -> "(:consumer, :e" + i + ", :t" + i + ", now())")
                + " on conflict do nothing returning event_id";
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql, UUID.class).setParameter("consumer", consumer);
            for (int i = 0; i < events.size(); i++) {
                query.setParameter("e" + i, events.get(i).id());
                query.setParameter("t" + i, events.get(i).type());
            }
            return query.getResultList();
        }).map(HashSet::new);
    }

    /** Claims the event for the consumer in the current transaction; false when it was applied before. */
    public Uni<Boolean> claim(String consumer, UUID eventId, String eventType) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(CLAIM)
                        .setParameter("consumer", consumer)
                        .setParameter("eventId", eventId)
                        .setParameter("eventType", eventType)
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }
}
