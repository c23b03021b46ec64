package io.orderflow.shipping;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.orderflow.events.Rfc3339Millis;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A shipment as the API shows it. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShipmentView(
        UUID orderId,
        String customerId,
        ShipmentStatus status,
        @JsonSerialize(using = Rfc3339Millis.class) Instant createdAt,
        @JsonSerialize(using = Rfc3339Millis.class) Instant shippedAt) {

    static ShipmentView of(Shipment shipment) {
        return new ShipmentView(shipment.orderId, shipment.customerId, shipment.status, shipment.createdAt,
                shipment.shippedAt);
    }
}
