package io.orderflow.operations;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.testing.Broker;
import io.orderflow.testing.BrokerTestSupport;
import io.orderflow.testing.Events;
import io.orderflow.testing.Metrics;
import io.orderflow.testing.RabbitMqCtl;
import io.orderflow.testing.Sql;
import io.orderflow.testing.TableLock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The consumers' connection is cut while deliveries are in the middle of their transactions. The
 * transactions commit after the cut, so their acks belong to a channel that no longer exists: they
 * must be dropped, never sent on the new channel, where the same delivery tags name other,
 * unprocessed messages (the bug that lost messages in the chaos runs). The broker redelivers what
 * was in flight; the inbox turns those redeliveries into duplicates; every event has one effect.
 */
@QuarkusTest
class ConsumerRecoveryTest extends BrokerTestSupport {

    private static final String CONSUMER_CONNECTION = "orderflow-consumers";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int EVENTS = 300;

    @Inject
    MeterRegistry registry;

    @Test
    void acksOfDeliveriesFromBeforeAReconnectAreDroppedAndEveryEventIsAppliedOnce() {
        assumeTrue(RabbitMqCtl.available(), "skipped: needs rabbitmqctl with access to the node");
        String before = await().atMost(TIMEOUT).until(() -> RabbitMqCtl.connection(CONSUMER_CONNECTION).orElse(null),
                pid -> pid != null);
        List<Integer> channelsBefore = RabbitMqCtl.channels(before);
        double duplicates = Metrics.consumed(registry, "shipping", "OrderCreated", "duplicate");
        String customer = "recovery-" + UUID.randomUUID();
        List<UUID> events = new ArrayList<>();

        // Inserts into shipments wait for this lock, so the first deliveries stay in flight.
        try (TableLock shipments = TableLock.exclusive(pool, "shipments")) {
            for (int i = 0; i < EVENTS; i++) {
                UUID event = UUID.randomUUID();
                events.add(event);
                broker.publishEvent("OrderCreated", Events.orderCreated(event, UUID.randomUUID(), customer));
            }
            await().atMost(TIMEOUT).until(() -> broker.depth(Broker.SHIPPING_QUEUE) < EVENTS);

            RabbitMqCtl.closeConnection(before);
            await().atMost(TIMEOUT).until(() -> RabbitMqCtl.connection(CONSUMER_CONNECTION).filter(pid -> !pid.equals(before))
                    .map(RabbitMqCtl::channels).filter(channelsBefore::equals).isPresent());
        }

        await().atMost(TIMEOUT).until(() -> Sql.count(pool, "select count(*) from shipments where customer_id = $1", customer) == EVENTS
                && broker.depth(Broker.SHIPPING_QUEUE) == 0);
        String after = RabbitMqCtl.connection(CONSUMER_CONNECTION).orElseThrow();
        // A stale ack reaching the broker closes its channel (unknown delivery tag) and a new one
        // replaces it: the same channel numbers after the work is done prove none was sent.
        assertEquals(channelsBefore, RabbitMqCtl.channels(after));
        assertEquals(EVENTS, Sql.count(pool, "select count(*) from processed_events where consumer = 'shipping' and event_id = any($1)",
                (Object) events.toArray(UUID[]::new)));
        await().atMost(TIMEOUT).until(() -> Metrics.consumed(registry, "shipping", "OrderCreated", "duplicate") > duplicates);
    }
}
