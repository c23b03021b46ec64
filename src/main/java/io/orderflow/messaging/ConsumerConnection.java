package io.orderflow.messaging;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

/**
 * The one recovering AMQP connection all consuming channels of an instance share, opened on first
 * use (the broker may not be there at start) and closed when the application stops.
 */
final class ConsumerConnection {

    private static final Logger LOG = Logger.getLogger(ConsumerConnection.class);

    private final BrokerConnections broker;
    private Connection connection;
    private boolean closed;

    ConsumerConnection(BrokerConnections broker) {
        this.broker = broker;
    }

    synchronized Channel createChannel() throws IOException, TimeoutException {
        if (closed) {
            throw new IllegalStateException("the consumer connection is closed");
        }
        if (connection == null) {
            connection = broker.openRecovering("orderflow-consumers");
        }
        return connection.createChannel();
    }

    synchronized boolean open() {
        return connection != null && connection.isOpen();
    }

    synchronized void close() {
        closed = true;
        if (connection != null) {
            try {
                connection.close(2_000);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("Closing the consumer connection: %s", e.toString());
            }
        }
    }
}
