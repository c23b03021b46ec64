package io.orderflow.deadletter;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.orderflow.messaging.DeliveryHeaders;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Sends a dead letter back to its original queue with publisher confirms. The failure headers go,
 * so the message gets a fresh retry budget; replay headers say where it came from. It then passes
 * the consumer pipeline like any delivery, idempotency rule included.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    public static final String REPLAY_OF = "x-orderflow-replay-of";
    public static final String REPLAYED_BY = "x-orderflow-replayed-by";
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    private final MutinyEmitter<byte[]> redeliveries;
    private final ObjectMapper mapper;

    public DeadLetterPublisher(@Channel("redeliveries") MutinyEmitter<byte[]> redeliveries, ObjectMapper mapper) {
        this.redeliveries = redeliveries;
        this.mapper = mapper;
    }

    public Uni<Void> replay(DeadLetter letter, byte[] body, String actor) {
        OutgoingRabbitMQMetadata.Builder properties = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(letter.originalQueue)
                .withDeliveryMode(2)
                .withHeaders(replayHeaders(letter, actor));
        if (letter.contentType != null) {
            properties.withContentType(letter.contentType);
        }
        if (letter.messageId != null) {
            properties.withMessageId(letter.messageId);
        }
        if (letter.eventType != null) {
            properties.withType(letter.eventType);
        }
        return Uni.createFrom().deferred(() -> redeliveries.sendMessage(Message.of(body, Metadata.of(properties.build()))))
                .ifNoItem().after(CONFIRM_TIMEOUT).fail();
    }

    private Map<String, Object> replayHeaders(DeadLetter letter, String actor) {
        Map<String, Object> headers = DeliveryHeaders.withoutFailures(original(letter));
        headers.put(REPLAY_OF, letter.id);
        headers.put(REPLAYED_BY, actor);
        return headers;
    }

    private Map<String, String> original(DeadLetter letter) {
        try {
            return mapper.readValue(letter.headers, HEADERS);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
