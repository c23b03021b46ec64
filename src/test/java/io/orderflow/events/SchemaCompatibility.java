package io.orderflow.events;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The evolution rule between version N and N+1 of an event's data schema: every field of N is kept
 * with the same type and format, a required field stays required, and every new field is optional.
 * Nested objects and array items are held to the same rule.
 */
final class SchemaCompatibility {

    private SchemaCompatibility() {
    }

    /** Every way {@code next} breaks {@code previous}; empty when it is a compatible next version. */
    static List<String> breaks(JsonNode previous, JsonNode next) {
        List<String> breaks = new ArrayList<>();
        compare("", previous, next, breaks);
        return breaks;
    }

    private static void compare(String path, JsonNode previous, JsonNode next, List<String> breaks) {
        for (String keyword : List.of("type", "format")) {
            if (!previous.path(keyword).equals(next.path(keyword))) {
                breaks.add("retyped " + label(path) + ": " + keyword + " " + previous.path(keyword) + " became " + next.path(keyword));
            }
        }
        Set<String> requiredBefore = names(previous.path("required"));
        Set<String> requiredNow = names(next.path("required"));
        JsonNode properties = next.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> fields = previous.path("properties").fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String fieldPath = path + field.getKey();
            if (!properties.has(field.getKey())) {
                breaks.add("removed field " + fieldPath);
                continue;
            }
            if (requiredBefore.contains(field.getKey()) && !requiredNow.contains(field.getKey())) {
                breaks.add("required field " + fieldPath + " became optional");
            }
            compare(fieldPath + ".", field.getValue(), properties.get(field.getKey()), breaks);
        }
        for (String name : requiredNow) {
            if (!previous.path("properties").has(name)) {
                breaks.add("new field " + path + name + " is required");
            }
        }
        if (previous.has("items")) {
            compare(path + "[].", previous.get("items"), next.path("items"), breaks);
        }
    }

    private static Set<String> names(JsonNode array) {
        Set<String> names = new HashSet<>();
        array.forEach(name -> names.add(name.asText()));
        return names;
    }

    private static String label(String path) {
        return path.isEmpty() ? "the data" : path.substring(0, path.length() - 1);
    }
}
