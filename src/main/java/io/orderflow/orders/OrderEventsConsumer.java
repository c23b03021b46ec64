package io.orderflow.orders;

import java.util.concurrent.Flow;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.orderflow.events.OrderCreated;
import io.orderflow.events.OrderShipped;
import io.orderflow.messaging.ConsumerPipeline;
import io.orderflow.messaging.EventConsumer;
import io.orderflow.messaging.EventSubscriber;
import io.orderflow.roles.Role;

/** The orders role's consumer: follows each order's events, moving it to SHIPPED when shipping says so. */
@ApplicationScoped
public class OrderEventsConsumer implements EventSubscriber {

    private final ConsumerPipeline pipeline;
    private final EventConsumer consumer;

    public OrderEventsConsumer(ConsumerPipeline pipeline, OrderService orders) {
        this.pipeline = pipeline;
        this.consumer = EventConsumer.of(Role.ORDERS)
                .on(OrderCreated.TYPE, orders::ensureCreated, orders::ensureAllCreated)
                .on(OrderShipped.TYPE, orders::markShipped, orders::markAllShipped)
                .build();
    }

    @Override
    public EventConsumer consumer() {
        return consumer;
    }

    @Incoming("orders")
    public Flow.Subscriber<Message<byte[]>> on() {
        return pipeline.subscriber(consumer);
    }
}
