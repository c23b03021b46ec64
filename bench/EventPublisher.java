import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * Publishes N OrderCreated events (persistent, at most 1000 unconfirmed, as PerfTest -c 1000) to the
 * events exchange, as the orders role would. The publish time rides in the customer id, so the
 * bench can compute publish-to-effect latency from the shipments table alone.
 * Usage: java -cp CLASSES:CLASSPATH EventPublisher EXCHANGE COUNT RUN_ID [EVENTS_PER_SECOND] (bench/throughput compiles it)
 * Without a rate it publishes as fast as confirms allow; with one it paces itself to that rate.
 */
public class EventPublisher {

    private static final int WINDOW = 1000;
    private static final long MAX_BEHIND_NANOS = 50_000_000;
    private static final AtomicBoolean nacked = new AtomicBoolean();

    public static void main(String[] args) throws Exception {
        String exchange = args[0];
        int count = Integer.parseInt(args[1]);
        String run = args[2];
        double rate = args.length > 3 ? Double.parseDouble(args[3]) : 0;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection("orderflow-bench"); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            // At most WINDOW unconfirmed, released as confirms arrive: PerfTest's -c 1000, rather than
            // stopping every 1000 until all are confirmed.
            Semaphore window = new Semaphore(WINDOW);
            SortedSet<Long> unconfirmed = Collections.synchronizedSortedSet(new TreeSet<>());
            channel.addConfirmListener(new ConfirmListener() {
                @Override
                public void handleAck(long tag, boolean multiple) {
                    confirm(tag, multiple);
                }

                @Override
                public void handleNack(long tag, boolean multiple) {
                    nacked.set(true);
                    confirm(tag, multiple);
                }

                private void confirm(long tag, boolean multiple) {
                    synchronized (unconfirmed) {
                        SortedSet<Long> done = multiple ? unconfirmed.headSet(tag + 1) : unconfirmed.subSet(tag, tag + 1);
                        window.release(done.size());
                        done.clear();
                    }
                }
            });
            // The pace starts once connected: started before, the first second would be a catch-up burst.
            long start = System.nanoTime();
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .contentType("application/json").deliveryMode(2).type("OrderCreated").build();
            for (int i = 1; i <= count; i++) {
                if (rate > 0) {
                    start = pace(start, i, rate);
                }
                window.acquire();
                unconfirmed.add(channel.getNextPublishSeqNo());
                channel.basicPublish(exchange, "OrderCreated", properties, event(run).getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(60_000);
            if (nacked.get()) {
                throw new IllegalStateException("the broker nacked a publish");
            }
        }
    }

    /**
     * Waits until the i-th event is due, so the load is steady rather than bursts. A publisher that
     * fell more than MAX_BEHIND behind (its own JIT warming up, a pause) resumes the pace from there
     * instead of catching up in a burst the consumer would be blamed for. Returns the schedule's start.
     */
    private static long pace(long start, int i, double rate) throws InterruptedException {
        long due = start + (long) ((i - 1) * 1_000_000_000L / rate);
        long wait = due - System.nanoTime();
        if (wait < -MAX_BEHIND_NANOS) {
            return start - wait - MAX_BEHIND_NANOS;
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        return start;
    }

    private static String event(String run) {
        UUID order = randomUuid();
        long now = System.currentTimeMillis();
        // Concatenation, not String.format: the publisher shares the two cores with what it measures.
        return "{\"id\":\"" + randomUuid() + "\",\"type\":\"OrderCreated\",\"source\":\"bench\",\"time\":\""
                + Instant.ofEpochMilli(now) + "\",\"version\":1,\"subject\":\"" + order + "\",\"sequence\":1,"
                + "\"data\":{\"order_id\":\"" + order + "\",\"customer_id\":\"bench-" + run + "-" + now
                + "\",\"total_cents\":1999,\"currency\":\"EUR\"}}";
    }

    /** A version 4 UUID from a fast generator: these ids need to be distinct, not unguessable. */
    private static UUID randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(most, least);
    }
}
