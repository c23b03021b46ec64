package io.orderflow.operations;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.orderflow.testing.RabbitMqCtl;
import io.orderflow.testing.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * RabbitMQ goes away and comes back: the pod stays live, readiness goes down and up again, orders
 * taken during the outage are published once the broker is back, and none is lost.
 */
@QuarkusTest
class BrokerOutageTest {

    private static final Path INFRA = Path.of("scripts/infra");
    private static final Duration RECOVERY = Duration.ofSeconds(90);

    @Inject
    Pool pool;

    private boolean brokerStopped;

    @AfterEach
    void restartBroker() {
        if (brokerStopped) {
            infra("start-rabbitmq");
        }
    }

    @Test
    void ordersTakenDuringABrokerOutageArePublishedWhenItReturnsAndLivenessNeverFails() {
        assumeTrue(Files.isExecutable(INFRA) && RabbitMqCtl.available(),
                "skipped: stopping RabbitMQ needs rabbitmqctl and root (scripts/infra stop-rabbitmq)");
        await().atMost(RECOVERY).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));

        infra("stop-rabbitmq");
        brokerStopped = true;
        await().atMost(RECOVERY).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503));
        given().get("/q/health/live").then().statusCode(200);

        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = given().contentType("application/json")
                    .body("{\"customer_id\":\"outage-" + i + "\",\"total_cents\":100,\"currency\":\"EUR\"}")
                    .post("/orders").then().statusCode(201).extract().path("order_id");
            orders.add(UUID.fromString(id));
        }
        given().get("/q/health/live").then().statusCode(200);

        infra("start-rabbitmq");
        brokerStopped = false;
        await().atMost(RECOVERY).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        for (UUID order : orders) {
            await().atMost(RECOVERY).untilAsserted(() -> given().get("/shipments/{id}", order)
                    .then().statusCode(200).body("status", is("PENDING")));
        }
        assertEquals(0, Sql.count(pool, "select count(*) from outbox where published_at is null and body like any($1)",
                (Object) orders.stream().map(id -> "%" + id + "%").toArray(String[]::new)));
    }

    private static void infra(String command) {
        try {
            Process process = new ProcessBuilder(INFRA.toString(), command).inheritIO().start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("scripts/infra " + command + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
