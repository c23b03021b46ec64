package io.orderflow.messaging;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.orderflow.roles.RolesConfig;

/**
 * The broker topology of this instance: the events exchange and the queues of every consumer whose
 * role is enabled. Computed once from configuration and the registered consumers.
 */
@ApplicationScoped
public class Topology {

    private final MessagingConfig config;
    private final List<ConsumerQueues> consumers;

    public Topology(MessagingConfig config, RolesConfig roles, ConsumerRegistry registry) {
        this.config = config;
        this.consumers = registry.all().stream()
                .filter(consumer -> roles.enabled(consumer.role()))
                .map(consumer -> ConsumerQueues.of(config, consumer.name(), consumer.typeNames()))
                .toList();
    }

    public String exchange() {
        return config.exchange();
    }

    public List<ConsumerQueues> consumers() {
        return consumers;
    }

    public Optional<ConsumerQueues> queuesOf(String consumer) {
        return consumers.stream().filter(queues -> queues.consumer().equals(consumer)).findFirst();
    }
}
