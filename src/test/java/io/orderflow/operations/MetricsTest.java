package io.orderflow.operations;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.orderflow.testing.Broker;
import io.orderflow.testing.BrokerTestSupport;
import io.orderflow.testing.Events;
import io.orderflow.testing.Prometheus;
import io.quarkus.test.junit.QuarkusTest;

/** The metrics operators alert on appear under their names and move when events flow or fail. */
@QuarkusTest
class MetricsTest extends BrokerTestSupport {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Map<String, String> SHIPPING_CREATED = Map.of("consumer", "shipping", "type", "OrderCreated");

    @Test
    void anOrderMovesPublishAndConsumeMetrics() {
        double applied = Prometheus.value("orderflow_consumer_messages_total", with(SHIPPING_CREATED, "outcome", "applied"));
        double published = Prometheus.value("orderflow_outbox_publish_latency_seconds_count", Map.of("type", "OrderCreated"));
        double lagged = Prometheus.value("orderflow_consumer_lag_seconds_count", SHIPPING_CREATED);

        given().contentType("application/json")
                .body("{\"customer_id\":\"metrics\",\"total_cents\":100,\"currency\":\"EUR\"}")
                .post("/orders").then().statusCode(201);

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertTrue(Prometheus.value("orderflow_consumer_messages_total", with(SHIPPING_CREATED, "outcome", "applied")) > applied);
            assertTrue(Prometheus.value("orderflow_outbox_publish_latency_seconds_count", Map.of("type", "OrderCreated")) > published);
            assertTrue(Prometheus.value("orderflow_consumer_lag_seconds_count", SHIPPING_CREATED) > lagged);
        });
        assertTrue(Prometheus.exposes("orderflow_consumer_processing_seconds_bucket"));
        assertTrue(Prometheus.exposes("orderflow_outbox_backlog"));
        assertTrue(Prometheus.exposes("orderflow_outbox_oldest_age_seconds"));
        assertTrue(Prometheus.exposes("orderflow_parked_events"));
        assertTrue(Prometheus.exposes("quarkus_messaging_message_count"), "SmallRye messaging observation metrics");
        assertTrue(Prometheus.sample("orderflow_queue_depth", Map.of("queue", Broker.SHIPPING_DLQ, "kind", "dead-letter")).isPresent());
    }

    @Test
    void duplicatesAndDeadLettersAreCountedAndPendingDeadLettersShow() {
        Map<String, String> unreadable = Map.of("reason", "unreadable");
        double pending = Prometheus.value("orderflow_dead_letters_pending", unreadable);
        double duplicates = Prometheus.value("orderflow_consumer_messages_total", with(SHIPPING_CREATED, "outcome", "duplicate"));
        double deadLettered = Prometheus.value("orderflow_consumer_messages_total",
                Map.of("consumer", "shipping", "type", "unknown", "outcome", "dead-lettered"));
        String event = Events.orderCreated(UUID.randomUUID(), UUID.randomUUID(), "metrics-dup");

        broker.publishEvent("OrderCreated", event);
        broker.publishEvent("OrderCreated", event);
        broker.publishEvent("OrderCreated", "not an event");

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertTrue(Prometheus.value("orderflow_consumer_messages_total", with(SHIPPING_CREATED, "outcome", "duplicate")) > duplicates);
            assertTrue(Prometheus.value("orderflow_consumer_messages_total",
                    Map.of("consumer", "shipping", "type", "unknown", "outcome", "dead-lettered")) > deadLettered);
            assertTrue(Prometheus.value("orderflow_dead_letters_pending", unreadable) > pending);
        });
    }

    @Test
    void everyMetricTheAlertRulesUseIsExposed() throws IOException {
        String rules = Files.readString(Path.of("k8s/base/prometheus-rules.yaml"));
        Matcher metric = Pattern.compile("orderflow_[a-z_]+").matcher(rules);
        Set<String> names = new TreeSet<>();
        while (metric.find()) {
            names.add(metric.group());
        }
        assertTrue(names.size() >= 6, "the rules name the metrics they alert on: " + names);
        names.forEach(name -> assertTrue(Prometheus.exposes(name), "/q/metrics exposes " + name));
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> result = new HashMap<>(labels);
        result.put(key, value);
        return result;
    }
}
