package io.orderflow.orders;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;

import org.jboss.logging.Logger;

import io.orderflow.events.EventCodec;
import io.orderflow.events.EventEnvelope;
import io.orderflow.events.OrderCreated;
import io.orderflow.events.OrderShipped;
import io.orderflow.messaging.AggregateProgress;
import io.orderflow.messaging.OutboxRelay;
import io.orderflow.messaging.ParkedEvents;
import io.orderflow.messaging.OutboxWriter;
import io.orderflow.roles.Role;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Creates orders with their OrderCreated event, and applies what shipping reports back. */
@ApplicationScoped
public class OrderService {

    private static final Logger LOG = Logger.getLogger(OrderService.class);

    private static final String CONSUMER = Role.ORDERS.id();
    static final String CREATE_ALL = """
            insert into orders (id, customer_id, total_cents, currency, status, created_at)
            select id, customer_id, total_cents, currency, $6, created_at
            from unnest($1::uuid[], $2::varchar[], $3::bigint[], $4::varchar[], $5::timestamptz[])
                 as o (id, customer_id, total_cents, currency, created_at)
            on conflict (id) do nothing""";
    // Both find each order by its key whatever the plan is costed on (see PipelinedTransaction): as
    // joins, a generic plan costed on an empty table hashed every order. The ids of one call are
    // distinct (one step per order in each round), so array_position finds each one's own time.
    static final String UNKNOWN_OF = """
            select v.id from unnest($1::uuid[]) as v (id)
            left join lateral (select true as known from orders o where o.id = v.id limit 1) as o on true
            where o.known is null""";
    static final String SHIP_ALL = """
            update orders set status = $3, shipped_at = ($2::timestamptz[])[array_position($1::uuid[], id)]
            where id = any($1::uuid[]) and status <> $3""";

    private final OrderRepository orders;
    private final OutboxWriter outbox;
    private final OutboxRelay relay;
    private final AggregateProgress progress;
    private final ParkedEvents parked;
    private final EventCodec codec;
    private final Clock clock;

    public OrderService(OrderRepository orders, OutboxWriter outbox, OutboxRelay relay, AggregateProgress progress,
            ParkedEvents parked, EventCodec codec, Clock clock) {
        this.orders = orders;
        this.outbox = outbox;
        this.relay = relay;
        this.progress = progress;
        this.parked = parked;
        this.codec = codec;
        this.clock = clock;
    }

    /**
     * Saves the order and its OrderCreated event (step 1 of the order) in one transaction: never one
     * without the other. Step 1 is recorded as applied here, so the OrderCreated that comes back on
     * the orders queue is stale and changes nothing.
     */
    public Uni<OrderView> create(CreateOrderRequest request) {
        Order order = newOrder(request);
        String aggregate = order.id.toString();
        EventEnvelope created = codec.envelope(OrderCreated.TYPE, CONSUMER, aggregate, 1,
                new OrderCreated(order.id, order.customerId, order.totalCents, order.currency, request.salesChannel()));
        return Panache.withTransaction(() -> orders.persist(order)
                        .call(() -> outbox.append(created))
                        .call(() -> progress.recordOwn(CONSUMER, aggregate, 1)))
                .invoke(relay::publishSoon)
                .map(saved -> OrderView.of(saved, 1, List.of()));
    }

    /** The order with how far its events are applied and what is parked, waiting for a missing step. */
    @WithSession
    public Uni<OrderView> find(UUID orderId) {
        String aggregate = orderId.toString();
        return orders.findById(orderId)
                .onItem().ifNull().failWith(() -> new NotFoundException("no order " + orderId))
                .flatMap(order -> progress.read(CONSUMER, aggregate)
                        .flatMap(applied -> parked.list(CONSUMER, aggregate)
                                .map(waiting -> OrderView.of(order, applied, waiting))));
    }

    /**
     * Handler of OrderCreated on the orders queue. Orders written by this service have step 1
     * recorded, so the pipeline only gets here for an order created elsewhere (another region, a
     * replay from an archive): the fat event holds everything needed to create it.
     */
    public Uni<Void> ensureCreated(OrderCreated created, EventEnvelope envelope) {
        return orders.findById(created.orderId())
                .flatMap(existing -> existing != null ? Uni.createFrom().item(existing) : orders.persist(fromEvent(created, envelope)))
                .replaceWithVoid();
    }

    /** {@link #ensureCreated} for a batch, on the batch transaction's connection: one insert for all. */
    public Uni<Void> ensureAllCreated(SqlConnection sql, List<OrderCreated> created, List<EventEnvelope> envelopes) {
        Tuple columns = Tuple.of(created.stream().map(OrderCreated::orderId).toArray(UUID[]::new),
                created.stream().map(OrderCreated::customerId).toArray(String[]::new),
                created.stream().map(OrderCreated::totalCents).toArray(Long[]::new),
                created.stream().map(OrderCreated::currency).toArray(String[]::new),
                envelopes.stream().map(envelope -> envelope.time().atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new),
                OrderStatus.CREATED.name());
        return sql.preparedQuery(CREATE_ALL).execute(columns).replaceWithVoid();
    }

    /** Handler of OrderShipped; runs in the consumer pipeline's transaction. */
    public Uni<Void> markShipped(OrderShipped shipped, EventEnvelope envelope) {
        return orders.findById(shipped.orderId())
                .onItem().ifNull().failWith(() -> new OrderNotYetKnownException(shipped.orderId()))
                .invoke(order -> applyShipped(order, shipped))
                .replaceWithVoid();
    }

    /**
     * {@link #markShipped} for a batch, on the batch transaction's connection: fails, as the handler
     * does, when an order is not known yet; an order already shipped stays as it is.
     */
    public Uni<Void> markAllShipped(SqlConnection sql, List<OrderShipped> shipped, List<EventEnvelope> envelopes) {
        UUID[] ids = shipped.stream().map(OrderShipped::orderId).toArray(UUID[]::new);
        OffsetDateTime[] times = shipped.stream().map(each -> each.shippedAt().atOffset(ZoneOffset.UTC))
                .toArray(OffsetDateTime[]::new);
        return sql.preparedQuery(UNKNOWN_OF).execute(Tuple.of(ids))
                .invoke(unknown -> {
                    if (unknown.size() > 0) {
                        throw new OrderNotYetKnownException(unknown.iterator().next().getUUID(0));
                    }
                })
                .chain(() -> sql.preparedQuery(SHIP_ALL).execute(Tuple.of(ids, times, OrderStatus.SHIPPED.name())))
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

    private static Order fromEvent(OrderCreated created, EventEnvelope envelope) {
        return Order.created(created.orderId(), created.customerId(), created.totalCents(), created.currency(),
                envelope.time());
    }

    private Order newOrder(CreateOrderRequest request) {
        return Order.created(UUID.randomUUID(), request.customerId(), request.totalCents(), request.currency(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }
}
