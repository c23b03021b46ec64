package io.orderflow.messaging;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long an out-of-order event may wait for its prerequisite. */
@ConfigMapping(prefix = "orderflow.ordering")
public interface OrderingConfig {

    /** A parked event older than this is dead-lettered with reason prerequisite-missing. */
    @WithDefault("10m")
    Duration parkTimeout();

    /** How often parked events are checked for expiry (and the parked gauges refreshed). */
    @WithDefault("10s")
    Duration expiryInterval();
}
