package io.orderflow.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The wire envelope of every domain event; {@code data} stays raw JSON until a consumer of that
 * type and version reads it. {@code subject} names the aggregate (the order id) and
 * {@code sequence} numbers its events from 1; both are optional so that events written before
 * they existed keep working.
 */
@RegisterForReflection
public record EventEnvelope(
        UUID id,
        String type,
        String source,
        @JsonSerialize(using = Rfc3339Millis.class) Instant time,
        int version,
        @JsonInclude(JsonInclude.Include.NON_NULL) String subject,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long sequence,
        JsonNode data) {
}
