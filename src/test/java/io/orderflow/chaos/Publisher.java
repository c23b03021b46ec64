package io.orderflow.chaos;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;

/**
 * Publishes the run's OrderCreated events in batches with publisher confirms (mandatory, so an
 * unroutable message counts as a failure too). A batch that is not wholly confirmed is published
 * again after reconnecting, with the same event ids: the consumers must absorb those duplicates,
 * and the deliberately injected ones (a share of confirmed events sent a second time).
 */
final class Publisher {

    private static final int BATCH = 50;
    private static final long CONFIRM_TIMEOUT_MS = 10_000;

    /** What and how fast to publish. */
    record Settings(String host, int port, String user, String password, String exchange, String run, int events,
            double rate, double shipShare, double duplicateShare, Instant deadline) {
    }

    private record Event(UUID id, UUID orderId, boolean ship, byte[] body) {
    }

    private final Settings settings;
    private final Path eventsFile;
    private final Consumer<UUID> toShip;
    private final AtomicLong confirmed = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong republished = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicBoolean returned = new AtomicBoolean();
    private Connection connection;
    private Channel channel;

    Publisher(Settings settings, Path eventsFile, Consumer<UUID> toShip) {
        this.settings = settings;
        this.eventsFile = eventsFile;
        this.toShip = toShip;
    }

    void run() throws IOException {
        long started = System.nanoTime();
        List<Event> previous = List.of();
        try (BufferedWriter events = Files.newBufferedWriter(eventsFile, StandardCharsets.UTF_8)) {
            for (int sent = 0; sent < settings.events(); sent += BATCH) {
                List<Event> batch = newBatch(Math.min(BATCH, settings.events() - sent));
                publishConfirmed(batch, withDuplicatesOf(previous));
                for (Event event : batch) {
                    events.write(event.id() + "," + event.orderId() + "\n");
                    if (event.ship()) {
                        toShip.accept(event.orderId());
                    }
                }
                events.flush();
                confirmed.addAndGet(batch.size());
                previous = batch;
                pace(started, sent + batch.size());
            }
        } finally {
            closeQuietly();
        }
    }

    /** Publishes the batch (and the duplicates riding along) until the broker confirmed every message. */
    private void publishConfirmed(List<Event> batch, List<Event> extra) {
        while (true) {
            ChaosDriver.checkDeadline(settings.deadline(), "publishing");
            long before = attempts.get();
            try {
                ensureChannel();
                returned.set(false);
                for (Event event : batch) {
                    publish(event);
                }
                for (Event event : extra) {
                    publish(event);
                }
                channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
                if (returned.get()) {
                    throw new IOException("a message was returned unroutable");
                }
                duplicates.addAndGet(extra.size());
                return;
            } catch (IOException | TimeoutException | RuntimeException | InterruptedException e) {
                System.err.printf("[driver] publish of %d events not confirmed (%s); republishing with the same ids%n",
                        batch.size(), e);
                // Sent but unconfirmed: the broker may have them, so the next attempt may duplicate them.
                republished.addAndGet(attempts.get() - before);
                closeQuietly();
                sleep(1000);
            }
        }
    }

    private void publish(Event event) throws IOException {
        AMQP.BasicProperties properties = MessageProperties.PERSISTENT_BASIC.builder()
                .messageId(event.id().toString())
                .type("OrderCreated")
                .contentType("application/json")
                .build();
        attempts.incrementAndGet();
        channel.basicPublish(settings.exchange(), "OrderCreated", true, properties, event.body());
    }

    private void ensureChannel() throws IOException, TimeoutException {
        if (channel != null && channel.isOpen()) {
            return;
        }
        closeQuietly();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(settings.host());
        factory.setPort(settings.port());
        factory.setUsername(settings.user());
        factory.setPassword(settings.password());
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(5000);
        connection = factory.newConnection("orderflow-chaos-driver");
        channel = connection.createChannel();
        channel.confirmSelect();
        channel.addReturnListener(returnedMessage -> returned.set(true));
        reconnects.incrementAndGet();
    }

    private List<Event> newBatch(int size) {
        List<Event> batch = new ArrayList<>(size);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < size; i++) {
            UUID id = UUID.randomUUID();
            UUID orderId = UUID.randomUUID();
            batch.add(new Event(id, orderId, random.nextDouble() < settings.shipShare(), envelope(id, orderId, random)));
        }
        return batch;
    }

    /** Some events of the last confirmed batch, sent again: a producer that published twice. */
    private List<Event> withDuplicatesOf(List<Event> previous) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return previous.stream().filter(event -> random.nextDouble() < settings.duplicateShare()).toList();
    }

    /** OrderCreated v2 mostly, v1 for a tenth: both versions are still read. */
    private byte[] envelope(UUID id, UUID orderId, ThreadLocalRandom random) {
        boolean v2 = random.nextInt(10) != 0;
        String data = """
                {"order_id":"%s","customer_id":"chaos-%s-%d","total_cents":%d,"currency":"EUR"%s}"""
                .formatted(orderId, settings.run(), random.nextInt(1000), 100 + random.nextInt(100_000),
                        v2 ? ",\"sales_channel\":\"chaos\"" : "");
        String envelope = """
                {"id":"%s","type":"OrderCreated","source":"chaos","time":"%s","version":%d,"subject":"%s","sequence":1,"data":%s}"""
                .formatted(id, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), v2 ? 2 : 1, orderId, data);
        return envelope.getBytes(StandardCharsets.UTF_8);
    }

    /** Holds the publishing rate at {@code settings.rate()} events per second. */
    private void pace(long startedNanos, int sent) {
        long dueNanos = startedNanos + (long) (sent / settings.rate() * 1e9);
        long waitMillis = (dueNanos - System.nanoTime()) / 1_000_000;
        if (waitMillis > 0) {
            sleep(waitMillis);
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.abort(2000);
            }
        } catch (RuntimeException ignored) {
            // the connection is gone either way
        }
        connection = null;
        channel = null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long confirmed() {
        return confirmed.get();
    }

    long attempts() {
        return attempts.get();
    }

    long republished() {
        return republished.get();
    }

    long duplicatesInjected() {
        return duplicates.get();
    }

    long reconnects() {
        return Math.max(0, reconnects.get() - 1);
    }
}
