package io.orderflow.events;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Fact: an order was accepted. Fat on purpose, so shipping needs no call back to orders.
 * Version 2 added the optional {@code sales_channel} the order came through (absent when unknown).
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OrderCreated(
        @NotNull UUID orderId,
        @NotBlank @Size(max = 64) String customerId,
        @NotNull @Positive Long totalCents,
        @NotNull @Iso4217 String currency,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Size(min = 1, max = 32) String salesChannel) {

    public static final EventType<OrderCreated> TYPE = new EventType<>("OrderCreated", 2, OrderCreated.class,
            List.of(OrderCreated::v1ToV2));

    /** v1 never recorded a sales channel, so the v2 field stays absent: nothing to add or rename. */
    private static ObjectNode v1ToV2(ObjectNode v1) {
        return v1;
    }
}
