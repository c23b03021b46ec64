package io.orderflow.shipping;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

/** Shipments by order id. */
@ApplicationScoped
public class ShipmentRepository implements PanacheRepositoryBase<Shipment, UUID> {
}
