package io.orderflow.messaging;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the outbox relay moves committed events to the broker. */
@ConfigMapping(prefix = "orderflow.outbox")
public interface OutboxConfig {

    /** How often the relay looks for unpublished rows (it is also woken right after each commit). */
    @WithDefault("1s")
    Duration pollInterval();

    /** Rows claimed and published per round; their publishes are pipelined, not one by one. */
    @WithDefault("100")
    int batchSize();

    /** How long a claim holds: rows of a relay that died are published by another after this. */
    @WithDefault("30s")
    Duration claimTimeout();

    /** How long the relay waits for the broker's confirm before it leaves a row for the next round. */
    @WithDefault("10s")
    Duration confirmTimeout();
}
