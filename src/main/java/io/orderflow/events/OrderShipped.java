package io.orderflow.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Fact: the shipment of an order left the warehouse. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OrderShipped(
        @NotNull UUID orderId,
        @NotNull @JsonSerialize(using = Rfc3339Millis.class) Instant shippedAt) {

    public static final EventType<OrderShipped> TYPE = new EventType<>("OrderShipped", 1, OrderShipped.class, List.of());
}
