package io.orderflow.testing;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import org.eclipse.microprofile.reactive.messaging.Message;

/** A message for the in-memory bus that remembers whether the pipeline acked or nacked it. */
public final class TrackedMessage {

    private final CompletableFuture<Void> acked = new CompletableFuture<>();
    private final CompletableFuture<Throwable> nacked = new CompletableFuture<>();
    private final Message<byte[]> message;

    public TrackedMessage(String body) {
        this.message = Message.of(body.getBytes(StandardCharsets.UTF_8),
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                reason -> {
                    nacked.complete(reason);
                    return CompletableFuture.completedFuture(null);
                });
    }

    public Message<byte[]> message() {
        return message;
    }

    public boolean acked() {
        return acked.isDone();
    }

    public boolean nacked() {
        return nacked.isDone();
    }

    /** Settled one way or the other: the pipeline is done with it. */
    public boolean settled() {
        return acked() || nacked();
    }
}
