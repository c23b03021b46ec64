package io.orderflow.deadletter;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.orderflow.testing.Broker;
import io.orderflow.testing.BrokerTestSupport;
import io.orderflow.testing.DeadLetters;
import io.orderflow.testing.Events;
import io.orderflow.testing.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** The dead-letter review: stored with its reason, replayed exactly once, edited, discarded, secured. */
@QuarkusTest
class DeadLetterReviewTest extends BrokerTestSupport {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void callsWithoutCredentialsAre401AndWithoutTheAdminRole403() {
        given().get("/admin/dead-letters").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Basic"))
                .contentType("application/problem+json");
        given().auth().preemptive().basic("admin", "wrong").get("/admin/dead-letters").then().statusCode(401);
        given().auth().preemptive().basic("viewer", "viewer").get("/admin/dead-letters").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().preemptive().basic("viewer", "viewer").post("/admin/dead-letters/1/replay").then().statusCode(403);
    }

    @Test
    void poisonMessageEndsInTheTableWithItsReasonAndShowsInItsGroup() {
        String poison = "poison " + UUID.randomUUID();
        broker.publishEvent("OrderCreated", poison);

        DeadLetters.Stored stored = DeadLetters.awaitStored(pool, "shipping", poison, TIMEOUT);

        assertEquals("unreadable", stored.reason());
        admin().get("/admin/dead-letters/{id}", stored.id()).then().statusCode(200)
                .body("summary.reason", is("unreadable"))
                .body("summary.consumer", is("shipping"))
                .body("summary.status", is("PENDING"))
                .body("body", is(poison))
                .body("body_encoding", is("utf-8"))
                .body("original_queue", is(Broker.SHIPPING_QUEUE));
        admin().queryParam("reason", "unreadable").queryParam("consumer", "shipping").get("/admin/dead-letters")
                .then().statusCode(200)
                .body("items.id", hasItem((int) stored.id()))
                .body("total", greaterThanOrEqualTo(1));
        admin().get("/admin/dead-letters/groups").then().statusCode(200)
                .body("find { it.reason == 'unreadable' && it.consumer == 'shipping' }.count", greaterThanOrEqualTo(1));
        assertEquals(0, broker.depth(Broker.SHIPPING_DLQ), "the broker's DLQ is drained into the table");
    }

    @Test
    void afterTheHandlerIsFixedAReplayAppliesTheEventExactlyOnce() {
        UUID eventId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        String customer = "broken-" + orderId;
        String event = Events.orderCreated(eventId, orderId, customer);
        Runnable heal = failInserts("shipments", customer, Integer.MAX_VALUE);
        broker.publishEvent("OrderCreated", event);
        DeadLetters.Stored stored = DeadLetters.awaitStored(pool, "shipping", customer, TIMEOUT);
        assertEquals("retries-exhausted", stored.reason());

        heal.run();
        admin().post("/admin/dead-letters/{id}/replay", stored.id()).then().statusCode(200).body("status", is("REPLAYED"));

        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/shipments/{id}", orderId).then().statusCode(200));
        admin().post("/admin/dead-letters/{id}/replay", stored.id()).then().statusCode(409)
                .contentType("application/problem+json");
        broker.publishEvent("OrderCreated", event);
        await().atMost(TIMEOUT).until(() -> Sql.count(pool,
                "select count(*) from processed_events where consumer = 'orders' and event_id = $1", eventId) == 1);
        assertEquals(1, Sql.count(pool, "select count(*) from processed_events where consumer = 'shipping' and event_id = $1", eventId));
        assertEquals(1, Sql.count(pool, "select count(*) from shipments where order_id = $1", orderId));
        admin().get("/admin/dead-letters/{id}", stored.id()).then().statusCode(200)
                .body("history[0].action", is("replay"))
                .body("history[0].actor", is("admin"));
    }

