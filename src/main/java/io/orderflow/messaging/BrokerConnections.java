package io.orderflow.messaging;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

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
        return recovering.newConnection(name);
    }
}
