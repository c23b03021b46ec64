package io.orderflow.messaging;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Declares the whole topology (exchange, work, retry and dead-letter queues, bindings) before the
 * messaging channels start, and keeps trying in the background when the broker is not there yet.
 * The channels only consume and publish; declaring in one place keeps queue arguments consistent.
 */
@ApplicationScoped
public class TopologyDeclarer {

    private static final Logger LOG = Logger.getLogger(TopologyDeclarer.class);

    private final Topology topology;
    private final BrokerConnections broker;
    private volatile boolean declared;

    public TopologyDeclarer(Topology topology, BrokerConnections broker) {
        this.topology = topology;
        this.broker = broker;
    }

    /** Runs before SmallRye Reactive Messaging starts its channels (priority 1000). */
    void onStart(@Observes @Priority(500) StartupEvent event) {
        declareIfNeeded();
    }

    @Scheduled(every = "${orderflow.messaging.topology-retry:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void declareIfNeeded() {
        if (declared) {
            return;
        }
        try (Connection connection = broker.open("orderflow-topology"); Channel channel = connection.createChannel()) {
            declare(channel);
            declared = true;
            LOG.infof("Broker topology declared: exchange %s, %d consumer(s)", topology.exchange(), topology.consumers().size());
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warnf("Broker topology not declared yet (%s); retrying in the background", e.toString());
        }
    }

    public boolean declared() {
        return declared;
    }

    private void declare(Channel channel) throws IOException {
        channel.exchangeDeclare(topology.exchange(), BuiltinExchangeType.TOPIC, true);
        for (ConsumerQueues queues : topology.consumers()) {
            declare(channel, queues);
        }
    }

    private void declare(Channel channel, ConsumerQueues queues) throws IOException {
        channel.queueDeclare(queues.deadLetter(), true, false, false, Map.of());
        // Safety net: a message the pipeline nacks (it could not even publish the dead letter) is
        // routed to the DLQ by the broker instead of being lost or redelivered in a loop.
        channel.queueDeclare(queues.work(), true, false, false, deadLetterTo(queues.deadLetter()));
        for (ConsumerQueues.RetryQueue retry : queues.retries()) {
            Map<String, Object> args = deadLetterTo(queues.work());
            args.put("x-message-ttl", retry.delay().toMillis());
            channel.queueDeclare(retry.name(), true, false, false, args);
        }
        for (String routingKey : queues.routingKeys()) {
            channel.queueBind(queues.work(), topology.exchange(), routingKey);
        }
    }

    /** Queue arguments that send expired or rejected messages to {@code queue} via the default exchange. */
    private static Map<String, Object> deadLetterTo(String queue) {
        Map<String, Object> args = new HashMap<>();
        args.put("x-dead-letter-exchange", "");
        args.put("x-dead-letter-routing-key", queue);
        return args;
    }
}
