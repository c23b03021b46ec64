package io.orderflow.messaging;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.orderflow.events.RejectReason;
import io.orderflow.events.RejectedEventException;

/**
 * What a delivery must be before anything parses it: not larger than the configured limit, and
 * JSON when it says what it is (no content type is accepted; our producers always set one).
 */
@ApplicationScoped
public class DeliveryLimits {

    private final int maxBodyBytes;

    public DeliveryLimits(MessagingConfig config) {
        this.maxBodyBytes = config.maxBodyBytes();
    }

    public void check(Message<byte[]> message) {
        byte[] body = message.getPayload();
        if (body != null && body.length > maxBodyBytes) {
            throw new RejectedEventException(RejectReason.TOO_LARGE,
                    "body of " + body.length + " bytes is over the limit of " + maxBodyBytes);
        }
        DeliveryMetadata.of(message).contentType()
                .filter(type -> !isJson(type))
                .ifPresent(type -> {
                    throw new RejectedEventException(RejectReason.UNSUPPORTED_CONTENT_TYPE,
                            "content type " + type + " is not JSON");
                });
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }
}
