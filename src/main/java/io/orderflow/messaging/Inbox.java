package io.orderflow.messaging;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.orderflow.events.EventEnvelope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

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
    static final String CLAIM_ALL = """
            insert into processed_events (consumer, event_id, event_type, processed_at)
            select $1, event_id, event_type, now() from unnest($2::uuid[], $3::varchar[]) as e (event_id, event_type)
            on conflict do nothing
            returning event_id""";
    // CLAIM_ALL when the batch has sent its writes along, expecting every claim to be new ($2 holds
    // distinct ids): fails the transaction with SQLSTATE OF001 otherwise.
    static final String CLAIM_ALL_EXPECTING = "with claimed as (" + CLAIM_ALL + ")\n" + """
            select orderflow_expect(count(*) = cardinality($2::uuid[]), 'no event of the batch applied before')
            from claimed""";
    // Each claim found by its key, then deleted by its row address: a generic plan of
    // "event_id = any($2)" costed on an empty table filtered all of the consumer's processed events.
    // The rows are claims this transaction inserted, so no other one can move them before it ends.
    static final String RELEASE_ALL = """
            delete from processed_events p
            using (select claim.ctid from unnest($2::uuid[]) as v (event_id)
                   cross join lateral (select c.ctid from processed_events c
                                       where c.consumer = $1 and c.event_id = v.event_id limit 1) as claim) as mine
            where p.ctid = mine.ctid""";

    /**
     * {@link #claim} for several events in one round trip, on the batch transaction's connection:
     * the ids claimed now (not applied before).
     */
    public Uni<Set<UUID>> claimAll(SqlConnection sql, String consumer, List<EventEnvelope> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        UUID[] ids = events.stream().map(EventEnvelope::id).toArray(UUID[]::new);
        String[] types = events.stream().map(EventEnvelope::type).toArray(String[]::new);
        return sql.preparedQuery(CLAIM_ALL).execute(Tuple.of(consumer, ids, types))
                .map(rows -> {
                    Set<UUID> claimed = new HashSet<>();
                    rows.forEach(row -> claimed.add(row.getUUID(0)));
                    return claimed;
                });
    }

    /**
     * {@link #claimAll} of the events in {@code types} (each id to its event type), expecting every
     * one to be claimed now: fails with {@link BatchExpectation#missed SQLSTATE OF001} otherwise,
     * which aborts the transaction.
     */
    public Uni<Void> claimExpecting(SqlConnection sql, String consumer, Map<UUID, String> types) {
        if (types.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.preparedQuery(CLAIM_ALL_EXPECTING)
                .execute(Tuple.of(consumer, types.keySet().toArray(UUID[]::new), types.values().toArray(String[]::new)))
                .replaceWithVoid();
    }

    /**
     * Undoes, in the batch transaction, claims of {@link #claimAll} for events the batch did not
     * apply after all, so whoever applies them later can claim them.
     */
    public Uni<Void> releaseAll(SqlConnection sql, String consumer, Set<UUID> claimedHere) {
        if (claimedHere.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.preparedQuery(RELEASE_ALL).execute(Tuple.of(consumer, claimedHere.toArray(UUID[]::new))).replaceWithVoid();
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
