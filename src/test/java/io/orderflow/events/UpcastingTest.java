package io.orderflow.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.orderflow.testing.Contracts;

/** The upcaster chain: any older version of an event's data becomes the newest, one step at a time. */
class UpcastingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** v1 has {amount}; v2 adds {unit}; v3 adds {label}, built from both. */
    private static final EventType<Object> THREE_VERSIONS = new EventType<>("Demo", 3, Object.class, List.of(
            v1 -> v1.put("unit", "cents"),
            v2 -> v2.put("label", v2.get("amount").asText() + " " + v2.get("unit").asText())));

    @Test
    void everyOlderVersionIsBroughtToTheNewestThroughEachStepInOrder() {
        assertEquals(json("{\"amount\":5,\"unit\":\"cents\",\"label\":\"5 cents\"}"), THREE_VERSIONS.upcast(json("{\"amount\":5}"), 1));
        assertEquals(json("{\"amount\":7,\"unit\":\"euro\",\"label\":\"7 euro\"}"),
                THREE_VERSIONS.upcast(json("{\"amount\":7,\"unit\":\"euro\"}"), 2));
    }

    @Test
    void theNewestVersionIsLeftAsItIs() {
        ObjectNode newest = json("{\"amount\":1,\"unit\":\"cents\",\"label\":\"one\"}");

        assertEquals(newest, THREE_VERSIONS.upcast(newest, 3));
    }

    @Test
    void upcastingLeavesTheReceivedDataUntouched() {
        ObjectNode received = json("{\"amount\":5}");

        THREE_VERSIONS.upcast(received, 1);

        assertEquals(json("{\"amount\":5}"), received);
    }

    @Test
    void aTypeNeedsOneUpcasterForEveryOlderVersion() {
        assertThrows(IllegalArgumentException.class, () -> new EventType<>("Demo", 3, Object.class, List.of(v1 -> v1)));
        assertThrows(IllegalArgumentException.class, () -> THREE_VERSIONS.upcast(json("{}"), 4));
    }

    @Test
    void orderCreatedV1IsReadAsTheNewestRecordWithoutASalesChannel() throws JsonProcessingException {
        UUID orderId = UUID.randomUUID();
        ObjectNode v1 = json("{\"order_id\":\"" + orderId + "\",\"customer_id\":\"c-1\",\"total_cents\":4200,\"currency\":\"EUR\"}");

        OrderCreated created = JSON.treeToValue(OrderCreated.TYPE.upcast(v1, 1), OrderCreated.class);

        assertEquals(new OrderCreated(orderId, "c-1", 4200L, "EUR", null), created);
        assertNull(created.salesChannel());
    }

    @Test
    void everyOlderGoldenSampleUpcastsToDataTheNewestSchemaAccepts() {
        EventSchemas schemas = new EventSchemas();
        for (Contracts.Golden sample : Contracts.all()) {
            EventType<?> type = EventTypes.named(sample.type()).orElseThrow();
            ObjectNode newest = type.upcast((ObjectNode) sample.envelope().get("data"), sample.version());
            assertEquals(List.of(), schemas.violations(type.name(), type.version(), newest), sample.toString());
        }
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
