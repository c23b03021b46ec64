package io.orderflow.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.smallrye.reactive.messaging.providers.MetadataInjectableMessage;
import io.smallrye.reactive.messaging.providers.locals.ContextAwareMessage;

/**
 * One delivery from a work queue, settled (ack or nack) at most once, by the {@link ChannelAcks} of
 * the channel it came from.
 */
final class AmqpDelivery implements ContextAwareMessage<byte[]>, MetadataInjectableMessage<byte[]> {

    private final byte[] body;
    private final ChannelAcks acks;
    private final long deliveryTag;
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile Metadata metadata;

    AmqpDelivery(byte[] body, DeliveryMetadata delivery, ChannelAcks acks, long deliveryTag) {
        this.body = body;
        this.acks = acks;
        this.deliveryTag = deliveryTag;
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
        return once() ? acks.ack(deliveryTag) : CompletableFuture.completedFuture(null);
    }

    /** Rejects without requeueing: the work queue's dead-letter argument keeps the message. */
    @Override
    public CompletionStage<Void> nack(Throwable reason, Metadata ignored) {
        return once() ? acks.nack(deliveryTag) : CompletableFuture.completedFuture(null);
    }

    /** A second ack or nack of one delivery is a channel error in AMQP: never send it. */
    private boolean once() {
        return settled.compareAndSet(false, true);
    }
}
