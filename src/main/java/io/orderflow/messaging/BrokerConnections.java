package io.orderflow.messaging;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
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
        return recovering.newConnection(OnConnectionThread.INSTANCE, name);
    }

    /**
     * Runs the client's consumer callbacks on the connection's own thread instead of handing each
     * to a dispatch pool: ours only queue a delivery for an event loop (or schedule on an executor of
     * their own), so the pool's hop was a wake-up per delivery burst, on a machine where a thread
     * waiting for a core is latency. No callback of such a connection may block.
     */
    private static final class OnConnectionThread extends AbstractExecutorService {

        static final OnConnectionThread INSTANCE = new OnConnectionThread();

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {
            // Shared by every recovering connection, and holds no thread: nothing to stop.
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return false;
        }
    }
}
