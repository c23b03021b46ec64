package io.orderflow.messaging;

import java.util.List;

import io.orderflow.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Applies many events of one type at once, with the same effect as its {@link EventHandler} applied
 * to each in turn: lets a handler write a whole batch in a statement or two. Runs on the batch
 * transaction's connection ({@code sql}), after the idempotency claims, so its writes commit or roll
 * back with them; it must not use another connection or session. It may be called before the locks
 * and claims have answered (the expected way of {@link BatchApplier}): Postgres runs its statements
 * after them, in the order sent, and not at all when they abort the transaction. {@code payloads} and
 * {@code envelopes} pair up by index, and hold at most one event per aggregate. Its statements run
 * on generic plans (see {@link PipelinedTransaction}): each must find its rows by key whatever the
 * plan is costed on, and belongs in a {@code *StatementPlansTest}.
 */
@FunctionalInterface
public interface BatchHandler<T> {

    Uni<Void> applyAll(SqlConnection sql, List<T> payloads, List<EventEnvelope> envelopes);
}
