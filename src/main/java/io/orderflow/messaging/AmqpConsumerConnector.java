package io.orderflow.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.health.HealthReporter;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;

/**
 * Inbound channels on the AMQP Java client, used for every queue this application consumes.
 * <p>
 * Why not the SmallRye RabbitMQ connector's incoming side: after a reconnect (4.33) it acks
 * deliveries of the dead channel by their old delivery tags on the new channel, which settles
 * other, still unprocessed messages; the chaos suite lost messages that way when RabbitMQ
 * restarted. The Java client's recovering channel drops such stale acks instead. Publishing stays
 * on the SmallRye connector, which has no such problem (a lost confirm fails the send).
 * <p>
 * Channel attributes: {@code queue.name} (required) and {@code prefetch} (unsettled deliveries per
 * channel, default 64). Liveness never follows the broker; readiness does.
 */
@ApplicationScoped
@Connector(AmqpConsumerConnector.NAME)
public class AmqpConsumerConnector implements InboundConnector, HealthReporter {

    public static final String NAME = "orderflow-amqp";
    private static final int DEFAULT_PREFETCH = 64;

    private final ConsumerConnection connection;
    private final Vertx vertx;
    private final Duration retryInterval;
    private final List<AmqpConsumer> consumers = new CopyOnWriteArrayList<>();
    // Connects, subscribes and settles: the client's socket writes block, so never on an event loop.
    private final ScheduledThreadPoolExecutor io = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "orderflow-amqp-io");
        thread.setDaemon(true);
        return thread;
    });

    public AmqpConsumerConnector(BrokerConnections broker, MessagingConfig config, Vertx vertx) {
        this.connection = new ConsumerConnection(broker);
        this.vertx = vertx;
        this.retryInterval = config.broker().recoveryInterval();
        // At shutdown the queued acks run; a consumer's scheduled retry to subscribe does not.
        io.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config config) {
        String channel = config.getValue("channel-name", String.class);
        String queue = config.getValue("queue.name", String.class);
        int prefetch = config.getOptionalValue("prefetch", Integer.class).orElse(DEFAULT_PREFETCH);
        AmqpConsumer consumer = new AmqpConsumer(channel, queue, prefetch, connection,
                ((VertxInternal) vertx).createEventLoopContext(), io, retryInterval);
        consumers.add(consumer);
        return consumer.stream();
    }

    @Override
    public HealthReport getReadiness() {
        HealthReport.HealthReportBuilder report = HealthReport.builder();
        boolean open = connection.open();
        for (AmqpConsumer consumer : consumers) {
            boolean ok = open && consumer.consuming();
            report.add(consumer.name(), ok, ok ? null : open ? "not consuming" : "no broker connection");
        }
        return report.build();
    }

    @PreDestroy
    void close() {
        // Acks still queued go out before the connection closes (those not sent come again).
        io.shutdown();
        try {
            io.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}
