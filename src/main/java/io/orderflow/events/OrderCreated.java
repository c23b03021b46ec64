package io.orderflow.events;

import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Fact: an order was accepted. Fat on purpose, so shipping needs no call back to orders. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OrderCreated(
        @NotNull UUID orderId,
        @NotBlank @Size(max = 64) String customerId,
        @NotNull @Positive Long totalCents,
        @NotNull @Iso4217 String currency) {

    public static final EventType<OrderCreated> TYPE = new EventType<>("OrderCreated", 1, OrderCreated.class);
}
