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

/** The frames ChannelAcks sends for a channel's deliveries, with its I/O thread and its clock run by hand. */
class ChannelAcksTest {

    private final List<String> frames = new ArrayList<>();
    private final Queue<Runnable> ioQueue = new ArrayDeque<>();
    private final Executor io = ioQueue::add;
    private final List<Runnable> afterHold = new ArrayList<>();
    private final ChannelAcks.Delayed later = (task, delay) -> {
        assertEquals(ChannelAcks.HOLD, delay);
        afterHold.add(task);
    };
    private final ChannelAcks acks = new ChannelAcks(recordingChannel(), io, later);

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
    void acksAboveAnUnsettledDeliveryWaitForItAndLeaveInOneMultipleAck() {
        receive(1, 2, 3, 4);
        acks.ack(1);
        acks.ack(3);
        acks.ack(4);
        runIo();
        assertEquals(List.of("ack 1 multiple"), frames, "3 and 4 must not be covered while 2 is unsettled");

        acks.ack(2);
        runIo();
        assertEquals(List.of("ack 1 multiple", "ack 4 multiple"), frames);
        runHold();
        assertEquals(List.of("ack 1 multiple", "ack 4 multiple"), frames, "nothing was left waiting");
    }

    @Test
    void acksThatWaitedTheHoldForAnUnsettledDeliveryGoOutAlone() {
        receive(1, 2, 3, 4);
        acks.ack(3);
        acks.ack(4);
        runIo();
        assertEquals(List.of(), frames);

        runHold();
        assertEquals(List.of("ack 3", "ack 4"), frames);
        acks.ack(1);
        acks.ack(2);
        runIo();
        assertEquals(List.of("ack 3", "ack 4", "ack 2 multiple"), frames);
    }

    @Test
    void aNackedDeliveryIsRejectedBeforeAnyMultipleAckPassesIt() {
        receive(1, 2, 3);
        acks.ack(1);
        acks.nack(2);
        acks.ack(3);
        runIo();
        assertEquals(List.of("ack 1 multiple", "nack 2", "ack 3 multiple"), frames);

        frames.clear();
        receive(4, 5);
        acks.ack(4);
        acks.ack(5);
        runIo();
        assertEquals(List.of("ack 5 multiple"), frames, "the nacked 2 is settled, so the prefix runs to 5");
    }

    @Test
    void aNackThatCouldNotBeSentKeepsItsDeliveryOutOfEveryMultipleAck() {
        ChannelAcks failingNacks = new ChannelAcks(recordingChannel(true), io, later);
        failingNacks.received(1);
        failingNacks.received(2);
        failingNacks.nack(1);
        failingNacks.ack(2);
        runIo();
        assertEquals(List.of("nack 1 failed"), frames);
        runHold();
        assertEquals(List.of("nack 1 failed", "ack 2"), frames, "2 does not wait for 1 for ever");
    }

    private void receive(long... tags) {
        for (long tag : tags) {
            acks.received(tag);
        }
    }

    private void runHold() {
        List<Runnable> due = new ArrayList<>(afterHold);
        afterHold.clear();
        due.forEach(Runnable::run);
        runIo();
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
