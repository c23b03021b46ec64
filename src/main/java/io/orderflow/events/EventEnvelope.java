package io.orderflow.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The wire envelope of every domain event; {@code data} stays raw JSON until a consumer of that type and version reads it.
 */
@RegisterForReflection
public record EventEnvelope(
        UUID id,
        String type,
        String source,
        @JsonSerialize(using = Rfc3339Millis.class) Instant time,
        int version,
        JsonNode data) {
}
