package io.orderflow.testing;

import java.time.Instant;
import java.util.UUID;

/** Raw event JSON as a producer would write it, so tests do not lean on the codec they test. */
public final class Events {

    private Events() {
    }

    public static String envelope(UUID eventId, String type, int version, String dataJson) {
        return """
                {"id":"%s","type":"%s","source":"tests","time":"%s","version":%d,"data":%s}"""
                .formatted(eventId, type, Instant.now(), version, dataJson);
    }

    /** An event of an order's stream: {@code subject} is the order id, {@code sequence} its step. */
    public static String sequenced(UUID eventId, String type, UUID orderId, long sequence, String dataJson) {
        return """
                {"id":"%s","type":"%s","source":"tests","time":"%s","version":1,"subject":"%s","sequence":%d,"data":%s}"""
                .formatted(eventId, type, Instant.now(), orderId, sequence, dataJson);
    }

    public static String orderCreatedData(UUID orderId, String customerId, long totalCents, String currency) {
        return """
                {"order_id":"%s","customer_id":"%s","total_cents":%d,"currency":"%s"}"""
                .formatted(orderId, customerId, totalCents, currency);
    }

    public static String orderShippedData(UUID orderId, Instant shippedAt) {
        return """
                {"order_id":"%s","shipped_at":"%s"}""".formatted(orderId, shippedAt);
    }

    public static String orderCreated(UUID eventId, UUID orderId, String customerId) {
        return envelope(eventId, "OrderCreated", 1, """
                {"order_id":"%s","customer_id":"%s","total_cents":4200,"currency":"EUR"}""".formatted(orderId, customerId));
    }

    public static String orderShipped(UUID eventId, UUID orderId) {
        return envelope(eventId, "OrderShipped", 1, """
                {"order_id":"%s","shipped_at":"%s"}""".formatted(orderId, Instant.now()));
    }
}
