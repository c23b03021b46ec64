package io.orderflow.messaging;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Events waiting for their prerequisite, per consumer and aggregate; all in the caller's transaction. */
@ApplicationScoped
public class ParkedEvents {

    /** What a parked event looks like from outside. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Parked(UUID eventId, String type, long sequence,
            @JsonSerialize(using = Rfc3339Millis.class) Instant parkedAt) {
    }

    private static final String PARK = """
            insert into parked_events (consumer, event_id, aggregate_id, sequence, event_type, body, parked_at)
            values (:consumer, :eventId, :aggregate, :sequence, :type, :body, now())
            on conflict do nothing""";
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
    // One index probe per aggregate of the batch (they are distinct), whatever the plan is costed on:
    // the lateral subquery can only run once per aggregate, with both key columns bound. Written as
    // "aggregate_id = any($2)", a generic plan costed on an empty table scanned all of the
    // consumer's parked events and filtered them (see PipelinedTransaction).
    static final String WITH_PARKED = """
            select a.aggregate_id from unnest($2::varchar[]) as a (aggregate_id)
            cross join lateral (select 1 from parked_events p
                                where p.consumer = $1 and p.aggregate_id = a.aggregate_id limit 1) as parked""";
    private static final String LIST = """
            select event_id, event_type, sequence, parked_at from parked_events
            where consumer = :consumer and aggregate_id = :aggregate order by sequence""";

    /**
     * Which of these aggregates have events parked, on the batch transaction's connection. Run after
     * their progress rows are locked, in a statement of its own, so it sees everything parked by
     * transactions that held those locks.
     */
    public Uni<Set<String>> aggregatesWithParked(SqlConnection sql, String consumer, List<String> aggregates) {
        if (aggregates.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return sql.preparedQuery(WITH_PARKED).execute(Tuple.of(consumer, aggregates.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> withParked = new HashSet<>();
                    rows.forEach(row -> withParked.add(row.getString(0)));
                    return withParked;
                });
    }

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
