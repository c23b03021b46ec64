package io.orderflow.messaging;

import java.time.Duration;
import java.util.List;

/**
 * The queues of one consumer: the work queue it reads, one TTL queue per retry delay that dead-letters
 * back into the work queue, and the dead-letter queue that keeps what could not be applied.
 */
public record ConsumerQueues(String consumer, String work, List<RetryQueue> retries, String deadLetter,
        List<String> routingKeys) {

    /** A queue where a message waits {@code delay} (its TTL) before the broker returns it to work. */
    public record RetryQueue(String name, Duration delay) {
    }

    public static ConsumerQueues of(MessagingConfig config, String consumer, List<String> routingKeys) {
        String work = config.queuePrefix() + "." + consumer;
        List<RetryQueue> retries = config.retryDelays().stream()
                .map(delay -> new RetryQueue(work + ".retry." + delay.toMillis() + "ms", delay))
                .toList();
        return new ConsumerQueues(consumer, work, retries, work + ".dlq", routingKeys);
    }

    /** The retry queue for the n-th retry (1-based); retries past the configured delays reuse the last. */
    public RetryQueue retryQueue(int retry) {
        return retries.get(Math.min(Math.max(retry, 1), retries.size()) - 1);
    }
}
