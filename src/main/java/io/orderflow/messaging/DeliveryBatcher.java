package io.orderflow.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.function.Function;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Gathers the deliveries of one consumer into batches: a batch goes as soon as it holds
 * {@code size} deliveries, or {@code maxWait} after its first one arrived, or as soon as a batch in
 * flight finishes; at most {@code inFlight} batches run at once. It asks upstream for no more than
 * it can hold ({@code size * (inFlight + 1)}) and for more only as batches finish, so memory stays
 * bounded whatever the queue holds.
 * <p>
 * All state lives on one Vert.x event loop, so there are no locks: the loop the deliveries arrive on
 * (the consuming channel's), so handing one over costs no task on another thread (a wake-up that,
 * on a busy machine, waited up to a millisecond or more for a core); the {@code fallback} when they
 * arrive on no event loop. Each batch runs on a fresh duplicated context of it, which is what the
 * reactive Hibernate session is bound to.
 */
final class DeliveryBatcher implements Flow.Subscriber<Message<byte[]>> {

    private static final Logger LOG = Logger.getLogger(DeliveryBatcher.class);

    private final String consumer;
    private final Function<List<Message<byte[]>>, Uni<Void>> process;
    private final Context fallback;
    /** The event loop all state lives on: fixed by the first delivery. */
    private Context context;
    private final int size;
    private final long maxWaitMillis;
    private final int inFlightLimit;
    private Flow.Subscription subscription;
    private List<Message<byte[]>> pending = new ArrayList<>();
    private int inFlight;
    private long timer = -1;

    DeliveryBatcher(String consumer, MessagingConfig.Batch config, Context fallback,
            Function<List<Message<byte[]>>, Uni<Void>> process) {
        this.consumer = consumer;
        this.process = process;
        this.fallback = fallback;
        this.size = config.size();
        this.maxWaitMillis = Math.max(1, config.maxWait().toMillis());
        this.inFlightLimit = config.inFlight();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request((long) size * (inFlightLimit + 1));
    }

    /** Signals are serial (Reactive Streams 1.3), so the first one fixes the loop without a race. */
    @Override
    public void onNext(Message<byte[]> message) {
        // Only on the loop's own thread: a context of it is also current in blocking code it runs on a worker.
        Context current = Context.isOnEventLoopThread() ? Vertx.currentContext() : null;
        Context arrivedOn = current != null ? VertxContext.getRootContext(current) : null;
        if (context == null) {
            context = arrivedOn != null ? arrivedOn : fallback;
        }
        if (arrivedOn == context) {
            add(message);
        } else {
            context.runOnContext(ignored -> add(message));
        }
    }

    @Override
    public void onError(Throwable failure) {
        LOG.errorf(failure, "The delivery stream of consumer %s failed; unsettled deliveries return to the queue", consumer);
    }

    @Override
    public void onComplete() {
        LOG.infof("The delivery stream of consumer %s completed", consumer);
    }

    private void add(Message<byte[]> message) {
        pending.add(message);
        if (pending.size() >= size) {
            flush();
        } else if (timer < 0) {
            timer = context.owner().setTimer(maxWaitMillis, id -> {
                timer = -1;
                flush();
            });
        }
    }

    /** Sends what is pending while batches may start; what must wait goes when a batch finishes. */
    private void flush() {
        if (timer >= 0) {
            context.owner().cancelTimer(timer);
            timer = -1;
        }
        while (!pending.isEmpty() && inFlight < inFlightLimit) {
            start();
        }
    }

    private void start() {
        List<Message<byte[]>> batch = pending.size() <= size ? pending : new ArrayList<>(pending.subList(0, size));
        pending = batch == pending ? new ArrayList<>() : new ArrayList<>(pending.subList(size, pending.size()));
        inFlight++;
        Context batchContext = VertxContext.createNewDuplicatedContext(context);
        batchContext.runOnContext(ignored -> process.apply(batch)
                .subscribe().with(done -> finished(batch.size()), failure -> {
                    LOG.errorf(failure, "A batch of consumer %s failed outside the pipeline's recovery", consumer);
                    finished(batch.size());
                }));
    }

    private void finished(int settled) {
        context.runOnContext(ignored -> {
            inFlight--;
            subscription.request(settled);
            flush();
        });
    }
}
