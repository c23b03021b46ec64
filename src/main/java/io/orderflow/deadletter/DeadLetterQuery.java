package io.orderflow.deadletter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.panache.common.Parameters;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Filters of the dead-letter list, turned into one Panache query; all optional. */
@RegisterForReflection
public record DeadLetterQuery(String consumer, String eventType, String reason, DeadLetterStatus status, Instant since,
        Instant until) {

    String where() {
        List<String> clauses = new ArrayList<>();
        if (consumer != null) {
            clauses.add("consumer = :consumer");
        }
        if (eventType != null) {
            clauses.add("eventType = :eventType");
        }
        if (reason != null) {
            clauses.add("reason = :reason");
        }
        if (status != null) {
            clauses.add("status = :status");
        }
        if (since != null) {
            clauses.add("lastFailureAt >= :since");
        }
        if (until != null) {
            clauses.add("lastFailureAt < :until");
        }
        return clauses.isEmpty() ? "1 = 1" : String.join(" and ", clauses);
    }

    Parameters parameters() {
        Map<String, Object> values = new HashMap<>();
        putIfSet(values, "consumer", consumer);
        putIfSet(values, "eventType", eventType);
        putIfSet(values, "reason", reason);
        putIfSet(values, "status", status);
        putIfSet(values, "since", since);
        putIfSet(values, "until", until);
        Parameters parameters = new Parameters();
        values.forEach(parameters::and);
        return parameters;
    }

    private static void putIfSet(Map<String, Object> values, String name, Object value) {
        if (value != null) {
            values.put(name, value);
        }
    }
}
