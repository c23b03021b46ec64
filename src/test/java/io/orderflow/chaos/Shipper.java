package io.orderflow.chaos;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ships orders through the HTTP API once their shipment exists: waits for {@code GET
 * /shipments/{id}} to answer 200, then {@code POST /shipments/{id}/ship} until it answers 200, or
 * 409 (an earlier attempt shipped it but its answer was lost with the app). Connection errors and
 * 5xx (the app or its database restarting) are retried; anything else is recorded as a failure.
 */
final class Shipper {

    private static final long POLL_MS = 200;

    private final String base;
    private final BufferedWriter shipped;
    private final ExecutorService workers;
    private final Instant deadline;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong conflict = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    Shipper(String base, Path shippedFile, int threads, Instant deadline) throws IOException {
        this.base = base;
        this.shipped = Files.newBufferedWriter(shippedFile, StandardCharsets.UTF_8);
        this.workers = Executors.newFixedThreadPool(threads);
        this.deadline = deadline;
    }

    void ship(UUID orderId) {
        queued.incrementAndGet();
        workers.execute(() -> {
            try {
                shipOne(orderId);
            } catch (ChaosDriver.DeadlineException e) {
                failed.incrementAndGet();
            }
        });
    }

    /**
     * Waits until every queued ship settled; gives up at the deadline or when no ship settled for
     * {@code stall} (a shipment that never appears: lost), so that the checks can say what is missing.
     * True when all shipped.
     */
    boolean finish(Duration stall) throws InterruptedException {
        workers.shutdown();
        long lastSettled = -1;
        Instant lastProgress = Instant.now();
        boolean done = false;
        while (!done && Instant.now().isBefore(deadline) && Instant.now().isBefore(lastProgress.plus(stall))) {
            done = workers.awaitTermination(1, TimeUnit.SECONDS);
            if (settled() != lastSettled) {
                lastSettled = settled();
                lastProgress = Instant.now();
            }
        }
        if (!done) {
            System.err.printf("[driver] giving up on %d ship(s): no shipment appeared or no ship settled for %ss%n",
                    queued() - settled(), stall.toSeconds());
        }
        workers.shutdownNow();
        synchronized (shipped) {
            try {
                shipped.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return done && failed.get() == 0;
    }

    private void shipOne(UUID orderId) {
        URI shipment = URI.create(base + "/shipments/" + orderId);
        while (status(HttpRequest.newBuilder(shipment).GET()) != 200) {
            pause("waiting for the shipment of " + orderId);
        }
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(shipment + "/ship"))
                .POST(HttpRequest.BodyPublishers.noBody());
        while (true) {
            int status = status(post);
            if (status == 200 || status == 409) {
                (status == 200 ? ok : conflict).incrementAndGet();
                record(orderId, status);
                return;
            }
            if (status >= 400 && status < 500) {
                System.err.printf("[driver] ship %s answered %d%n", orderId, status);
                failed.incrementAndGet();
                return;
            }
            pause("shipping " + orderId);
        }
    }

    /** The status code, or -1 when the app did not answer (down, restarting). */
    private int status(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChaosDriver.DeadlineException("interrupted");
        }
    }

    private void pause(String what) {
        ChaosDriver.checkDeadline(deadline, what);
        retries.incrementAndGet();
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChaosDriver.DeadlineException("interrupted while " + what);
        }
    }

    private void record(UUID orderId, int status) {
        synchronized (shipped) {
            try {
                shipped.write(orderId + "," + status + "\n");
                shipped.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    long queued() {
        return queued.get();
    }

    long settled() {
        return ok.get() + conflict.get();
    }

    long shippedOk() {
        return ok.get();
    }

    long shippedConflict() {
        return conflict.get();
    }

    long retries() {
        return retries.get();
    }
}
