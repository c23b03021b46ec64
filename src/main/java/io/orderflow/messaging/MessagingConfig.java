package io.orderflow.messaging;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Broker topology and the retry policy of the consumer pipeline. */
@ConfigMapping(prefix = "orderflow.messaging")
public interface MessagingConfig {

    /** Topic exchange every domain event is published to; the routing key is the event type. */
    @WithDefault("orderflow.events")
    String exchange();

    /** Prefix of every queue the application declares: {prefix}.{role}, .retry.{delay}, .dlq. */
    @WithDefault("orderflow")
    String queuePrefix();

    /** How often a transiently failing message is retried before it is dead-lettered. */
    @WithDefault("5")
    int maxRetries();

    /** Delay before the n-th retry (one TTL queue each); retries past the list reuse the last delay. */
    @WithDefault("1s,5s,30s")
    List<Duration> retryDelays();

    /** How long the pipeline waits for the broker to confirm a retry or dead-letter publish. */
    @WithDefault("10s")
    Duration confirmTimeout();

    /** Larger bodies are dead-lettered as too-large before anything parses them. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /** Broker address used to declare the topology (the channels have their own, same by default). */
    Broker broker();

    /** How the consumers group deliveries into one transaction each. */
    Batch batch();

    interface Batch {
        /** Deliveries per transaction at most; 1 turns batching off. */
        @WithDefault("50")
        int size();

        /** Latency cap: a batch goes this long after its first delivery arrived, full or not. */
        @WithDefault("1ms")
        Duration maxWait();

        /** Batches of one consumer in flight at once (each holds a database connection). */
        @WithDefault("3")
        int inFlight();
    }

    interface Broker {
        /** Broker host. */
        @WithDefault("localhost")
        String host();

        /** Broker AMQP port. */
        @WithDefault("5672")
        int port();

        /** Broker user; set per profile, read from the environment in prod. */
        String username();

        /** Broker password; set per profile, read from the environment in prod. */
        String password();

        /** Broker virtual host. */
        @WithDefault("/")
        String virtualHost();

        /** Pause between attempts to reach the broker again (first connect, recovery, new channel). */
        @WithDefault("2s")
        Duration recoveryInterval();
    }
}
