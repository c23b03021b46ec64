package io.orderflow.messaging;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.orderflow.events.EventEnvelope;
import io.orderflow.events.Rfc3339Millis;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/** Events waiting for their prerequisite, per consumer and aggregate; all in the caller's transaction. */
@ApplicationScoped
public class ParkedEvents {

    /** What a parked event looks like from outside. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Parked(UUID eventId, String type, long sequence,
            @JsonSerialize(using = Rfc3339Millis.class) Instant parkedAt) {
    }

    // The caller holds the aggregate's progress row lock, so whoever locks it next sees the flag.
    private static final String PARK = """
            with parked as (
                insert into parked_events (consumer, event_id, aggregate_id, sequence, event_type, body, parked_at)
                values (:consumer, :eventId, :aggregate, :sequence, :type, :body, now())
                on conflict do nothing)
            update aggregate_progress set has_parked = true where consumer = :consumer and aggregate_id = :aggregate""";
    // Locks the row: a concurrent expiry (which skips locked rows) cannot dead-letter an event that
    // is being replayed, and a replay waits for an expiry that got there first, then finds nothing.
    private static final String NEXT = """
            select body from parked_events
            where consumer = :consumer and aggregate_id = :aggregate and sequence = :sequence
            order by parked_at limit 1
            for update""";
    // Removes every parked copy of a step: once one is applied, any other (another event id for the
    // same step) would be stale.
    private static final String REMOVE = """
            delete from parked_events
            where consumer = :consumer and aggregate_id = :aggregate and sequence = :sequence""";
    private static final String LIST = """
            select event_id, event_type, sequence, parked_at from parked_events
            where consumer = :consumer and aggregate_id = :aggregate order by sequence""";

    public Uni<Void> park(String consumer, EventEnvelope envelope, String body) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(PARK)
                        .setParameter("consumer", consumer)
                        .setParameter("eventId", envelope.id())
                        .setParameter("aggregate", envelope.subject())
                        .setParameter("sequence", envelope.sequence())
                        .setParameter("type", envelope.type())
                        .setParameter("body", body)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** The body of a parked event for step {@code sequence}, if there is one. */
    public Uni<Optional<String>> next(String consumer, String aggregate, long sequence) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(NEXT, String.class)
                        .setParameter("consumer", consumer)
                        .setParameter("aggregate", aggregate)
                        .setParameter("sequence", sequence)
                        .getResultList())
                .map(bodies -> bodies.stream().findFirst());
    }

    public Uni<Void> remove(String consumer, String aggregate, long sequence) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(REMOVE)
                        .setParameter("consumer", consumer)
                        .setParameter("aggregate", aggregate)
                        .setParameter("sequence", sequence)
                        .executeUpdate())
                .replaceWithVoid();
    }

    public Uni<List<Parked>> list(String consumer, String aggregate) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(LIST, Object[].class)
                        .setParameter("consumer", consumer)
                        .setParameter("aggregate", aggregate)
                        .getResultList())
                .map(rows -> rows.stream().map(ParkedEvents::parked).toList());
    }

    private static Parked parked(Object[] row) {
        Object parkedAt = row[3];
        Instant at = parkedAt instanceof OffsetDateTime offset ? offset.toInstant() : (Instant) parkedAt;
        return new Parked((UUID) row[0], (String) row[1], ((Number) row[2]).longValue(), at);
    }
}
