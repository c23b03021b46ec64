package io.orderflow.messaging;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * Short-lived management connections (topology, queue depths) with the AMQP client, on worker
 * threads only; message traffic goes through the reactive channels, never through these.
 */
@ApplicationScoped
public class BrokerConnections {

    private final ConnectionFactory factory;

    public BrokerConnections(MessagingConfig config) {
        MessagingConfig.Broker broker = config.broker();
        factory = new ConnectionFactory();
        factory.setHost(broker.host());
        factory.setPort(broker.port());
        factory.setUsername(broker.username());
        factory.setPassword(broker.password());
        factory.setVirtualHost(broker.virtualHost());
        factory.setConnectionTimeout(5_000);
        factory.setAutomaticRecoveryEnabled(false);
    }

    public Connection open(String name) throws IOException, TimeoutException {
        return factory.newConnection(name);
    }
}
