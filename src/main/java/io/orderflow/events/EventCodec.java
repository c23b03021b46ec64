package io.orderflow.events;

import java.io.IOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns payload records into envelopes and bytes, and bytes back, rejecting what cannot be read
 * with the reason a dead letter will carry.
 */
@ApplicationScoped
public class EventCodec {

    private final ObjectMapper mapper;
    private final Validator validator;
    private final Clock clock;
    private final EventSchemas schemas;

    public EventCodec(ObjectMapper mapper, Validator validator, Clock clock, EventSchemas schemas) {
        this.mapper = mapper;
        this.validator = validator;
        this.clock = clock;
        this.schemas = schemas;
    }

    /**
     * A new envelope with a fresh id and the current time (millisecond precision), for the
     * {@code sequence}-th event of the aggregate {@code subject}.
     */
    public <T> EventEnvelope envelope(EventType<T> type, String source, String subject, long sequence, T payload) {
        return new EventEnvelope(UUID.randomUUID(), type.name(), source,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), type.version(), subject, sequence,
                mapper.valueToTree(payload));
    }

    public byte[] encode(EventEnvelope envelope) {
        try {
            return mapper.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + envelope.id() + " cannot be serialized", e);
        }
    }

    public EventEnvelope decode(byte[] body) {
        if (body == null || body.length == 0) {
            throw new RejectedEventException(RejectReason.UNREADABLE, "empty body");
        }
        EventEnvelope envelope;
        try {
            envelope = mapper.readValue(body, EventEnvelope.class);
        } catch (JsonProcessingException e) {
            throw new RejectedEventException(RejectReason.UNREADABLE, "not an event envelope: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new RejectedEventException(RejectReason.UNREADABLE, "not an event envelope: " + e.getMessage(), e);
        }
        requireEnvelopeFields(envelope);
        return envelope;
    }

    /**
     * Admits an envelope already matched to {@code type} at a consumer's edge: a version newer than
     * {@code type} is rejected unread, the data must conform to the schema of its own version, and an
     * older version is then brought to {@code type}'s version by its upcaster chain.
     */
    public EventEnvelope admit(EventEnvelope envelope, EventType<?> type) {
        if (envelope.version() > type.version()) {
            throw new RejectedEventException(RejectReason.UNSUPPORTED_VERSION,
                    "this consumer reads " + type.name() + " up to v" + type.version() + ", not v" + envelope.version());
        }
        schemas.validate(envelope);
        if (envelope.version() == type.version()) {
            return envelope;
        }
        return new EventEnvelope(envelope.id(), envelope.type(), envelope.source(), envelope.time(), type.version(),
                envelope.subject(), envelope.sequence(), type.upcast((ObjectNode) envelope.data(), envelope.version()));
    }

    /** Reads the data of an envelope already matched to {@code type}, and validates it. */
    public <T> T payload(EventEnvelope envelope, EventType<T> type) {
        T payload;
        try {
            payload = mapper.treeToValue(envelope.data(), type.payloadClass());
        } catch (IOException | IllegalArgumentException e) {
            throw new RejectedEventException(RejectReason.INVALID_PAYLOAD,
                    type.name() + " data cannot be read: " + e.getMessage(), e);
        }
        Set<ConstraintViolation<T>> violations = validator.validate(payload);
        if (!violations.isEmpty()) {
            throw new RejectedEventException(RejectReason.INVALID_PAYLOAD, type.name() + " data is invalid: " + describe(violations));
        }
        return payload;
    }

    private static void requireEnvelopeFields(EventEnvelope envelope) {
        if (envelope == null || envelope.id() == null || envelope.type() == null || envelope.type().isBlank()
                || envelope.time() == null || envelope.version() < 1 || envelope.data() == null || !envelope.data().isObject()) {
            throw new RejectedEventException(RejectReason.UNREADABLE,
                    "envelope needs id, type, time, version >= 1 and an object as data");
        }
    }

    private static <T> String describe(Set<ConstraintViolation<T>> violations) {
        return violations.stream()
                .map(v -> v.getPropertyPath() + " " + v.getMessage())
                .sorted()
                .collect(Collectors.joining(", "));
    }
}
