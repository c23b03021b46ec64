package io.orderflow.messaging;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/** Every consumer the features registered, by name: for the topology and for dead-letter replays. */
@ApplicationScoped
public class ConsumerRegistry {

    private final List<EventConsumer> consumers;

    public ConsumerRegistry(Instance<EventSubscriber> subscribers) {
        this.consumers = subscribers.stream().map(EventSubscriber::consumer).toList();
    }

    public List<EventConsumer> all() {
        return consumers;
    }

    public Optional<EventConsumer> named(String name) {
        return consumers.stream().filter(consumer -> consumer.name().equals(name)).findFirst();
    }
}
