package io.orderflow.orders;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.orderflow.events.Rfc3339Millis;
import io.orderflow.messaging.ParkedEvents;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** An order as the API shows it. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderView(
        UUID orderId,
        String customerId,
        long totalCents,
        String currency,
        OrderStatus status,
        @JsonSerialize(using = Rfc3339Millis.class) Instant createdAt,
        @JsonSerialize(using = Rfc3339Millis.class) Instant shippedAt,
        long appliedSequence,
        List<ParkedEvents.Parked> parkedEvents) {

    static OrderView of(Order order, long appliedSequence, List<ParkedEvents.Parked> parked) {
        return new OrderView(order.id, order.customerId, order.totalCents, order.currency, order.status,
                order.createdAt, order.shippedAt, appliedSequence, parked);
    }
}
