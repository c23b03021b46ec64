package io.orderflow.messaging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.orderflow.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Applies a batch of events in one transaction, on the connection it is given, with the rules of
 * {@link OrderedApplier} in a handful of statements for the whole batch, in two round trips. The
 * first locks the progress rows of all its aggregates (creating those of new ones at the sequence
 * the batch reaches), which also tells which of them have events parked, and claims the
 * idempotency records of every event a batch handler could apply. The second gives back the claims
 * of the events the batch does not apply after all, records the new progress of the aggregates that
 * existed, and holds the handlers' writes, a statement or two per event type. Everything else is
 * decided in memory: a step already passed is stale, the next step is applied.
 * <p>
 * That is the careful way. A consumer keeping up with new events finds every aggregate at the step
 * before its first event in the batch and no event applied before, so the expected way
 * ({@link #applyExpecting}) sends the writes for that case along with the locks and claims, whose
 * statements check it and abort the transaction before any write runs when it does not hold; the
 * careful way then applies the batch. One round trip fewer before the commit, measured at 5,000
 * events/s (bench/throughput's steps): see bench/README.md.
 * <p>
 * What needs more than that is deferred, with every later event of its aggregate in the batch, to
 * the one-event-at-a-time path after this transaction: an aggregate with parked events (applying
 * may replay them), a step after a gap (it is parked), an event whose handler takes no batches.
 */
@ApplicationScoped
public class BatchApplier {

    /**
     * Per item, in the batch's order: its outcome, or null when it was deferred; and whether the
     * batch found what {@link #applyExpecting} expects.
     */
    public record Result(List<Outcome> outcomes, boolean asExpected) {

        public boolean deferred(int index) {
            return outcomes.get(index) == null;
        }
    }

    private final AggregateProgress progress;
    private final Inbox inbox;
    private final BatchExpectation expectation;
    private final ConsumerMetrics metrics;

    public BatchApplier(AggregateProgress progress, Inbox inbox, BatchExpectation expectation, ConsumerMetrics metrics) {
        this.progress = progress;
        this.inbox = inbox;
        this.expectation = expectation;
        this.metrics = metrics;
    }

    /**
     * Applies the batch in a transaction of its own: the expected way while that lately held for
     * the consumer, and the careful way when it does not or did not this time.
     */
    public Uni<Result> applyInTransaction(Pool database, EventConsumer consumer, List<RoutedEvent<?>> items) {
        if (!expectation.worthTrying(consumer.name())) {
            return PipelinedTransaction.run(database, sql -> apply(sql, consumer, items))
                    .invoke(result -> expectation.record(consumer.name(), result.asExpected()));
        }
        return PipelinedTransaction.run(database, sql -> applyExpecting(sql, consumer, items))
                .invoke(result -> expectation.record(consumer.name(), true))
                .onFailure(BatchExpectation::missed).recoverWithUni(missed -> {
                    expectation.record(consumer.name(), false);
                    metrics.expectationMissed(consumer.name());
                    return PipelinedTransaction.run(database, sql -> apply(sql, consumer, items));
                });
    }

    /**
     * Applies the batch with its writes sent along with the locks and claims they depend on, in one
     * round trip before the commit instead of two, as if every aggregate were at the step before its
     * first event in the batch, none had events parked and no event had been applied before: what a
     * consumer keeping up with new events finds. The lock and claim statements check that, and fail
     * the transaction ({@link BatchExpectation#missed}) before any write runs when it does not hold.
     * Must run in a transaction on {@code sql}; {@code items} sorted as for {@link #apply}.
     */
    public Uni<Result> applyExpecting(SqlConnection sql, EventConsumer consumer, List<RoutedEvent<?>> items) {
        Expectation expectation = Expectation.of(items);
        Map<String, Long> expected = expectation.last();
        Plan plan = expectation.plan();
        // A new aggregate's row is created at the sequence the batch reaches; an existing one is advanced.
        Map<String, Long> ifNew = new HashMap<>();
        Map<String, Long> advance = new LinkedHashMap<>();
        plan.advance.forEach((aggregate, reached) -> (expected.get(aggregate) == 0 ? ifNew : advance).put(aggregate, reached));
        Map<UUID, String> claims = new LinkedHashMap<>();
        plan.apply.forEach(i -> claims.put(items.get(i).envelope().id(), items.get(i).envelope().type()));
        return Uni.combine().all()
                .unis(progress.lockExpecting(sql, consumer.name(), List.copyOf(expected.keySet()), ifNew, expected),
                        inbox.claimExpecting(sql, consumer.name(), claims),
                        progress.advanceAll(sql, consumer.name(), advance),
                        applyClaimed(sql, items, plan, new HashSet<>(claims.keySet())))
                .discardItems()
                .map(done -> new Result(Arrays.asList(plan.outcomes), true));
    }

    /**
     * What {@link #applyExpecting} assumes of a batch: per aggregate, in the batch's order, the step
     * before its first event in the batch; and the plan that follows from it.
     */
    private record Expectation(Map<String, Long> last, Plan plan) {

        static Expectation of(List<RoutedEvent<?>> items) {
            Map<String, Long> last = new LinkedHashMap<>();
            for (RoutedEvent<?> item : items) {
                if (item.sequenced()) {
                    last.putIfAbsent(item.envelope().subject(), item.envelope().sequence() - 1);
                }
            }
            return new Expectation(last, Plan.of(items, last, Set.of()));
        }

        /** Whether the careful way found what the expected way would have assumed. */
        boolean heldFor(List<RoutedEvent<?>> items, AggregateProgress.Locked locked, Set<UUID> claimed) {
            boolean progressAsExpected = locked.withParked().isEmpty() && last.entrySet().stream()
                    .allMatch(each -> locked.created().contains(each.getKey()) == (each.getValue() == 0)
                            && locked.last().get(each.getKey()).equals(each.getValue()));
            return progressAsExpected && plan.apply.stream().allMatch(i -> claimed.contains(items.get(i).envelope().id()));
        }
    }

    /**
     * Must run in a transaction on {@code sql}; {@code items} sorted by aggregate, then sequence
     * (the order the progress rows are locked in, so two batches never wait on each other in a cycle).
     */
    public Uni<Result> apply(SqlConnection sql, EventConsumer consumer, List<RoutedEvent<?>> items) {
        List<String> aggregates = items.stream().filter(RoutedEvent::sequenced)
                .map(item -> item.envelope().subject()).distinct().toList();
        // Where the batch takes an aggregate it finds new: its row is created there, written once.
        Map<String, Long> ifNew = Plan.of(items, Map.of(), Set.of()).advance;
        // Claimed before the plan is known, so the claims need no round trip of their own (the
        // handlers wait for them); what the plan then leaves out is given back before the commit.
        List<EventEnvelope> claimable = items.stream().filter(item -> item.binding().batchHandler() != null)
                .map(RoutedEvent::envelope).toList();
        // Sent together (pipelined): Postgres runs the claims after the lock statement has finished
        // waiting for the locks.
        return Uni.combine().all()
                .unis(progress.lockAll(sql, consumer.name(), aggregates, ifNew),
                        inbox.claimAll(sql, consumer.name(), claimable))
                .with((locked, claimed) -> new Claimed(
                        Plan.of(items, locked.last(), locked.withParked()).advancedAtLock(locked.created(), ifNew), claimed,
                        Expectation.of(items).heldFor(items, locked, claimed)))
                .flatMap(decided -> execute(sql, consumer, items, decided.plan(), decided.ids())
                        .map(outcomes -> new Result(outcomes, decided.asExpected())));
    }

    /**
     * The plan, the ids of the events this transaction claimed (applied by no one before), and
     * whether {@link #applyExpecting} would have found what it expects.
     */
    private record Claimed(Plan plan, Set<UUID> ids, boolean asExpected) {
    }

    /** What to do with each item, decided from the locked progress alone. */
    private static final class Plan {
        final Outcome[] outcomes;
        final List<Integer> apply = new ArrayList<>();
        /** Per item to apply: how many earlier items of its aggregate this batch applies before it. */
        final Map<Integer, Integer> round = new HashMap<>();
        final Map<String, Long> advance = new LinkedHashMap<>();

        private Plan(int size) {
            outcomes = new Outcome[size];
        }

        static Plan of(List<RoutedEvent<?>> items, Map<String, Long> lastApplied, Set<String> withParked) {
            Plan plan = new Plan(items.size());
            Set<String> deferred = new HashSet<>(withParked);
            for (int i = 0; i < items.size(); i++) {
                RoutedEvent<?> event = items.get(i);
                if (!event.sequenced()) {
                    plan.decideUnsequenced(i, event);
                } else {
                    plan.decideStep(i, event, lastApplied, deferred);
                }
            }
            return plan;
        }

        /**
         * Leaves out of the advance the aggregates whose row the lock created at their
         * {@code ifNew} sequence. A new aggregate has no parked events (parking locks, so creates,
         * its row first), so the plan reaches the same sequence; if it ever did not, the batch fails
         * and its events are applied one by one.
         */
        Plan advancedAtLock(Set<String> created, Map<String, Long> ifNew) {
            for (String aggregate : created) {
                long createdAt = ifNew.getOrDefault(aggregate, 0L);
                long reached = advance.getOrDefault(aggregate, 0L);
                if (reached != createdAt) {
                    throw new IllegalStateException("Aggregate " + aggregate + " was created at sequence "
                            + createdAt + " but the batch reaches " + reached);
                }
                advance.remove(aggregate);
            }
            return this;
        }

        private void decideUnsequenced(int i, RoutedEvent<?> event) {
            if (event.binding().batchHandler() != null) {
                apply.add(i);
                round.put(i, 0);
            }
        }

        private void decideStep(int i, RoutedEvent<?> event, Map<String, Long> lastApplied, Set<String> deferred) {
            String aggregate = event.envelope().subject();
            long sequence = event.envelope().sequence();
            long applied = advance.getOrDefault(aggregate, lastApplied.getOrDefault(aggregate, 0L));
            if (deferred.contains(aggregate)) {
                return;
            }
            if (sequence <= applied) {
                outcomes[i] = Outcome.STALE;
            } else if (sequence > applied + 1 || event.binding().batchHandler() == null) {
                deferred.add(aggregate);
            } else {
                apply.add(i);
                round.put(i, (int) (sequence - lastApplied.getOrDefault(aggregate, 0L) - 1));
                advance.put(aggregate, sequence);
            }
        }
    }

    /**
     * Gives back the claims of events the plan does not apply (stale or deferred: the one-at-a-time
     * path claims those itself), records the new progress and applies what was claimed, all sent
     * together (pipelined).
     */
    private Uni<List<Outcome>> execute(SqlConnection sql, EventConsumer consumer, List<RoutedEvent<?>> items, Plan plan,
            Set<UUID> claimed) {
        Set<UUID> notApplied = new HashSet<>(claimed);
        plan.apply.forEach(i -> notApplied.remove(items.get(i).envelope().id()));
        return Uni.combine().all()
                .unis(inbox.releaseAll(sql, consumer.name(), notApplied),
                        progress.advanceAll(sql, consumer.name(), plan.advance),
                        applyClaimed(sql, items, plan, claimed))
                .discardItems()
                .map(done -> Arrays.asList(plan.outcomes));
    }

    /**
     * Applies what this batch claimed (the first of two copies in one batch takes the claim), in
     * rounds: the first step of each aggregate, then the second, and so on, so each aggregate's
     * events keep their order; within a round, one call per handler for all its events.
     */
    private static Uni<Void> applyClaimed(SqlConnection sql, List<RoutedEvent<?>> items, Plan plan, Set<UUID> claimed) {
        Map<Integer, Map<EventConsumer.Binding<?>, List<RoutedEvent<?>>>> rounds = new TreeMap<>();
        for (int i : plan.apply) {
            RoutedEvent<?> event = items.get(i);
            boolean first = claimed.remove(event.envelope().id());
            plan.outcomes[i] = first ? Outcome.APPLIED : Outcome.DUPLICATE;
            if (first) {
                rounds.computeIfAbsent(plan.round.get(i), round -> new LinkedHashMap<>())
                        .computeIfAbsent(event.binding(), binding -> new ArrayList<>()).add(event);
            }
        }
        List<Map.Entry<EventConsumer.Binding<?>, List<RoutedEvent<?>>>> calls = rounds.values().stream()
                .flatMap(round -> round.entrySet().stream()).toList();
        return InTurn.run(calls, call -> RoutedEvent.applyAll(sql, call.getKey(), call.getValue()));
    }
}
