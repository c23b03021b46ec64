package io.orderflow.messaging;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The last event sequence each consumer applied per aggregate. Every method runs in the caller's
 * transaction; {@link #lock} is what serializes two events of one aggregate across consumers.
 */
@ApplicationScoped
public class AggregateProgress {

    // One round trip: create the row if needed and lock it either way. ON CONFLICT DO UPDATE takes
    // the row lock (a concurrent first insert waits on the key until the other transaction ends),
    // so events of one aggregate serialize across consumers until this transaction commits.
    private static final String LOCK = """
            insert into aggregate_progress (consumer, aggregate_id, last_sequence)
            values (:consumer, :aggregate, 0)
            on conflict (consumer, aggregate_id) do update set last_sequence = aggregate_progress.last_sequence
            returning last_sequence""";
    // Runs with the row locked, so no event of the aggregate can be parked meanwhile: the flag it
    // leaves says whether any is (a replay removes parked events before its final advance). Only a
    // set flag sends it to parked_events: parking sets the flag, so a clear one has nothing behind
    // it, and an order's own advance (every order the API creates) costs no lookup.
    private static final String ADVANCE = """
            update aggregate_progress set last_sequence = :sequence, updated_at = now(),
                has_parked = case when has_parked
                                  then exists (select 1 from parked_events p
                                               where p.consumer = :consumer and p.aggregate_id = :aggregate)
                                  else false end
            where consumer = :consumer and aggregate_id = :aggregate and last_sequence < :sequence""";
    // The advance, and whether the next step is parked (looked for only while any is).
    private static final String ADVANCE_AND_CHECK = ADVANCE + """

            returning case when has_parked
                           then exists (select 1 from parked_events p
                                        where p.consumer = :consumer and p.aggregate_id = :aggregate and p.sequence = :sequence + 1)
                           else false end""";
    // The batch forms: one parameter per column, so each is one prepared statement whatever the batch size.
    // unnest keeps the array's order, which is the order the rows are locked in.
    // A row it creates starts at the sequence the caller's batch will reach for a new aggregate, so
    // the advance need not write it a second time. "xmax = 0" tells a row this statement inserted
    // from one it found: a found row is locked, and the version the update leaves carries that lock.
    // It returns the row as the lock found it, the latest committed version even when it had to wait
    // for another transaction: so has_parked counts everything parked before (parking holds the lock).
    static final String LOCK_ALL = """
            insert into aggregate_progress (consumer, aggregate_id, last_sequence)
            select $1, aggregate_id, sequence from unnest($2::varchar[], $3::bigint[]) as a (aggregate_id, sequence)
            on conflict (consumer, aggregate_id) do update set last_sequence = aggregate_progress.last_sequence
            returning aggregate_id, last_sequence, xmax = 0 as created, has_parked""";
    // LOCK_ALL when the batch has sent its writes along, expecting each aggregate at the step before
    // its first event in the batch ($4; 0: new, so created here) and none with events parked: fails
    // the transaction with SQLSTATE OF001 otherwise (see V6__batch_expectations.sql), before any of
    // the writes behind it runs. The comparison reads only the rows the lock returned.
    static final String LOCK_ALL_EXPECTING = "with locked as (" + LOCK_ALL + ")\n" + """
            select orderflow_expect(coalesce(bool_and(case when e.last_sequence = 0 then l.created
                                                           else not l.created and l.last_sequence = e.last_sequence
                                                                and not l.has_parked end), true),
                                    'each aggregate at the step before its first event in the batch, none parked')
            from locked l join unnest($2::varchar[], $4::bigint[]) as e (aggregate_id, last_sequence) using (aggregate_id)""";
    // An upsert, not an update joined to the array: ON CONFLICT finds each row through the primary
    // key whatever the planner believes. As a join, on a table without statistics, the planner took
    // "consumer = $1" for a few rows, hashed them all (every row of the consumer) and matched the
    // batch against that: 20 to 100 ms a batch at 100,000 rows. The rows exist (locked by LOCK_ALL
    // in the same transaction), so nothing is inserted; rows LOCK_ALL created are not advanced again.
    static final String ADVANCE_ALL = """
            insert into aggregate_progress (consumer, aggregate_id, last_sequence, updated_at)
            select $1, aggregate_id, sequence, now() from unnest($2::varchar[], $3::bigint[]) as v (aggregate_id, sequence)
            on conflict (consumer, aggregate_id) do update
                set last_sequence = excluded.last_sequence, updated_at = excluded.updated_at
                where aggregate_progress.last_sequence < excluded.last_sequence""";
    private static final String READ = """
            select last_sequence from aggregate_progress where consumer = :consumer and aggregate_id = :aggregate""";

    /** Locks the aggregate for this consumer until the transaction ends; returns its last sequence (0 if none). */
    public Uni<Long> lock(String consumer, String aggregate) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(LOCK, Long.class)
                .setParameter("consumer", consumer)
                .setParameter("aggregate", aggregate)
                .getSingleResult());
    }

    /**
     * Records {@code sequence} as applied and tells whether its successor is parked, in one round
     * trip. The check must not share the lock's statement: a lock that waited for another
     * transaction reads with a snapshot from before that one committed, blind to what it parked.
     * This statement starts after the lock is held, so it sees every event parked behind it.
     */
    public Uni<Boolean> advanceAndCheckSuccessor(String consumer, String aggregate, long sequence) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(ADVANCE_AND_CHECK, Boolean.class)
                        .setParameter("consumer", consumer)
                        .setParameter("aggregate", aggregate)
                        .setParameter("sequence", sequence)
                        .getResultList())
                .map(rows -> !rows.isEmpty() && Boolean.TRUE.equals(rows.get(0)));
    }

    /**
     * What {@link #lockAll} found: per aggregate, the last sequence applied before this transaction
     * (0 if new), the aggregates whose row it created, already at their {@code ifNew} sequence, and
     * those that may have events parked.
     */
    public record Locked(Map<String, Long> last, Set<String> created, Set<String> withParked) {
    }

    /**
     * {@link #lock} for several aggregates in one round trip, on the batch transaction's connection,
     * in the order given (callers sort, so two transactions never wait for each other in a cycle).
     * A row that does not exist yet is created at {@code ifNew}'s sequence for its aggregate (0 if
     * none): the caller records in the same statement what its batch will have applied.
     */
    public Uni<Locked> lockAll(SqlConnection sql, String consumer, List<String> aggregates, Map<String, Long> ifNew) {
        if (aggregates.isEmpty()) {
            return Uni.createFrom().item(new Locked(Map.of(), Set.of(), Set.of()));
        }
        Long[] sequences = aggregates.stream().map(aggregate -> ifNew.getOrDefault(aggregate, 0L)).toArray(Long[]::new);
        return sql.preparedQuery(LOCK_ALL).execute(Tuple.of(consumer, aggregates.toArray(String[]::new), sequences))
                .map(rows -> {
                    Map<String, Long> last = new HashMap<>();
                    Set<String> created = new HashSet<>();
                    Set<String> withParked = new HashSet<>();
                    rows.forEach(row -> {
                        String aggregate = row.getString(0);
                        boolean inserted = row.getBoolean(2);
                        last.put(aggregate, inserted ? 0L : row.getLong(1));
                        if (inserted) {
                            created.add(aggregate);
                        }
                        if (row.getBoolean(3)) {
                            withParked.add(aggregate);
                        }
                    });
                    return new Locked(last, created, withParked);
                });
    }

    /**
     * {@link #lockAll}, expecting what it finds: each aggregate's last sequence as in {@code expected}
     * (0: the row is new, and created at {@code ifNew}'s sequence) and no events parked. Fails with
     * {@link BatchExpectation#missed SQLSTATE OF001} when that does not hold, which aborts the
     * transaction before any statement sent after this one runs.
     */
    public Uni<Void> lockExpecting(SqlConnection sql, String consumer, List<String> aggregates, Map<String, Long> ifNew,
            Map<String, Long> expected) {
        if (aggregates.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] sequences = aggregates.stream().map(aggregate -> ifNew.getOrDefault(aggregate, 0L)).toArray(Long[]::new);
        Long[] last = aggregates.stream().map(expected::get).toArray(Long[]::new);
        return sql.preparedQuery(LOCK_ALL_EXPECTING)
                .execute(Tuple.of(consumer, aggregates.toArray(String[]::new), sequences, last))
                .replaceWithVoid();
    }

    /** {@link #advance} for several aggregates in one round trip, on the batch transaction's connection. */
    public Uni<Void> advanceAll(SqlConnection sql, String consumer, Map<String, Long> sequences) {
        if (sequences.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.preparedQuery(ADVANCE_ALL)
                .execute(Tuple.of(consumer, sequences.keySet().toArray(String[]::new),
                        sequences.values().toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /** Records {@code sequence} as applied (never moves backwards). */
    public Uni<Void> advance(String consumer, String aggregate, long sequence) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(ADVANCE)
                        .setParameter("consumer", consumer)
                        .setParameter("aggregate", aggregate)
                        .setParameter("sequence", sequence)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Locks, then records {@code sequence}: for a producer whose own new event is applied by itself. */
    public Uni<Void> recordOwn(String consumer, String aggregate, long sequence) {
        return lock(consumer, aggregate).flatMap(last -> advance(consumer, aggregate, sequence));
    }

    /** The last applied sequence without locking (0 if none), for display. */
    public Uni<Long> read(String consumer, String aggregate) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(READ, Long.class)
                        .setParameter("consumer", consumer)
                        .setParameter("aggregate", aggregate)
                        .getResultList())
                .map(rows -> rows.isEmpty() ? 0L : rows.get(0));
    }
}
