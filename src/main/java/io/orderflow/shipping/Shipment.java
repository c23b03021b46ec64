package io.orderflow.shipping;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The shipment of one order; never leaves through the API (see {@link ShipmentView}). */
@Entity
@Table(name = "shipments")
public class Shipment extends PanacheEntityBase {

    @Id
    @Column(name = "order_id")
    public UUID orderId;

    @Column(name = "customer_id", nullable = false)
    public String customerId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ShipmentStatus status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "shipped_at")
    public Instant shippedAt;
}
