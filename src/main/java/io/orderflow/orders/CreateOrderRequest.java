package io.orderflow.orders;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.orderflow.events.Iso4217;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Body of {@code POST /orders}; {@code sales_channel} is optional and travels in OrderCreated only. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateOrderRequest(
        @NotBlank @Size(max = 64) String customerId,
        @NotNull @Positive Long totalCents,
        @NotNull @Iso4217 String currency,
        @Size(min = 1, max = 32) String salesChannel) {
}
