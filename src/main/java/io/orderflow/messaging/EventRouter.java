package io.orderflow.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import io.orderflow.events.EventCodec;
import io.orderflow.events.EventEnvelope;
import io.orderflow.events.RejectReason;
import io.orderflow.events.RejectedEventException;

/**
 * Reads a message body for one consumer: decode the envelope, find the handler for its type and
 * version, read the payload. Anything that can never apply is a {@link RejectedEventException}.
 */
@ApplicationScoped
public class EventRouter {

    private final EventCodec codec;

    public EventRouter(EventCodec codec) {
        this.codec = codec;
    }

    public RoutedEvent<?> route(byte[] body, EventConsumer consumer) {
        EventEnvelope envelope = codec.decode(body);
        EventConsumer.Binding<?> binding = consumer.binding(envelope.type());
        if (binding == null) {
            throw new RejectedEventException(RejectReason.UNKNOWN_TYPE,
                    "consumer " + consumer.name() + " does not handle events of type " + envelope.type());
        }
        // Schema-checked at its own version, then upcast to the version the handler reads; newer is refused.
        return read(codec.admit(envelope, binding.type()), binding);
    }

    private <T> RoutedEvent<T> read(EventEnvelope envelope, EventConsumer.Binding<T> binding) {
        return new RoutedEvent<>(envelope, binding, codec.payload(envelope, binding.type()));
    }
}
