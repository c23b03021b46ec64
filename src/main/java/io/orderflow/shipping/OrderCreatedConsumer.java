package io.orderflow.shipping;

import java.util.concurrent.Flow;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.orderflow.events.OrderCreated;
import io.orderflow.messaging.ConsumerPipeline;
import io.orderflow.messaging.EventConsumer;
import io.orderflow.messaging.EventSubscriber;
import io.orderflow.roles.Role;

/** The shipping role's consumer: opens a pending shipment for every new order. */
@ApplicationScoped
public class OrderCreatedConsumer implements EventSubscriber {

    private final ConsumerPipeline pipeline;
    private final EventConsumer consumer;

    public OrderCreatedConsumer(ConsumerPipeline pipeline, ShippingService shipping) {
        this.pipeline = pipeline;
        this.consumer = EventConsumer.of(Role.SHIPPING)
                .on(OrderCreated.TYPE, shipping::openShipment, shipping::openShipments)
                .build();
    }

    @Override
    public EventConsumer consumer() {
        return consumer;
    }

    @Incoming("shipping")
    public Flow.Subscriber<Message<byte[]>> on() {
        return pipeline.subscriber(consumer);
    }
}
