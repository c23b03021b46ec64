package io.orderflow.orders;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;

import org.jboss.logging.Logger;

import io.orderflow.events.EventCodec;
import io.orderflow.events.EventEnvelope;
import io.orderflow.events.OrderCreated;
import io.orderflow.events.OrderShipped;
import io.orderflow.messaging.OutboxRelay;
import io.orderflow.messaging.OutboxWriter;
import io.orderflow.roles.Role;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Creates orders with their OrderCreated event, and applies what shipping reports back. */
@ApplicationScoped
public class OrderService {

    private static final Logger LOG = Logger.getLogger(OrderService.class);

    private final OrderRepository orders;
    private final OutboxWriter outbox;
    private final OutboxRelay relay;
    private final EventCodec codec;
    private final Clock clock;

    public OrderService(OrderRepository orders, OutboxWriter outbox, OutboxRelay relay, EventCodec codec, Clock clock) {
        this.orders = orders;
        this.outbox = outbox;
        this.relay = relay;
        this.codec = codec;
        this.clock = clock;
    }

    /** Saves the order and its OrderCreated event in one transaction: never one without the other. */
    public Uni<OrderView> create(CreateOrderRequest request) {
        Order order = newOrder(request);
        EventEnvelope created = codec.envelope(OrderCreated.TYPE, Role.ORDERS.id(), order.id.toString(), 1,
                new OrderCreated(order.id, order.customerId, order.totalCents, order.currency, request.salesChannel()));
        return Panache.withTransaction(() -> orders.persist(order).call(() -> outbox.append(created)))
                .invoke(relay::publishSoon)
                .map(OrderView::of);
    }

    @WithSession
    public Uni<OrderView> find(UUID orderId) {
        return orders.findById(orderId)
                .onItem().ifNull().failWith(() -> new NotFoundException("no order " + orderId))
                .map(OrderView::of);
    }

    /** Handler of OrderShipped; runs in the consumer pipeline's transaction. */
    public Uni<Void> markShipped(OrderShipped shipped, EventEnvelope envelope) {
        return orders.findById(shipped.orderId())
                .onItem().ifNull().failWith(() -> new OrderNotYetKnownException(shipped.orderId()))
                .invoke(order -> applyShipped(order, shipped))
                .replaceWithVoid();
    }

    private void applyShipped(Order order, OrderShipped shipped) {
        if (order.status == OrderStatus.SHIPPED) {
            LOG.infof("Order %s is already shipped; OrderShipped changes nothing", order.id);
            return;
        }
        order.status = OrderStatus.SHIPPED;
        order.shippedAt = shipped.shippedAt();
    }

    private Order newOrder(CreateOrderRequest request) {
        Order order = new Order();
        order.id = UUID.randomUUID();
        order.customerId = request.customerId();
        order.totalCents = request.totalCents();
        order.currency = request.currency();
        order.status = OrderStatus.CREATED;
        order.createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return order;
    }
}
