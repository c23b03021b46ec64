package io.orderflow.orders;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Bad input to the orders API gets a 4xx problem body that says what to fix, never a 500. */
@QuarkusTest
class OrderApiTest {

    @Test
    void invalidFieldsAreListedInA400Problem() {
        given().contentType("application/json")
                .body("{\"customer_id\":\"\",\"total_cents\":0,\"currency\":\"EURO\"}")
                .post("/orders")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", is(400))
                .body("violations.field", hasItems("customer_id", "total_cents", "currency"));
    }

    @Test
    void unknownCurrencyCodeIsRefused() {
        given().contentType("application/json")
                .body("{\"customer_id\":\"c\",\"total_cents\":10,\"currency\":\"XYZ\"}")
                .post("/orders")
                .then().statusCode(400)
                .body("violations.field", hasItems("currency"));
    }

    @Test
    void missingFieldsAreRefused() {
        given().contentType("application/json").body("{}")
                .post("/orders")
                .then().statusCode(400)
                .body("violations.field", hasItems("customer_id", "total_cents", "currency"));
    }

    @Test
    void malformedJsonIsA400Problem() {
        given().contentType("application/json").body("{\"customer_id\": ")
                .post("/orders")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("JSON"));
    }

    @Test
    void fractionalCentsAreA400Problem() {
        given().contentType("application/json")
                .body("{\"customer_id\":\"c\",\"total_cents\":12.5,\"currency\":\"EUR\"}")
                .post("/orders")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("total_cents"));
    }

    @Test
    void emptyBodyIsA400Problem() {
        given().contentType("application/json").post("/orders")
                .then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void wrongContentTypeIsA415Problem() {
        given().contentType("text/plain").body("hello").post("/orders")
                .then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void oversizedBodyIsRefused() {
        given().contentType("application/json").body("{\"customer_id\":\"" + "x".repeat(100_000) + "\"}")
                .post("/orders")
                .then().statusCode(413);
    }

    @Test
    void unknownOrderIsA404Problem() {
        given().get("/orders/{id}", UUID.randomUUID())
                .then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void malformedOrderIdIsA404Problem() {
        given().get("/orders/not-a-uuid")
                .then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void shippingAnUnknownOrderIsA404Problem() {
        given().post("/shipments/{id}/ship", UUID.randomUUID())
                .then().statusCode(404)
                .contentType("application/problem+json");
    }
}
