package io.orderflow.messaging;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The headers the pipeline adds when it retries or dead-letters a message, and how it reads them
 * back. Readers are lenient: a header of the wrong type counts as absent, it never fails a delivery.
 */
public final class DeliveryHeaders {

    /** How many times the message was sent back for a retry so far. */
    public static final String RETRIES = "x-orderflow-retries";
    /** Reason code of the dead letter, e.g. {@code unreadable} or {@code retries-exhausted}. */
    public static final String REASON = "x-orderflow-reason";
    public static final String EXCEPTION = "x-orderflow-exception";
    public static final String ERROR = "x-orderflow-error";
    public static final String CONSUMER = "x-orderflow-consumer";
    public static final String ORIGINAL_QUEUE = "x-orderflow-original-queue";
    public static final String FIRST_FAILURE = "x-orderflow-first-failure";
    public static final String LAST_FAILURE = "x-orderflow-last-failure";

    /** Broker bookkeeping headers (x-death, x-first-death-*, x-last-death-*) are never copied onward. */
    private static final List<String> BROKER_PREFIXES = List.of("x-death", "x-first-death", "x-last-death");
    private static final String OWN_PREFIX = "x-orderflow-";
    private static final int MAX_TEXT = 1_000;

    private DeliveryHeaders() {
    }

    public static int retries(Map<String, Object> headers) {
        Object value = headers.get(RETRIES);
        if (value instanceof Number number) {
            return Math.max(0, number.intValue());
        }
        if (value instanceof String text) {
            try {
                return Math.max(0, Integer.parseInt(text.trim()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    public static String text(Map<String, Object> headers, String name) {
        Object value = headers.get(name);
        return value == null ? null : value.toString();
    }

    /** The original headers without broker bookkeeping, ready to be extended and published again. */
    public static Map<String, Object> republishable(Map<String, Object> original) {
        Map<String, Object> copy = new HashMap<>(original);
        copy.keySet().removeIf(name -> BROKER_PREFIXES.stream().anyMatch(name::startsWith));
        return copy;
    }

    /** The original headers without broker bookkeeping nor failure headers: a fresh retry budget. */
    public static Map<String, Object> withoutFailures(Map<String, ?> original) {
        Map<String, Object> copy = republishable(new HashMap<>(original));
        copy.keySet().removeIf(name -> name.startsWith(OWN_PREFIX));
        return copy;
    }

    /** Header values are bounded: a 10 MB exception message must not become a 10 MB header. */
    public static String bounded(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
    }
}
