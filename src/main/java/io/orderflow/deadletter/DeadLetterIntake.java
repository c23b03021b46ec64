package io.orderflow.deadletter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.messaging.ConsumerQueues;
import io.orderflow.messaging.DeliveryHeaders;
import io.orderflow.messaging.DeliveryMetadata;
import io.orderflow.messaging.Topology;
import io.orderflow.roles.Role;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Moves messages from the broker's dead-letter queues into the dead_letters table, acking the
 * broker only after the insert committed, so the DLQs stay small and nothing is lost. While the
 * database is down the message stays unacked and the insert is retried with back-off.
 */
@ApplicationScoped
public class DeadLetterIntake {

    private static final Logger LOG = Logger.getLogger(DeadLetterIntake.class);
    private static final String UNKNOWN_REASON = "rejected";
    private static final int MAX_TYPE_LENGTH = 64;

    // The digest of body and headers makes a broker redelivery of the same DLQ message a no-op.
    private static final String INSERT = """
            insert into dead_letters (digest, consumer, original_queue, message_id, event_type, reason, exception,
                                      error, retries, content_type, headers, body, first_failure_at, last_failure_at)
            values (:digest, :consumer, :originalQueue, :messageId, :eventType, :reason, :exception, :error, :retries,
                    :contentType, :headers, :body, :firstFailure, :lastFailure)
            on conflict (consumer, digest) do nothing""";

    private final Topology topology;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final Clock clock;

    public DeadLetterIntake(Topology topology, ObjectMapper mapper, MeterRegistry registry, Clock clock) {
        this.topology = topology;
        this.mapper = mapper;
        this.registry = registry;
        this.clock = clock;
    }

    @Incoming("shipping-dead-letters")
    public Uni<Void> fromShipping(Message<byte[]> message) {
        return store(message, Role.SHIPPING.id());
    }

    @Incoming("orders-dead-letters")
    public Uni<Void> fromOrders(Message<byte[]> message) {
        return store(message, Role.ORDERS.id());
    }

    private Uni<Void> store(Message<byte[]> message, String queueOwner) {
        Row row = row(message, DeliveryMetadata.of(message), queueOwner);
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> bind(session.createNativeQuery(INSERT), row)
                        .executeUpdate()))
                .onFailure().invoke(e -> LOG.warnf("Dead letter not stored yet, retrying: %s", e.toString()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely()
                .invoke(inserted -> count(row, inserted))
                .chain(() -> Uni.createFrom().completionStage(message::ack));
    }

    private void count(Row row, int inserted) {
        if (inserted == 1) {
            registry.counter("orderflow.dead_letters.received", "consumer", row.consumer(), "reason", row.reason()).increment();
        }
    }

    private Row row(Message<byte[]> message, DeliveryMetadata amqp, String queueOwner) {
        Map<String, Object> headers = amqp.headers();
        byte[] body = message.getPayload() == null ? new byte[0] : message.getPayload();
        String consumer = orElse(DeliveryHeaders.text(headers, DeliveryHeaders.CONSUMER), queueOwner);
        String originalQueue = orElse(DeliveryHeaders.text(headers, DeliveryHeaders.ORIGINAL_QUEUE),
                topology.queuesOf(consumer).map(ConsumerQueues::work).orElse(consumer));
        Instant now = clock.instant();
        Instant lastFailure = instant(DeliveryHeaders.text(headers, DeliveryHeaders.LAST_FAILURE), now);
        String headersJson = json(headers);
        return new Row(digest(body, headersJson), consumer, originalQueue,
                amqp.messageId().orElse(null),
                eventType(amqp, body),
                orElse(DeliveryHeaders.text(headers, DeliveryHeaders.REASON), UNKNOWN_REASON),
                DeliveryHeaders.text(headers, DeliveryHeaders.EXCEPTION),
                DeliveryHeaders.text(headers, DeliveryHeaders.ERROR),
                DeliveryHeaders.retries(headers),
                amqp.contentType().orElse(null),
                headersJson, body,
                instant(DeliveryHeaders.text(headers, DeliveryHeaders.FIRST_FAILURE), lastFailure), lastFailure);
    }

    private static <Q extends org.hibernate.reactive.mutiny.Mutiny.SelectionQuery<?>> Q bind(Q query, Row row) {
        query.setParameter("digest", row.digest());
        query.setParameter("consumer", row.consumer());
        query.setParameter("originalQueue", row.originalQueue());
        query.setParameter("messageId", row.messageId());
        query.setParameter("eventType", row.eventType());
        query.setParameter("reason", row.reason());
        query.setParameter("exception", row.exception());
        query.setParameter("error", row.error());
        query.setParameter("retries", row.retries());
        query.setParameter("contentType", row.contentType());
        query.setParameter("headers", row.headers());
        query.setParameter("body", row.body());
        query.setParameter("firstFailure", row.firstFailure());
        query.setParameter("lastFailure", row.lastFailure());
        return query;
    }

    /** The AMQP type property, or the envelope's type when the body is readable enough to say. */
    private String eventType(DeliveryMetadata amqp, byte[] body) {
        String type = amqp.type().orElse(null);
        if (type != null) {
            return type;
        }
        try {
            JsonNode declared = mapper.readTree(body).path("type");
            return declared.isTextual() && declared.asText().length() <= MAX_TYPE_LENGTH ? declared.asText() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private String json(Map<String, Object> headers) {
        Map<String, String> flat = new TreeMap<>();
        headers.forEach((name, value) -> flat.put(name, String.valueOf(value)));
        try {
            return mapper.writeValueAsString(flat);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String digest(byte[] body, String headersJson) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(body);
            sha.update(headersJson.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(String text, Instant fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /** One dead letter as it is inserted. */
    private record Row(String digest, String consumer, String originalQueue, String messageId, String eventType,
            String reason, String exception, String error, int retries, String contentType, String headers, byte[] body,
            Instant firstFailure, Instant lastFailure) {
    }
}
