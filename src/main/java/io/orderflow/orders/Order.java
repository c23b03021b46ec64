package io.orderflow.orders;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** An order; never leaves through the API (see {@link OrderView}). */
@Entity
@Table(name = "orders")
public class Order extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "customer_id", nullable = false)
    public String customerId;

    @Column(name = "total_cents", nullable = false)
    public long totalCents;

    @Column(nullable = false, columnDefinition = "char(3)")
    public String currency;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public OrderStatus status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "shipped_at")
    public Instant shippedAt;

    /** A new order in state CREATED. */
    static Order created(UUID id, String customerId, long totalCents, String currency, Instant createdAt) {
        Order order = new Order();
        order.id = id;
        order.customerId = customerId;
        order.totalCents = totalCents;
        order.currency = currency;
        order.status = OrderStatus.CREATED;
        order.createdAt = createdAt;
        return order;
    }
}
