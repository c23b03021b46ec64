package io.orderflow.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.orderflow.events.OrderCreated;
import io.orderflow.testing.BrokerTestSupport;
import io.orderflow.testing.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** The transactional outbox: what commits is published (once confirmed, marked); what rolls back never is. */
@QuarkusTest
class OutboxTest extends BrokerTestSupport {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private String observer;

    @BeforeEach
    void observe() {
        observer = broker.observeEvents();
    }

    @Test
    void committedOrderIsPublishedAsItsEnvelopeAndMarkedPublished() {
        String orderId = createOrder("committed-" + UUID.randomUUID()).orElseThrow();

        JsonObject event = awaitEvent(orderId);
        assertEquals("OrderCreated", event.getString("type"));
        assertEquals("orders", event.getString("source"));
        assertEquals(OrderCreated.TYPE.version(), event.getInteger("version"));
        assertTrue(event.getString("time").matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"));
        UUID eventId = UUID.fromString(event.getString("id"));
        await().atMost(TIMEOUT).until(() -> Sql.count(pool,
                "select count(*) from outbox where event_id = $1 and published_at is not null", eventId) == 1);
    }

    @Test
    void rolledBackOrderLeavesNoOutboxRowAndPublishesNothing() {
        String doomed = "rollback-" + UUID.randomUUID();
        failInserts("orders", doomed, Integer.MAX_VALUE);

        given().contentType("application/json")
                .body("{\"customer_id\":\"" + doomed + "\",\"total_cents\":100,\"currency\":\"EUR\"}")
                .post("/orders").then().statusCode(500).contentType("application/problem+json");
        String control = createOrder("control-" + UUID.randomUUID()).orElseThrow();

        awaitEvent(control);
        assertEquals(0, Sql.count(pool, "select count(*) from outbox where body like $1", "%" + doomed + "%"));
        assertEquals(0, Sql.count(pool, "select count(*) from orders where customer_id = $1", doomed));
        assertEquals(0, broker.drain(observer, m -> m.body().contains(doomed)).size());
    }

    private java.util.Optional<String> createOrder(String customer) {
        return java.util.Optional.ofNullable(given().contentType("application/json")
                .body("{\"customer_id\":\"" + customer + "\",\"total_cents\":100,\"currency\":\"EUR\"}")
                .post("/orders").then().statusCode(201).extract().path("order_id"));
    }

    private JsonObject awaitEvent(String orderId) {
        List<JsonObject> found = new ArrayList<>();
        await().atMost(TIMEOUT).until(() -> {
            broker.drain(observer, m -> m.body().contains(orderId)).forEach(m -> found.add(new JsonObject(m.body())));
            return !found.isEmpty();
        });
        assertEquals(1, found.size(), "published once");
        return found.get(0);
    }
}
