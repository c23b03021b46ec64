package io.orderflow.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.orderflow.events.EventEnvelope;
import io.smallrye.mutiny.Uni;

/**
 * Applies a batch of events in one transaction with the same rules as {@link OrderedApplier}, in a
 * few statements for the whole batch instead of several per event: one locks the progress rows of
 * all its orders, one finds which of them have events parked, one claims the idempotency records
 * of everything to apply, one records the new progress. Orders with parked events take the
 * one-event-at-a-time path, which knows how to replay them; everything else is decided in memory:
 * a step already passed is stale, the next step is applied, a step after a gap is parked.
 */
@ApplicationScoped
public class BatchApplier {

    /** An event of the batch and its body as received (kept if the event is parked). */
    public record Item(RoutedEvent<?> event, byte[] body) {

        EventEnvelope envelope() {
            return event.envelope();
        }
    }

    private final AggregateProgress progress;
    private final ParkedEvents parked;
    private final Inbox inbox;
    private final OrderedApplier oneByOne;

    public BatchApplier(AggregateProgress progress, ParkedEvents parked, Inbox inbox, OrderedApplier oneByOne) {
        this.progress = progress;
        this.parked = parked;
        this.inbox = inbox;
        this.oneByOne = oneByOne;
    }

    /**
     * Must run in a transaction; {@code items} sorted by aggregate, then sequence. Returns the
     * outcome of each item, in the same order.
     */
    public Uni<List<Outcome>> apply(EventConsumer consumer, List<Item> items) {
        List<String> aggregates = items.stream().filter(item -> item.event().sequenced())
                .map(item -> item.envelope().subject()).distinct().toList();
        return progress.lockAll(consumer.name(), aggregates)
                .flatMap(last -> parked.aggregatesWithParked(consumer.name(), aggregates)
                        .map(withParked -> plan(items, last, withParked)))
                .flatMap(plan -> execute(consumer, items, plan));
    }

    /** What to do with each item, decided from the locked progress alone. */
    private static final class Plan {
        final Outcome[] outcomes;
        final List<Integer> slow = new ArrayList<>();
        final List<Integer> park = new ArrayList<>();
        final List<Integer> apply = new ArrayList<>();
        final Map<String, Long> advance = new LinkedHashMap<>();

        Plan(int size) {
            outcomes = new Outcome[size];
        }
    }

    private static Plan plan(List<Item> items, Map<String, Long> lastApplied, Set<String> withParked) {
        Plan plan = new Plan(items.size());
        Map<String, Long> last = new HashMap<>(lastApplied);
        for (int i = 0; i < items.size(); i++) {
            EventEnvelope envelope = items.get(i).envelope();
            if (!items.get(i).event().sequenced()) {
                plan.apply.add(i);
                continue;
            }
            String aggregate = envelope.subject();
            long sequence = envelope.sequence();
            long applied = last.getOrDefault(aggregate, 0L);
            if (withParked.contains(aggregate)) {
                plan.slow.add(i);
            } else if (sequence <= applied) {
                plan.outcomes[i] = Outcome.STALE;
            } else if (sequence > applied + 1) {
                plan.park.add(i);
                plan.outcomes[i] = Outcome.PARKED;
            } else {
                plan.apply.add(i);
                last.put(aggregate, sequence);
                plan.advance.put(aggregate, sequence);
            }
        }
        return plan;
    }

    // One statement at a time: the steps share the transaction's session.
    private Uni<List<Outcome>> execute(EventConsumer consumer, List<Item> items, Plan plan) {
        return InTurn.run(plan.slow, i -> oneByOne.apply(consumer, items.get(i).event(), items.get(i).body())
                        .invoke(outcome -> plan.outcomes[i] = outcome))
                .chain(() -> InTurn.run(plan.park, i -> parked.park(consumer.name(), items.get(i).envelope(),
                        new String(items.get(i).body(), StandardCharsets.UTF_8))))
                .chain(() -> inbox.claimAll(consumer.name(), plan.apply.stream().map(i -> items.get(i).envelope()).toList()))
                .chain(claimed -> applyClaimed(items, plan, claimed))
                .chain(() -> progress.advanceAll(consumer.name(), plan.advance))
                .map(done -> Arrays.asList(plan.outcomes));
    }

    /**
     * Applies what this batch claimed (the first of two copies in one batch takes the claim): in one
     * call when all of it goes to one handler that takes batches, else one event after the other.
     */
    private static Uni<Void> applyClaimed(List<Item> items, Plan plan, Set<UUID> claimed) {
        List<RoutedEvent<?>> events = new ArrayList<>();
        for (int i : plan.apply) {
            boolean first = claimed.remove(items.get(i).envelope().id());
            plan.outcomes[i] = first ? Outcome.APPLIED : Outcome.DUPLICATE;
            if (first) {
                events.add(items.get(i).event());
            }
        }
        EventConsumer.Binding<?> binding = events.isEmpty() ? null : events.get(0).binding();
        boolean together = events.size() > 1 && binding.batchHandler() != null
                && events.stream().allMatch(event -> event.binding() == binding);
        return together
                ? RoutedEvent.applyAll(binding, events)
                : InTurn.run(events, RoutedEvent::applyHandler);
    }
}
