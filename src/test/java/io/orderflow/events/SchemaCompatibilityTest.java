package io.orderflow.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Version N+1 of every event type keeps what version N promised; the fixtures prove the check bites. */
class SchemaCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyVersionOfEveryTypeKeepsEveryFieldOfThePreviousOne() throws IOException {
        List<String> breaks = new ArrayList<>();
        for (EventType<?> type : EventTypes.ALL) {
            for (int version = 2; version <= type.version(); version++) {
                JsonNode previous = load(EventSchemas.path(type.name(), version - 1));
                JsonNode next = load(EventSchemas.path(type.name(), version));
                for (String broken : SchemaCompatibility.breaks(previous, next)) {
                    breaks.add(type.name() + " v" + version + ": " + broken);
                }
            }
        }
        assertEquals(List.of(), breaks);
    }

    @Test
    void addingOptionalFieldsIsCompatible() throws IOException {
        assertEquals(List.of(), breaksOf("v2-adds-optional-field.json"));
    }

    @Test
    void removingAFieldIsABreak() throws IOException {
        assertEquals(List.of("removed field total_cents"), breaksOf("v2-removes-field.json"));
    }

    @Test
    void removingANestedFieldIsABreak() throws IOException {
        assertEquals(List.of("removed field address.city"), breaksOf("v2-removes-nested-field.json"));
    }

    @Test
    void retypingAFieldIsABreak() throws IOException {
        assertEquals(List.of("retyped total_cents: type \"integer\" became \"string\""), breaksOf("v2-retypes-field.json"));
    }

    @Test
    void aNewRequiredFieldIsABreak() throws IOException {
        assertEquals(List.of("new field note is required"), breaksOf("v2-requires-new-field.json"));
    }

    @Test
    void makingARequiredFieldOptionalIsABreak() throws IOException {
        assertEquals(List.of("required field total_cents became optional"), breaksOf("v2-makes-required-field-optional.json"));
    }

    private static List<String> breaksOf(String fixture) throws IOException {
        return SchemaCompatibility.breaks(load("schema-evolution/v1.json"), load("schema-evolution/" + fixture));
    }

    private static JsonNode load(String path) throws IOException {
        try (InputStream in = SchemaCompatibilityTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing " + path);
            }
            return JSON.readTree(in);
        }
    }
}
