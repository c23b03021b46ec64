package io.orderflow.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;

/**
 * One consuming channel of a work queue: at most {@code prefetch} unsettled deliveries, each handed
 * to the stream on the channel's Vert.x event loop. Connection loss is healed by the AMQP client's
 * recovery (channel, prefetch and consumer come back); a channel the broker closed on its own (or a
 * consumer it cancelled) is replaced by a new one after the retry interval.
 */
final class AmqpConsumer {

    private static final Logger LOG = Logger.getLogger(AmqpConsumer.class);

    private final String name;
    private final String queue;
    private final int prefetch;
    private final ConsumerConnection connection;
    private final Context context;
    private final ScheduledExecutorService io;
    private final Duration retryInterval;
    private volatile MultiEmitter<? super Message<byte[]>> emitter;
    private volatile Channel channel;
    private volatile boolean consuming;
    private volatile boolean stopped;
    /** Deliveries the client handed over, in order, not yet on the event loop. */
    private final Queue<Arrival> arrived = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean handOffQueued = new AtomicBoolean();

    AmqpConsumer(String name, String queue, int prefetch, ConsumerConnection connection, Context context,
            ScheduledExecutorService io, Duration retryInterval) {
        this.name = name;
        this.queue = queue;
        this.prefetch = prefetch;
        this.connection = connection;
        this.context = context;
        this.io = io;
        this.retryInterval = retryInterval;
    }

    Multi<Message<byte[]>> stream() {
        return Multi.createFrom().emitter(emitter -> {
            this.emitter = emitter;
            emitter.onTermination(this::stop);
            io.execute(this::start);
        }, BackPressureStrategy.BUFFER);
    }

    String name() {
        return name;
    }

    /** Registered with the broker on an open channel, so deliveries can come. */
    boolean consuming() {
        Channel current = channel;
        return consuming && current != null && current.isOpen();
    }

    private void start() {
        if (stopped) {
            return;
        }
        try {
            Channel opened = connection.createChannel();
            opened.basicQos(prefetch);
            opened.basicConsume(queue, false, new Receiver(opened, new ChannelAcks(opened, io)));
            channel = opened;
            LOG.infof("Consuming %s on channel %s (prefetch %d)", queue, name, prefetch);
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warnf("Cannot consume %s yet (%s); retrying in %s", queue, e.toString(), retryInterval);
            retryLater();
        }
    }

    private void retryLater() {
        if (!stopped) {
            io.schedule(this::start, retryInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void stop() {
        stopped = true;
        consuming = false;
        Channel current = channel;
        if (current != null && current.isOpen()) {
            io.execute(() -> closeQuietly(current));
        }
    }

    private static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.debugf("Closing a consumer channel: %s", e.toString());
        }
    }

    private void deliver(AMQP.BasicProperties properties, Envelope envelope, byte[] body, ChannelAcks acks) {
        acks.received(envelope.getDeliveryTag());
        MultiEmitter<? super Message<byte[]>> target = emitter;
        if (target == null || target.isCancelled()) {
            return; // left unsettled: the broker delivers it again once this channel closes
        }
        arrived.add(new Arrival(properties, envelope.getDeliveryTag(), body, acks));
        // One event-loop task for every delivery that arrives before it runs, not one each: the
        // client hands deliveries over in bursts, and each task from another thread wakes the loop.
        if (handOffQueued.compareAndSet(false, true)) {
            context.runOnContext(ignored -> handOver(target));
        }
    }

    /** On the event loop, so each message captures a Vert.x context for its handler. */
    private void handOver(MultiEmitter<? super Message<byte[]>> target) {
        handOffQueued.set(false);
        for (Arrival arrival; (arrival = arrived.poll()) != null;) {
            target.emit(new AmqpDelivery(arrival.body(), DeliveryMetadata.of(arrival.properties()), arrival.acks(),
                    arrival.deliveryTag()));
        }
    }

    private record Arrival(AMQP.BasicProperties properties, long deliveryTag, byte[] body, ChannelAcks acks) {
    }

    private final class Receiver extends DefaultConsumer {

        private final ChannelAcks acks;

        Receiver(Channel channel, ChannelAcks acks) {
            super(channel);
            this.acks = acks;
        }

        /** Also called when the client's recovery registers the consumer again. */
        @Override
        public void handleConsumeOk(String consumerTag) {
            consuming = true;
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            deliver(properties, envelope, body, acks);
        }

        @Override
        public void handleCancel(String consumerTag) {
            consuming = false;
            LOG.warnf("The broker cancelled the consumer of %s (queue deleted?); subscribing again", queue);
            // Not here: callbacks run on the connection's thread, which a close would wait on.
            Channel cancelled = getChannel();
            io.execute(() -> closeQuietly(cancelled));
            retryLater();
        }

        @Override
        public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
            consuming = false;
            if (signal.isHardError() || signal.isInitiatedByApplication() || stopped) {
                return; // connection loss: the client recovers channel and consumer itself
            }
            // A channel-level error is not recovered by the client: open a new channel.
            LOG.warnf("Channel %s of %s closed by the broker (%s); opening a new one", name, queue, signal.getMessage());
            retryLater();
        }
    }
}
