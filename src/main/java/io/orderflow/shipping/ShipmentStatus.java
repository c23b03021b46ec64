package io.orderflow.shipping;

/** Lifecycle of a shipment: pending until the warehouse ships it. */
public enum ShipmentStatus {
    PENDING,
    SHIPPED
}
