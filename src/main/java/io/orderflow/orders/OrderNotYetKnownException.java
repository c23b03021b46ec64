package io.orderflow.orders;

import java.util.UUID;

/**
 * An event about an order this role has not seen created yet. Transient: the pipeline retries it
 * with back-off, since the OrderCreated it depends on may still be on its way.
 */
public class OrderNotYetKnownException extends RuntimeException {

    public OrderNotYetKnownException(UUID orderId) {
        super("order " + orderId + " is not known yet");
    }
}
