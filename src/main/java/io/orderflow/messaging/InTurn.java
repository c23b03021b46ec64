package io.orderflow.messaging;

import java.util.List;
import java.util.function.Function;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Runs a step per item, one after the other, each made and subscribed when the previous one ended:
 * steps that share a Vert.x context share its database session, which allows one use at a time.
 */
final class InTurn {

    private InTurn() {
    }

    static <T> Uni<Void> run(List<T> items, Function<T, Uni<?>> step) {
        if (items.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(items)
                .onItem().transformToUniAndConcatenate(step)
                .collect().last().replaceWithVoid();
    }
}
