package io.orderflow.orders;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The whole flow through the real broker and database, over HTTP only, so the packaged application
 * runs the same test ({@code OrderFlowIT}).
 */
@QuarkusTest
class OrderFlowTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(20);
    private static final String RFC3339_MILLIS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @Test
    void orderIsShippedThroughTheBrokerEndToEnd() {
        String orderId = given().contentType("application/json")
                .body("{\"customer_id\":\"flow-customer\",\"total_cents\":12500,\"currency\":\"EUR\"}")
                .when().post("/orders")
                .then().statusCode(201)
                .header("Location", matchesPattern(".*/orders/[0-9a-f-]{36}"))
                .body("status", is("CREATED"))
                .body("created_at", matchesPattern(RFC3339_MILLIS))
                .extract().path("order_id");

        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> given().get("/shipments/{id}", orderId)
                .then().statusCode(200)
                .body("status", is("PENDING"))
                .body("customer_id", is("flow-customer")));

        given().post("/shipments/{id}/ship", orderId)
                .then().statusCode(200)
                .body("status", is("SHIPPED"))
                .body("shipped_at", notNullValue());

        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> given().get("/orders/{id}", orderId)
                .then().statusCode(200)
                .body("status", is("SHIPPED"))
                .body("total_cents", is(12500))
                .body("shipped_at", matchesPattern(RFC3339_MILLIS)));
    }

    @Test
    void shippingTwiceIsAConflictAndEmitsNothingNew() {
        String orderId = given().contentType("application/json")
                .body("{\"customer_id\":\"twice\",\"total_cents\":100,\"currency\":\"GBP\"}")
                .post("/orders").then().statusCode(201).extract().path("order_id");
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> given().get("/shipments/{id}", orderId).then().statusCode(200));

        given().post("/shipments/{id}/ship", orderId).then().statusCode(200);
        given().post("/shipments/{id}/ship", orderId).then().statusCode(409)
                .contentType("application/problem+json")
                .body("status", is(409));
    }
}
