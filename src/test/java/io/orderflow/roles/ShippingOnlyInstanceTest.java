package io.orderflow.roles;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The same image run as the shipping Deployment: the orders role's endpoints and consumer are off. */
@QuarkusTest
@TestProfile(ShippingOnlyInstanceTest.ShippingOnly.class)
class ShippingOnlyInstanceTest {

    /** Turns the orders role off. */
    public static class ShippingOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orderflow.roles.orders", "false");
        }
    }

    @Test
    void ordersEndpointsAnswer404() {
        given().contentType("application/json")
                .body("{\"customer_id\":\"c\",\"total_cents\":1,\"currency\":\"EUR\"}")
                .post("/orders")
                .then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void shippingEndpointsStillServe() {
        given().get("/shipments/{id}", UUID.randomUUID()).then().statusCode(404)
                .body("detail", containsString("no shipment"));
    }

    @Test
    void ordersConsumerIsNotRunning() {
        given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("shipping"))
                .body(not(containsString("\"orders\"")));
    }
}
