package io.orderflow.messaging;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;

/**
 * Depth of every work, retry and dead-letter queue of this instance, read by passive declare on a
 * schedule (worker thread: the AMQP client blocks). Unknown while the broker is away: NaN, not a
 * stale number that would hide the outage.
 */
// Created at start, not at first use: its gauges must be there for the first scrape.
@Startup
@ApplicationScoped
public class QueueDepthGauges {

    private static final Logger LOG = Logger.getLogger(QueueDepthGauges.class);

    private final Topology topology;
    private final BrokerConnections broker;
    private final Map<String, Double> depths = new ConcurrentHashMap<>();

    public QueueDepthGauges(Topology topology, BrokerConnections broker, MeterRegistry registry) {
        this.topology = topology;
        this.broker = broker;
        for (ConsumerQueues queues : topology.consumers()) {
            register(registry, queues.consumer(), queues.work(), "work");
            register(registry, queues.consumer(), queues.deadLetter(), "dead-letter");
            queues.retries().forEach(retry -> register(registry, queues.consumer(), retry.name(), "retry"));
        }
    }

    @Scheduled(every = "${orderflow.metrics.queue-depth-interval:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refresh() {
        try (Connection connection = broker.open("orderflow-queue-depth"); Channel channel = connection.createChannel()) {
            for (String queue : depths.keySet()) {
                depths.put(queue, (double) channel.queueDeclarePassive(queue).getMessageCount());
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            depths.replaceAll((queue, depth) -> Double.NaN);
            LOG.debugf("Queue depths unknown: %s", e.toString());
        }
    }

    private void register(MeterRegistry registry, String consumer, String queue, String kind) {
        depths.put(queue, Double.NaN);
        Gauge.builder("orderflow.queue.depth", depths, values -> values.getOrDefault(queue, Double.NaN))
                .description("Messages ready in the queue")
                .tags("queue", queue, "kind", kind, "consumer", consumer)
                .register(registry);
    }
}
