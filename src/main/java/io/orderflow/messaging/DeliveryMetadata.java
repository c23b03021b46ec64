package io.orderflow.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.reactive.messaging.Message;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;

/**
 * What the broker said about a delivery beside its body. Header values arrive as the AMQP client
 * decodes them; AMQP long strings become Java strings, so readers never see the client's types.
 */
public record DeliveryMetadata(Map<String, Object> headers, Optional<String> contentType, Optional<String> messageId,
        Optional<String> type, Optional<String> correlationId) {

    private static final DeliveryMetadata NONE = new DeliveryMetadata(Map.of(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    public static DeliveryMetadata of(AMQP.BasicProperties properties) {
        return new DeliveryMetadata(headers(properties.getHeaders()), Optional.ofNullable(properties.getContentType()),
                Optional.ofNullable(properties.getMessageId()), Optional.ofNullable(properties.getType()),
                Optional.ofNullable(properties.getCorrelationId()));
    }

    /** The metadata of a message, or none (an in-memory test message, say): no headers, no properties. */
    public static DeliveryMetadata of(Message<?> message) {
        return message.getMetadata(DeliveryMetadata.class).orElse(NONE);
    }

    private static Map<String, Object> headers(Map<String, Object> raw) {
        if (raw == null) {
            return Map.of();
        }
        Map<String, Object> headers = new HashMap<>();
        raw.forEach((name, value) -> headers.put(name, plain(value)));
        return headers;
    }

    private static Object plain(Object value) {
        if (value instanceof LongString text) {
            return new String(text.getBytes(), StandardCharsets.UTF_8);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(plain(item)));
            return copy;
        }
        if (value instanceof Map<?, ?> table) {
            Map<String, Object> copy = new HashMap<>();
            table.forEach((key, item) -> copy.put(String.valueOf(key), plain(item)));
            return copy;
        }
        return value;
    }
}
