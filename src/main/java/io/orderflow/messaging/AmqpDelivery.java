package io.orderflow.messaging;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;

import io.smallrye.reactive.messaging.providers.MetadataInjectableMessage;
import io.smallrye.reactive.messaging.providers.locals.ContextAwareMessage;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * One delivery from a work queue, settled (ack or nack) at most once, on the channel it came from.
 * <p>
 * The channel is the AMQP client's recovering channel: after a reconnect it drops an ack whose
 * delivery tag belongs to the dead channel instead of sending it, where it would settle another,
 * unprocessed message. The broker has requeued such a delivery already; it comes again and the
 * inbox makes the second delivery harmless. Settling runs on the connector's I/O thread, never on
 * the event loop (the client writes to its socket synchronously), and completes on the caller's
 * Vert.x context.
 */
final class AmqpDelivery implements ContextAwareMessage<byte[]>, MetadataInjectableMessage<byte[]> {

    private static final Logger LOG = Logger.getLogger(AmqpDelivery.class);

    @FunctionalInterface
    private interface Settlement {
        void send() throws IOException;
    }

    private final byte[] body;
    private final Channel channel;
    private final long deliveryTag;
    private final Executor io;
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile Metadata metadata;

    AmqpDelivery(byte[] body, DeliveryMetadata delivery, Channel channel, long deliveryTag, Executor io) {
        this.body = body;
        this.channel = channel;
        this.deliveryTag = deliveryTag;
        this.io = io;
        this.metadata = ContextAwareMessage.captureContextMetadata(delivery);
    }

    @Override
    public byte[] getPayload() {
        return body;
    }

    @Override
    public Metadata getMetadata() {
        return metadata;
    }

    @Override
    public synchronized void injectMetadata(Object metadataObject) {
        metadata = metadata.with(metadataObject);
    }

    @Override
    public Function<Metadata, CompletionStage<Void>> getAckWithMetadata() {
        return this::ack;
    }

    @Override
    public BiFunction<Throwable, Metadata, CompletionStage<Void>> getNackWithMetadata() {
        return this::nack;
    }

    @Override
    public CompletionStage<Void> ack(Metadata ignored) {
        return settle(() -> channel.basicAck(deliveryTag, false));
    }

    /** Rejects without requeueing: the work queue's dead-letter argument keeps the message. */
    @Override
    public CompletionStage<Void> nack(Throwable reason, Metadata ignored) {
        return settle(() -> channel.basicNack(deliveryTag, false, false));
    }

    private CompletionStage<Void> settle(Settlement settlement) {
        if (!settled.compareAndSet(false, true)) {
            // A second ack or nack of one delivery is a channel error in AMQP: never send it.
            return CompletableFuture.completedFuture(null);
        }
        // The caller goes on where it was: on its Vert.x context, which its database session needs.
        Context caller = Vertx.currentContext();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            io.execute(() -> {
                Throwable failure = send(settlement);
                if (caller == null) {
                    complete(done, failure);
                } else {
                    caller.runOnContext(ignored -> complete(done, failure));
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e); // the connector is closing; the broker keeps the delivery
        }
        return done;
    }

    private static void complete(CompletableFuture<Void> done, Throwable failure) {
        if (failure == null) {
            done.complete(null);
        } else {
            done.completeExceptionally(failure);
        }
    }

    /** Sends the ack or nack; the failure, if any. */
    private Throwable send(Settlement settlement) {
        try {
            settlement.send();
            return null;
        } catch (AlreadyClosedException e) {
            LOG.debugf("Delivery %d not settled, its channel is closed (%s); the broker delivers it again",
                    deliveryTag, e.getMessage());
            return null;
        } catch (IOException | RuntimeException e) {
            return e;
        }
    }
}