    @Test
    void editAndReplayRefusesABodyThatWouldFailAgainAndAppliesACorrectedOne() {
        UUID orderId = UUID.randomUUID();
        String invalid = Events.envelope(UUID.randomUUID(), "OrderCreated", 1,
                "{\"order_id\":\"" + orderId + "\",\"customer_id\":\"edit-me\",\"total_cents\":-1,\"currency\":\"EUR\"}");
        broker.publishEvent("OrderCreated", invalid);
        DeadLetters.Stored stored = DeadLetters.awaitStored(pool, "shipping", "edit-me", TIMEOUT);
        assertEquals("schema-violation", stored.reason());

        admin().contentType("application/json").body(new DeadLetterViews.EditRequest(invalid))
                .post("/admin/dead-letters/{id}/edit-and-replay", stored.id())
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("schema-violation"));
        admin().contentType("application/json").body(new DeadLetterViews.EditRequest("{not json"))
                .post("/admin/dead-letters/{id}/edit-and-replay", stored.id())
                .then().statusCode(422);

        String fixed = invalid.replace("\"total_cents\":-1", "\"total_cents\":100");
        admin().contentType("application/json").body(new DeadLetterViews.EditRequest(fixed))
                .post("/admin/dead-letters/{id}/edit-and-replay", stored.id())
                .then().statusCode(200).body("status", is("REPLAYED"));
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/shipments/{id}", orderId).then().statusCode(200)
                .body("customer_id", is("edit-me")));
    }

    @Test
    void discardNeedsAReasonAndKeepsAnAuditRow() {
        String poison = "discard me " + UUID.randomUUID();
        broker.publishEvent("OrderShipped", poison);
        DeadLetters.Stored stored = DeadLetters.awaitStored(pool, "orders", poison, TIMEOUT);

        admin().contentType("application/json").body("{}").post("/admin/dead-letters/{id}/discard", stored.id())
                .then().statusCode(400).contentType("application/problem+json");
        admin().contentType("application/json").body(new DeadLetterViews.DiscardRequest("test garbage, not an event"))
                .post("/admin/dead-letters/{id}/discard", stored.id())
                .then().statusCode(200).body("status", is("DISCARDED"));

        admin().get("/admin/dead-letters/{id}", stored.id()).then().statusCode(200)
                .body("summary.status", is("DISCARDED"))
                .body("history[0].action", is("discard"))
                .body("history[0].actor", is("admin"))
                .body("history[0].detail", is("test garbage, not an event"));
        admin().post("/admin/dead-letters/{id}/replay", stored.id()).then().statusCode(409);
    }

    @Test
    void replayingAGroupReplaysItsPendingLetters() {
        String customer = "group-" + UUID.randomUUID();
        Runnable heal = failInserts("shipments", customer, Integer.MAX_VALUE);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        broker.publishEvent("OrderCreated", Events.orderCreated(UUID.randomUUID(), first, customer));
        broker.publishEvent("OrderCreated", Events.orderCreated(UUID.randomUUID(), second, customer));
        await().atMost(TIMEOUT).until(() -> Sql.count(pool,
                "select count(*) from dead_letters where consumer = 'shipping' and status = 'PENDING' and position(convert_to($1, 'UTF8') in body) > 0",
                customer) == 2);
        heal.run();

        admin().contentType("application/json")
                .body("{\"consumer\":\"shipping\",\"reason\":\"retries-exhausted\",\"event_type\":\"OrderCreated\"}")
                .post("/admin/dead-letters/replay").then().statusCode(200);

        await().atMost(TIMEOUT).untilAsserted(() -> {
            given().get("/shipments/{id}", first).then().statusCode(200);
            given().get("/shipments/{id}", second).then().statusCode(200);
        });
    }

    @Test
    void crossSitePostFromABrowserIsRefusedEvenWithCredentials() {
        admin().header("Origin", "https://evil.example").post("/admin/dead-letters/{id}/replay", 1)
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void badFiltersAre400Problems() {
        admin().queryParam("status", "lost").get("/admin/dead-letters").then().statusCode(400)
                .contentType("application/problem+json");
        admin().queryParam("since", "yesterday").get("/admin/dead-letters").then().statusCode(400);
        admin().queryParam("size", "5000").get("/admin/dead-letters").then().statusCode(400);
        admin().get("/admin/dead-letters/{id}", Long.MAX_VALUE).then().statusCode(404);
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin");
    }
}
