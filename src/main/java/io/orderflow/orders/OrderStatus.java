package io.orderflow.orders;

/** Lifecycle of an order as the orders role sees it. */
public enum OrderStatus {
    CREATED,
    SHIPPED
}
