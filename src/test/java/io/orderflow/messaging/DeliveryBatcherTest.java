package io.orderflow.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;

/** How deliveries become batches: by size, by time, within the demand the batcher can hold, on which loop. */
class DeliveryBatcherTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Vertx vertx;
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final List<Thread> batchThreads = new CopyOnWriteArrayList<>();
    private final List<UnicastProcessor<Void>> running = new CopyOnWriteArrayList<>();
    private final AtomicLong requested = new AtomicLong();

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aFullBatchGoesAtOnceWithoutWaitingForTheTimer() {
        DeliveryBatcher batcher = batcher(3, Duration.ofMinutes(1), 2);

        deliver(batcher, "a", "b", "c");

        await().atMost(TIMEOUT).until(() -> batches.size() == 1);
        assertEquals(List.of("a", "b", "c"), batches.get(0));
    }

    @Test
    void aPartialBatchGoesWhenItsFirstDeliveryHasWaitedMaxWait() {
        DeliveryBatcher batcher = batcher(50, Duration.ofMillis(20), 2);

        deliver(batcher, "a", "b");

        await().atMost(TIMEOUT).until(() -> batches.size() == 1);
        assertEquals(List.of("a", "b"), batches.get(0));
    }

    @Test
    void demandNeverExceedsWhatTheBatcherCanHoldAndGrowsAsBatchesFinish() {
        DeliveryBatcher batcher = batcher(2, Duration.ofMinutes(1), 1);
        assertEquals(4, requested.get()); // size x (in flight + 1)

        deliver(batcher, "a", "b", "c", "d");
        await().atMost(TIMEOUT).until(() -> batches.size() == 1);
        assertEquals(4, requested.get()); // one batch runs, one waits: nothing more asked for

        running.get(0).onComplete();
        await().atMost(TIMEOUT).until(() -> batches.size() == 2);
        assertEquals(List.of("c", "d"), batches.get(1));
        await().atMost(TIMEOUT).until(() -> requested.get() == 6);
    }

    @Test
    void deliveriesArrivingOnAnEventLoopAreBatchedOnThatLoopNotTheFallback() throws Exception {
        Context fallback = ((VertxInternal) vertx).createEventLoopContext();
        Context channelLoop = ((VertxInternal) vertx).createEventLoopContext();
        Thread fallbackThread = threadOf(fallback);
        Thread channelThread = threadOf(channelLoop);
        assertNotEquals(fallbackThread, channelThread, "the two contexts must be on different event loops");
        DeliveryBatcher batcher = batcher(2, Duration.ofMinutes(1), 1, fallback);

        channelLoop.runOnContext(ignored -> deliver(batcher, "a", "b"));

        await().atMost(TIMEOUT).until(() -> batches.size() == 1);
        assertEquals(List.of(channelThread), batchThreads);
    }

    private static Thread threadOf(Context context) throws Exception {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        context.runOnContext(ignored -> thread.complete(Thread.currentThread()));
        return thread.get(5, TimeUnit.SECONDS);
    }

    private DeliveryBatcher batcher(int size, Duration maxWait, int inFlight) {
        return batcher(size, maxWait, inFlight, vertx.getOrCreateContext());
    }

    private DeliveryBatcher batcher(int size, Duration maxWait, int inFlight, Context fallback) {
        MessagingConfig.Batch config = new MessagingConfig.Batch() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Duration maxWait() {
                return maxWait;
            }

            @Override
            public int inFlight() {
                return inFlight;
            }
        };
        DeliveryBatcher batcher = new DeliveryBatcher("test", config, fallback, batch -> {
            batchThreads.add(Thread.currentThread());
            batches.add(batch.stream().map(message -> new String(message.getPayload())).toList());
            UnicastProcessor<Void> done = UnicastProcessor.create();
            running.add(done);
            return Uni.createFrom().publisher(done);
        });
        batcher.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                requested.addAndGet(n);
            }

            @Override
            public void cancel() {
            }
        });
        return batcher;
    }

    private static void deliver(DeliveryBatcher batcher, String... bodies) {
        for (String body : bodies) {
            batcher.onNext(Message.of(body.getBytes()));
        }
    }
}
