package io.orderflow.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

/**
 * The tests' own view of the real broker: publish raw bytes anywhere, observe an exchange through a
 * private queue, and read dead letters. Uses the plain AMQP client, not the application's channels.
 */
public final class Broker implements AutoCloseable {

    public static final String EXCHANGE = "orderflow-test.events";
    public static final String SHIPPING_QUEUE = "orderflow-test.shipping";
    public static final String SHIPPING_DLQ = "orderflow-test.shipping.dlq";
    public static final String ORDERS_QUEUE = "orderflow-test.orders";
    public static final String ORDERS_DLQ = "orderflow-test.orders.dlq";

    private final Connection connection;
    private final Channel channel;

    private Broker(Connection connection, Channel channel) {
        this.connection = connection;
        this.channel = channel;
    }

    public static Broker connect() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        try {
            Connection connection = factory.newConnection("orderflow-tests");
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            return new Broker(connection, channel);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("the tests need RabbitMQ on 127.0.0.1:5672 (run scripts/infra)", e);
        }
    }

    /** Publishes to the events exchange, routed like the application routes: by event type. */
    public void publishEvent(String type, byte[] body) {
        publish(EXCHANGE, type, body, Map.of());
    }

    public void publishEvent(String type, String body) {
        publishEvent(type, body.getBytes(StandardCharsets.UTF_8));
    }

    public void publish(String exchange, String routingKey, byte[] body, Map<String, Object> headers) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .headers(new HashMap<>(headers))
                .build();
        try {
            channel.basicPublish(exchange, routingKey, properties, body);
            channel.waitForConfirmsOrDie(5_000);
        } catch (IOException | InterruptedException | TimeoutException e) {
            throw new IllegalStateException("publish to " + exchange + "/" + routingKey + " failed", e);
        }
    }

    /** Publishes raw bytes to the events exchange with the given properties (any of them may be null). */
    public void publishRaw(String routingKey, byte[] body, String contentType, String messageId, Map<String, Object> headers) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType(contentType)
                .messageId(messageId)
                .deliveryMode(2)
                .headers(headers == null ? null : new HashMap<>(headers))
                .build();
        try {
            channel.basicPublish(EXCHANGE, routingKey, properties, body);
            channel.waitForConfirmsOrDie(10_000);
        } catch (IOException | InterruptedException | TimeoutException e) {
            throw new IllegalStateException("publish to " + routingKey + " failed", e);
        }
    }

    /** Publishes many messages straight into a queue (default exchange), confirmed all at once. */
    public void publishAllToQueue(String queue, List<String> bodies) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json").deliveryMode(2).build();
        try {
            for (String body : bodies) {
                channel.basicPublish("", queue, properties, body.getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(30_000);
        } catch (IOException | InterruptedException | TimeoutException e) {
            throw new IllegalStateException("publish to " + queue + " failed", e);
        }
    }

    /** A private queue bound to the events exchange for every routing key: sees all that is published. */
    public String observeEvents() {
        try {
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, EXCHANGE, "#");
            return queue;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes every message now in {@code queue}; the ones that match are returned, the rest acked away. */
    public List<Received> drain(String queue, Predicate<Received> wanted) {
        List<Received> matching = new ArrayList<>();
        try {
            GetResponse response;
            while ((response = channel.basicGet(queue, true)) != null) {
                Received received = Received.of(response);
                if (wanted.test(received)) {
                    matching.add(received);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return matching;
    }

    public Optional<Received> takeFirst(String queue, Predicate<Received> wanted) {
        return drain(queue, wanted).stream().findFirst();
    }

    public long depth(String queue) {
        try {
            return channel.messageCount(queue);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One message read from a queue. */
    public record Received(String body, Map<String, Object> headers) {
        static Received of(GetResponse response) {
            Map<String, Object> headers = new HashMap<>();
            Map<String, Object> raw = response.getProps().getHeaders();
            if (raw != null) {
                raw.forEach((name, value) -> headers.put(name, value == null ? null : value.toString()));
            }
            return new Received(new String(response.getBody(), StandardCharsets.UTF_8), headers);
        }

        public String header(String name) {
            Object value = headers.get(name);
            return value == null ? null : value.toString();
        }
    }
}
