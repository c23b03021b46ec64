package io.orderflow.messaging;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.netty.util.concurrent.ImmediateEventExecutor;

/**
 * Connections with the AMQP client, on worker threads only: short-lived management ones (topology,
 * queue depths) and the consumers' recovering one.
 */
@ApplicationScoped
public class BrokerConnections {

    private final ConnectionFactory factory;
    private final ConnectionFactory recovering;

    public BrokerConnections(MessagingConfig config) {
        factory = factory(config.broker());
        factory.setAutomaticRecoveryEnabled(false);
        recovering = factory(config.broker());
        recovering.setAutomaticRecoveryEnabled(true);
        recovering.setTopologyRecoveryEnabled(true);
        recovering.setNetworkRecoveryInterval(config.broker().recoveryInterval().toMillis());
    }

    private static ConnectionFactory factory(MessagingConfig.Broker broker) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(broker.host());
        factory.setPort(broker.port());
        factory.setUsername(broker.username());
        factory.setPassword(broker.password());
        factory.setVirtualHost(broker.virtualHost());
        factory.setConnectionTimeout(5_000);
        return factory;
    }

    public Connection open(String name) throws IOException, TimeoutException {
        return factory.newConnection(name);
    }

    /**
     * A long-lived connection that heals itself after a broker restart: channels, prefetch and
     * consumers come back, and acks of deliveries from before the loss are dropped, not misapplied.
     */
    public Connection openRecovering(String name) throws IOException, TimeoutException {
        // The client's consumer callbacks run on the connection's own thread instead of going through
        // a dispatch pool: ours only queue a delivery for an event loop (or schedule on an executor of
        // their own), so the pool's hop was a wake-up per delivery burst, on a machine where a thread
        // waiting for a core is latency. No callback of such a connection may block.
        return recovering.newConnection(ImmediateEventExecutor.INSTANCE, name);
    }
}
