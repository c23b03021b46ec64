package io.orderflow.shipping;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/** Shipments by order id. */
@ApplicationScoped
public class ShipmentRepository implements PanacheRepositoryBase<Shipment, UUID> {

    /** Reads the shipment with a row lock, so two concurrent ship requests cannot both emit an event. */
    public Uni<Shipment> findForUpdate(UUID orderId) {
        return findById(orderId, LockModeType.PESSIMISTIC_WRITE);
    }
}
