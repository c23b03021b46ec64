package io.orderflow.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Settles the deliveries of one consuming channel, on the connector's I/O thread (the client
 * writes to its socket synchronously, which must not happen on an event loop).
 * <p>
 * Acks are coalesced: an ack is recorded, and once the caller's event-loop task is over (so a
 * batch's acks, recorded in one go, leave together) the I/O thread sends one {@code basic.ack
 * multiple} up to the highest tag below which every delivery of the channel is acked. A multiple ack
 * settles every unsettled delivery up to its tag, so it is only ever sent for a range this class has
 * seen acked in full; a nack is sent before its tag leaves the range. Acks above a still-unsettled
 * delivery (a later batch that committed first) wait for it, to go out in the same multiple ack,
 * but for {@link #HOLD} at most: then they are sent one by one, so a delivery that stays unsettled
 * (a nack that could not be sent) never holds the others back. One frame per batch instead of one
 * per delivery spares the application and the broker a write and a read each.
 * <p>
 * The channel is the client's recovering channel: after a reconnect it drops an ack (multiple or
 * not) whose tag belongs to the dead channel instead of sending it, where it would settle another,
 * unprocessed message. The broker has requeued those deliveries; they come again, and the inbox
 * makes the second delivery harmless. So do acks that were held or queued when the connector stopped.
 */
final class ChannelAcks {

    private static final Logger LOG = Logger.getLogger(ChannelAcks.class);

    @FunctionalInterface
    private interface Frame {
        void send() throws IOException;
    }

    /** How long acks may wait for an unsettled delivery below them before they go out alone. */
    static final Duration HOLD = Duration.ofMillis(50);

    /** Runs a task on the I/O thread after a delay. */
    @FunctionalInterface
    interface Delayed {
        void schedule(Runnable task, Duration delay);
    }

    private final Channel channel;
    private final Executor io;
    private final Delayed later;
    /** Every delivery not settled with the broker yet, by tag: true once the pipeline acked it. */
    private final TreeMap<Long, Boolean> unsettled = new TreeMap<>();
    private boolean flushQueued;
    private boolean releaseQueued;

    ChannelAcks(Channel channel, ScheduledExecutorService io) {
        this(channel, io, (task, delay) -> io.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    ChannelAcks(Channel channel, Executor io, Delayed later) {
        this.channel = channel;
        this.io = io;
        this.later = later;
    }

    /** A delivery arrived; called in delivery order, before the pipeline can settle it. */
    synchronized void received(long tag) {
        unsettled.put(tag, false);
    }

    /**
     * Records the ack; it goes out with the others recorded before the I/O thread gets to it.
     * Complete at once: an ack the broker never gets only means the message comes again.
     */
    CompletionStage<Void> ack(long tag) {
        boolean queue;
        synchronized (this) {
            unsettled.put(tag, true);
            queue = !flushQueued;
            flushQueued = true;
        }
        if (queue) {
            afterCurrentTask(() -> execute(this::flush));
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * On an event loop, after the task that is running: the rest of a batch's acks are recorded by
     * then. Elsewhere at once.
     */
    private static void afterCurrentTask(Runnable action) {
        Context context = Vertx.currentContext();
        if (context != null && Context.isOnEventLoopThread()) {
            context.runOnContext(ignored -> action.run());
        } else {
            action.run();
        }
    }

    /**
     * Rejects without requeueing (the work queue's dead-letter argument keeps the message), then
     * completes on the caller's Vert.x context.
     */
    CompletionStage<Void> nack(long tag) {
        Context caller = Vertx.currentContext();
        CompletableFuture<Void> done = new CompletableFuture<>();
        execute(() -> {
            Throwable failure = send(tag, () -> channel.basicNack(tag, false, false));
            if (failure == null) {
                forget(tag); // still unsettled otherwise: no multiple ack may cover it
                flush(); // acks held behind it can go now
            }
            if (caller == null) {
                complete(done, failure);
            } else {
                caller.runOnContext(ignored -> complete(done, failure));
            }
        }, done);
        return done;
    }

    private synchronized void forget(long tag) {
        unsettled.remove(tag);
    }

    /** On the I/O thread: the acked prefix as one multiple ack; acks above a gap wait. */
    private void flush() {
        sendSettled(false);
    }

    /** On the I/O thread, {@link #HOLD} after acks started to wait: whatever still waits goes alone. */
    private void release() {
        sendSettled(true);
    }

    private void sendSettled(boolean release) {
        Settlement settlement;
        synchronized (this) {
            if (release) {
                releaseQueued = false;
            } else {
                flushQueued = false;
            }
            settlement = settle(release);
        }
        sendAll(settlement);
    }

    /**
     * Takes out of {@link #unsettled} what goes to the broker now: the acked prefix, and the acks
     * above an unsettled delivery if {@code waitingToo}; otherwise those wait and a release is queued.
     */
    private Settlement settle(boolean waitingToo) {
        long upTo = -1;
        List<Long> singles = new ArrayList<>();
        boolean waiting = false;
        boolean prefix = true;
        for (Iterator<Map.Entry<Long, Boolean>> each = unsettled.entrySet().iterator(); each.hasNext();) {
            Map.Entry<Long, Boolean> delivery = each.next();
            if (!delivery.getValue()) {
                prefix = false;
            } else if (prefix) {
                upTo = delivery.getKey();
                each.remove();
            } else if (waitingToo) {
                singles.add(delivery.getKey());
                each.remove();
            } else {
                waiting = true;
            }
        }
        if (waiting && !releaseQueued) {
            releaseQueued = true;
            try {
                later.schedule(this::release, HOLD);
            } catch (RejectedExecutionException e) {
                // The connector is closing: the broker delivers the waiting ones again.
            }
        }
        return new Settlement(upTo, singles);
    }

    /** Outside the lock: a slow socket must not block the event loop recording acks. */
    private void sendAll(Settlement settlement) {
        long upTo = settlement.upTo();
        if (upTo >= 0) {
            logFailure(send(upTo, () -> channel.basicAck(upTo, true)));
        }
        for (long tag : settlement.singles()) {
            logFailure(send(tag, () -> channel.basicAck(tag, false)));
        }
    }

    private record Settlement(long upTo, List<Long> singles) {
    }

    private void execute(Runnable task) {
        execute(task, null);
    }

    private void execute(Runnable task, CompletableFuture<Void> done) {
        try {
            io.execute(task);
        } catch (RejectedExecutionException e) {
            // The connector is closing: the broker keeps what is unsettled and delivers it again.
            if (done != null) {
                done.completeExceptionally(e);
            }
        }
    }

    /** Sends one frame; the failure, if any. A closed channel is none: the broker redelivers. */
    private static Throwable send(long tag, Frame frame) {
        try {
            frame.send();
            return null;
        } catch (AlreadyClosedException e) {
            LOG.debugf("Delivery %d not settled, its channel is closed (%s); the broker delivers it again",
                    tag, e.getMessage());
            return null;
        } catch (IOException | RuntimeException e) {
            return e;
        }
    }

    private static void logFailure(Throwable failure) {
        if (failure != null) {
            LOG.warnf("Could not send an ack (%s); the broker delivers those messages again", failure.toString());
        }
    }

    private static void complete(CompletableFuture<Void> done, Throwable failure) {
        if (failure == null) {
            done.complete(null);
        } else {
            done.completeExceptionally(failure);
        }
    }
}
