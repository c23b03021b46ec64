package io.orderflow.messaging;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Settles the deliveries of one consuming channel, on the connector's I/O thread (the client
 * writes to its socket synchronously, which must not happen on an event loop).
 * <p>
 * Acks are coalesced: an ack is recorded, and the I/O thread then sends, for every delivery
 * recorded by then, one {@code basic.ack multiple} up to the highest tag below which every delivery
 * of the channel is acked, and a single ack for each acked delivery above an unsettled one. A
 * multiple ack settles every unsettled delivery up to its tag, so it is only ever sent for a range
 * this class has seen acked in full; a nack is sent before its tag leaves the range. One frame per
 * batch instead of one per delivery spares the application and the broker a write and a read each.
 * <p>
 * The channel is the client's recovering channel: after a reconnect it drops an ack (multiple or
 * not) whose tag belongs to the dead channel instead of sending it, where it would settle another,
 * unprocessed message. The broker has requeued those deliveries; they come again, and the inbox
 * makes the second delivery harmless.
 */
final class ChannelAcks {

    private static final Logger LOG = Logger.getLogger(ChannelAcks.class);

    @FunctionalInterface
    private interface Frame {
        void send() throws IOException;
    }

    private final Channel channel;
    private final Executor io;
    /** Every delivery not settled with the broker yet, by tag: true once the pipeline acked it. */
    private final TreeMap<Long, Boolean> unsettled = new TreeMap<>();
    private boolean flushQueued;

    ChannelAcks(Channel channel, Executor io) {
        this.channel = channel;
        this.io = io;
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
            execute(this::flush);
        }
        return CompletableFuture.completedFuture(null);
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

    /** On the I/O thread: sends what is acked, as one multiple ack for the settled prefix. */
    private void flush() {
        long upTo = -1;
        List<Long> singles = new ArrayList<>();
        synchronized (this) {
            flushQueued = false;
            boolean prefix = true;
            for (Iterator<Map.Entry<Long, Boolean>> each = unsettled.entrySet().iterator(); each.hasNext();) {
                Map.Entry<Long, Boolean> delivery = each.next();
                if (!delivery.getValue()) {
                    prefix = false;
                    continue;
                }
                if (prefix) {
                    upTo = delivery.getKey();
                } else {
                    singles.add(delivery.getKey());
                }
                each.remove();
            }
        }
        if (upTo >= 0) {
            long tag = upTo;
            logFailure(send(tag, () -> channel.basicAck(tag, true)));
        }
        for (long tag : singles) {
            logFailure(send(tag, () -> channel.basicAck(tag, false)));
        }
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
