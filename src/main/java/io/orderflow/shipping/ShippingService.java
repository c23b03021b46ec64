package io.orderflow.shipping;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.orderflow.events.EventCodec;
import io.orderflow.events.EventEnvelope;
import io.orderflow.events.OrderCreated;
import io.orderflow.events.OrderShipped;
import io.orderflow.messaging.AggregateProgress;
import io.orderflow.messaging.OutboxRelay;
import io.orderflow.messaging.OutboxWriter;
import io.orderflow.roles.Role;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Opens a pending shipment for each new order, and ships it with its OrderShipped event. */
@ApplicationScoped
public class ShippingService {

    private static final Logger LOG = Logger.getLogger(ShippingService.class);

    private static final String CONSUMER = Role.SHIPPING.id();
    static final String OPEN_ALL = """
            insert into shipments (order_id, customer_id, status, created_at)
            select order_id, customer_id, $3, $4 from unnest($1::uuid[], $2::varchar[]) as s (order_id, customer_id)
            on conflict (order_id) do nothing""";

    private final ShipmentRepository shipments;
    private final OutboxWriter outbox;
    private final OutboxRelay relay;
    private final AggregateProgress progress;
    private final EventCodec codec;
    private final Clock clock;

    public ShippingService(ShipmentRepository shipments, OutboxWriter outbox, OutboxRelay relay,
            AggregateProgress progress, EventCodec codec, Clock clock) {
        this.shipments = shipments;
        this.outbox = outbox;
        this.relay = relay;
        this.progress = progress;
        this.codec = codec;
        this.clock = clock;
    }

    /** Handler of OrderCreated; runs in the consumer pipeline's transaction. */
    public Uni<Void> openShipment(OrderCreated created, EventEnvelope envelope) {
        return shipments.findById(created.orderId())
                .flatMap(existing -> existing != null ? alreadyOpen(existing, envelope) : shipments.persist(pending(created)))
                .replaceWithVoid();
    }

    /**
     * Handler of a batch of OrderCreated, with the effect of {@link #openShipment} on each: one
     * insert for all, and an order that has its shipment already keeps it.
     */
    public Uni<Void> openShipments(SqlConnection sql, List<OrderCreated> created, List<EventEnvelope> envelopes) {
        UUID[] orders = created.stream().map(OrderCreated::orderId).toArray(UUID[]::new);
        String[] customers = created.stream().map(OrderCreated::customerId).toArray(String[]::new);
        OffsetDateTime now = clock.instant().truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
        return sql.preparedQuery(OPEN_ALL).execute(Tuple.of(orders, customers, ShipmentStatus.PENDING.name(), now))
                .invoke(opened -> alreadyOpen(created.size() - opened.rowCount()))
                .replaceWithVoid();
    }

    /**
     * Marks the shipment shipped and records OrderShipped, the next step of the order, in the same
     * transaction. The order's progress row lock serializes concurrent ship requests.
     */
    public Uni<ShipmentView> ship(UUID orderId) {
        String aggregate = orderId.toString();
        return Panache.withTransaction(() -> progress.lock(CONSUMER, aggregate)
                        .flatMap(last -> shipments.findById(orderId)
                                .onItem().ifNull().failWith(() -> new NotFoundException("no shipment for order " + orderId))
                                .call(shipment -> markShipped(shipment, nextStep(last)))))
                .invoke(relay::publishSoon)
                .map(ShipmentView::of);
    }

    @WithSession
    public Uni<ShipmentView> find(UUID orderId) {
        return shipments.findById(orderId)
                .onItem().ifNull().failWith(() -> new NotFoundException("no shipment for order " + orderId))
                .map(ShipmentView::of);
    }

    /**
     * The shipment exists, so step 1 (OrderCreated) happened even when it came without a sequence
     * (an event written before sequences existed) and left no progress behind.
     */
    private static long nextStep(long lastApplied) {
        return Math.max(lastApplied, 1) + 1;
    }

    private Uni<Void> markShipped(Shipment shipment, long step) {
        if (shipment.status == ShipmentStatus.SHIPPED) {
            return Uni.createFrom().failure(new ClientErrorException(
                    "the shipment of order " + shipment.orderId + " was already shipped", Response.Status.CONFLICT));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        shipment.status = ShipmentStatus.SHIPPED;
        shipment.shippedAt = now;
        String aggregate = shipment.orderId.toString();
        return outbox.append(codec.envelope(OrderShipped.TYPE, CONSUMER, aggregate, step, new OrderShipped(shipment.orderId, now)))
                .call(() -> progress.advance(CONSUMER, aggregate, step));
    }

    private static void alreadyOpen(int orders) {
        if (orders > 0) {
            LOG.infof("%d OrderCreated event(s) of a batch were for orders with a shipment already; they change nothing", orders);
        }
    }

    private Uni<Shipment> alreadyOpen(Shipment existing, EventEnvelope envelope) {
        // Another event id for an order we already handle (e.g. a producer that re-emitted it):
        // the shipment exists, so there is nothing to apply; the idempotency record still commits.
        LOG.infof("Shipment for order %s exists; OrderCreated %s changes nothing", existing.orderId, envelope.id());
        return Uni.createFrom().item(existing);
    }

    private Shipment pending(OrderCreated created) {
        Shipment shipment = new Shipment();
        shipment.orderId = created.orderId();
        shipment.customerId = created.customerId();
        shipment.status = ShipmentStatus.PENDING;
        shipment.createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return shipment;
    }
}
