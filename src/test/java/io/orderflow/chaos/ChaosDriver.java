package io.orderflow.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The workload of {@code chaos/run}: publishes OrderCreated events to the broker with confirms and
 * ships a share of the orders through the HTTP API, riding out the faults the script injects
 * (app, broker and database restarts). Writes what it did to the run's directory, for the checks.
 *
 * <pre>
 * java -cp target/test-classes:CLASSPATH io.orderflow.chaos.ChaosDriver --out DIR --run ID --events N
 *     --http http://127.0.0.1:PORT --exchange NAME [--rate N] [--ship-share F] [--duplicate-share F]
 *     [--amqp-host H] [--amqp-port P] [--amqp-user U] [--amqp-password P] [--deadline-seconds S]
 *     [--stall-seconds S]
 * </pre>
 *
 * Files in {@code --out}: {@code events.csv} (event_id,order_id: every distinct event confirmed),
 * {@code shipped.csv} (order_id,http_status of the ship that settled it), {@code progress} (events
 * confirmed and to publish, ships settled and queued; rewritten every half second) and
 * {@code driver.properties} (the counts).
 */
public final class ChaosDriver {

    private ChaosDriver() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path out = Path.of(required(options, "out"));
        String run = required(options, "run");
        int events = Integer.parseInt(required(options, "events"));
        Instant deadline = Instant.now().plusSeconds(Long.parseLong(options.getOrDefault("deadline-seconds", "1800")));
        Files.createDirectories(out);

        Shipper shipper = new Shipper(required(options, "http"), out.resolve("shipped.csv"),
                Integer.parseInt(options.getOrDefault("ship-threads", "8")), deadline);
        Publisher publisher = new Publisher(new Publisher.Settings(
                options.getOrDefault("amqp-host", "127.0.0.1"),
                Integer.parseInt(options.getOrDefault("amqp-port", "5672")),
                options.getOrDefault("amqp-user", "guest"),
                options.getOrDefault("amqp-password", "guest"),
                required(options, "exchange"), run, events,
                Double.parseDouble(options.getOrDefault("rate", "500")),
                Double.parseDouble(options.getOrDefault("ship-share", "0.5")),
                Double.parseDouble(options.getOrDefault("duplicate-share", "0.02")),
                deadline), out.resolve("events.csv"), shipper::ship);

        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
        progress.scheduleAtFixedRate(() -> writeProgress(out, publisher, shipper, events), 0, 500, TimeUnit.MILLISECONDS);
        Instant started = Instant.now();
        boolean complete;
        try {
            publisher.run();
            complete = shipper.finish(Duration.ofSeconds(Long.parseLong(options.getOrDefault("stall-seconds", "180"))));
        } catch (DeadlineException e) {
            System.err.println("[driver] " + e.getMessage());
            complete = false;
        } finally {
            progress.shutdownNow();
        }
        writeProgress(out, publisher, shipper, events);
        writeSummary(out, publisher, shipper, Duration.between(started, Instant.now()), complete);
        System.exit(complete ? 0 : 2);
    }

    /** "confirmed-events events settled-ships queued-ships": the script places its faults on the first two. */
    private static void writeProgress(Path out, Publisher publisher, Shipper shipper, int events) {
        write(out.resolve("progress"), publisher.confirmed() + " " + events + " " + shipper.settled() + " "
                + shipper.queued() + "\n");
    }

    private static void writeSummary(Path out, Publisher publisher, Shipper shipper, Duration took, boolean complete) {
        String summary = """
                complete=%s
                seconds=%d
                events_distinct=%d
                publish_attempts=%d
                unconfirmed_then_republished=%d
                duplicates_injected=%d
                broker_reconnects=%d
                ships_queued=%d
                ships_ok=%d
                ships_conflict=%d
                http_retries=%d
                """.formatted(complete, took.toSeconds(), publisher.confirmed(), publisher.attempts(),
                publisher.republished(), publisher.duplicatesInjected(), publisher.reconnects(), shipper.queued(),
                shipper.shippedOk(), shipper.shippedConflict(), shipper.retries());
        write(out.resolve("driver.properties"), summary);
    }

    private static void write(Path file, String text) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("[driver] cannot write " + file + ": " + e);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    /** The run's time is up before the workload finished. */
    static final class DeadlineException extends RuntimeException {
        DeadlineException(String message) {
            super(message);
        }
    }

    static void checkDeadline(Instant deadline, String what) {
        if (Instant.now().isAfter(deadline)) {
            throw new DeadlineException("deadline passed while " + what);
        }
    }
}
