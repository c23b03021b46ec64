package io.orderflow.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.orderflow.testing.Broker;
import io.orderflow.testing.DeadLetters;
import io.orderflow.testing.Events;
import io.orderflow.testing.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

/** A parked event whose prerequisite never comes is dead-lettered, not kept forever or dropped. */
@QuarkusTest
@TestProfile(ParkedEventExpiryTest.ShortParking.class)
class ParkedEventExpiryTest {

    /** Parked events expire after one second. */
    public static class ShortParking implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orderflow.ordering.park-timeout", "1s", "orderflow.ordering.expiry-interval", "500ms");
        }
    }

    @Inject
    Pool pool;

    @Test
    void parkedEventWhosePrerequisiteNeverComesIsDeadLetteredAsPrerequisiteMissing() {
        UUID orderId = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        try (Broker broker = Broker.connect()) {
            broker.publishEvent("OrderShipped", Events.sequenced(eventId, "OrderShipped", orderId, 2,
                    Events.orderShippedData(orderId, Instant.now())));

            DeadLetters.Stored deadLetter = DeadLetters.awaitStored(pool, "orders", eventId.toString(), Duration.ofSeconds(20));

            assertEquals("prerequisite-missing", deadLetter.reason());
            assertEquals("orders", deadLetter.consumer());
            assertTrue(deadLetter.error().contains("step 2 of " + orderId));
            assertEquals(0, Sql.count(pool, "select count(*) from parked_events where event_id = $1", eventId));
        }
    }
}
