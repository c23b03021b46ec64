package io.orderflow.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;

/** The frames ChannelAcks sends for a channel's deliveries, with its I/O thread run by hand. */
class ChannelAcksTest {

    private final List<String> frames = new ArrayList<>();
    private final Queue<Runnable> ioQueue = new ArrayDeque<>();
    private final Executor io = ioQueue::add;
    private final ChannelAcks acks = new ChannelAcks(recordingChannel(), io);

    @Test
    void acksOfABatchInDeliveryOrderGoOutAsOneMultipleAck() {
        receive(1, 2, 3, 4);
        acks.ack(2);
        acks.ack(1);
        acks.ack(4);
        acks.ack(3);
        runIo();
        assertEquals(List.of("ack 4 multiple"), frames);
    }

    @Test
    void anAckAboveAnUnsettledDeliveryGoesOutAloneSoTheMultipleAckCannotCoverTheUnsettledOne() {
        receive(1, 2, 3, 4);
        acks.ack(1);
        acks.ack(3);
        acks.ack(4);
        runIo();
        assertEquals(List.of("ack 1 multiple", "ack 3", "ack 4"), frames);

        frames.clear();
        acks.ack(2);
        runIo();
        assertEquals(List.of("ack 2 multiple"), frames);
    }

    @Test
    void aNackedDeliveryIsRejectedBeforeAnyMultipleAckPassesIt() {
        receive(1, 2, 3);
        acks.ack(1);
        acks.nack(2);
        acks.ack(3);
        runIo();
        assertEquals(List.of("ack 1 multiple", "ack 3", "nack 2"), frames);

        frames.clear();
        receive(4, 5);
        acks.ack(4);
        acks.ack(5);
        runIo();
        assertEquals(List.of("ack 5 multiple"), frames, "the nacked 2 is settled, so the prefix runs to 5");
    }

    @Test
    void aNackThatCouldNotBeSentKeepsItsDeliveryOutOfEveryMultipleAck() {
        ChannelAcks failingNacks = new ChannelAcks(recordingChannel(true), io);
        failingNacks.received(1);
        failingNacks.received(2);
        failingNacks.nack(1);
        failingNacks.ack(2);
        runIo();
        assertEquals(List.of("nack 1 failed", "ack 2"), frames);
    }

    private void receive(long... tags) {
        for (long tag : tags) {
            acks.received(tag);
        }
    }

    private void runIo() {
        for (Runnable task; (task = ioQueue.poll()) != null;) {
            task.run();
        }
    }

    private Channel recordingChannel() {
        return recordingChannel(false);
    }

    private Channel recordingChannel(boolean nackFails) {
        return (Channel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Channel.class },
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "basicAck" -> frames.add("ack " + args[0] + ((boolean) args[1] ? " multiple" : ""));
                        case "basicNack" -> {
                            if (nackFails) {
                                frames.add("nack " + args[0] + " failed");
                                throw new IOException("socket closed");
                            }
                            frames.add("nack " + args[0]);
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
    }
}
