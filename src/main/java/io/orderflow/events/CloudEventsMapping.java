package io.orderflow.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Our envelope as CloudEvents 1.0 attributes in AMQP binary content mode, and back: each attribute
 * is a {@code cloudEvents:}-prefixed application property (on RabbitMQ's AMQP 0-9-1, a message
 * header), {@code datacontenttype} is the message content type. The mapping is 1:1: {@code id},
 * {@code type}, {@code source}, {@code time}, {@code subject} map to the attributes of the same
 * name, {@code version} to the extension {@code eventversion} and to {@code dataschema} (the data
 * schema's {@code $id}), {@code sequence} to the extension {@code subjectsequence} (not the
 * CloudEvents {@code sequence} extension, which is a string per source, ours a number per subject).
 * <p>
 * What we publish keeps our structured envelope as the message body, so a CloudEvents binary-mode
 * reader finds the attributes in the headers and our whole envelope as the event data (its
 * {@code data} field is the payload). {@link #envelope} reads attributes written by any CloudEvents
 * producer, with the payload itself as data.
 */
public final class CloudEventsMapping {

    public static final String PREFIX = "cloudEvents:";
    public static final String SPEC_VERSION = "1.0";
    public static final String ID = PREFIX + "id";
    public static final String SOURCE = PREFIX + "source";
    public static final String SPECVERSION = PREFIX + "specversion";
    public static final String TYPE = PREFIX + "type";
    public static final String TIME = PREFIX + "time";
    public static final String SUBJECT = PREFIX + "subject";
    public static final String DATASCHEMA = PREFIX + "dataschema";
    public static final String EVENT_VERSION_EXTENSION = "eventversion";
    public static final String SEQUENCE_EXTENSION = "subjectsequence";
    public static final String EVENT_VERSION = PREFIX + EVENT_VERSION_EXTENSION;
    public static final String SEQUENCE = PREFIX + SEQUENCE_EXTENSION;
    /** Every header {@link #headers} can write, the optional ones included. */
    public static final List<String> HEADERS = List.of(SPECVERSION, ID, SOURCE, TYPE, TIME, SUBJECT, DATASCHEMA,
            EVENT_VERSION, SEQUENCE);

    private static final Pattern DATASCHEMA_VERSION = Pattern.compile("^urn:orderflow:schemas:[a-z0-9-]+:v(\\d+)$");

    private CloudEventsMapping() {
    }

    /**
     * The binary-mode attributes of an envelope. Strings and longs are the native AMQP types of the
     * binding; {@code time} is its canonical RFC 3339 string, because an AMQP 0-9-1 timestamp
     * header holds whole seconds only.
     */
    public static Map<String, Object> headers(EventEnvelope envelope) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(SPECVERSION, SPEC_VERSION);
        headers.put(ID, envelope.id().toString());
        headers.put(SOURCE, envelope.source());
        headers.put(TYPE, envelope.type());
        headers.put(TIME, Rfc3339Millis.format(envelope.time()));
        if (envelope.subject() != null) {
            headers.put(SUBJECT, envelope.subject());
        }
        headers.put(DATASCHEMA, EventSchemas.id(envelope.type(), envelope.version()).toString());
        headers.put(EVENT_VERSION, (long) envelope.version());
        if (envelope.sequence() != null) {
            headers.put(SEQUENCE, envelope.sequence());
        }
        return headers;
    }

    /**
     * The envelope of a CloudEvent read from binary-mode attributes and its data. Values may be the
     * native AMQP types or canonical strings, as the binding requires of readers. The version comes
     * from {@code eventversion}, else from our {@code dataschema}. Extensions are also found without
     * the prefix, as the CloudEvents Java SDK's AMQP writer puts them.
     *
     * @throws IllegalArgumentException when an attribute is missing or malformed
     */
    public static EventEnvelope envelope(Map<String, ?> headers, JsonNode data) {
        String specVersion = text(headers, SPECVERSION, true);
        if (!SPEC_VERSION.equals(specVersion)) {
            throw new IllegalArgumentException("not a CloudEvents " + SPEC_VERSION + " event: specversion " + specVersion);
        }
        String sequence = extension(headers, SEQUENCE_EXTENSION);
        return new EventEnvelope(
                UUID.fromString(text(headers, ID, true)),
                text(headers, TYPE, true),
                text(headers, SOURCE, true),
                time(headers.get(TIME)),
                version(headers),
                text(headers, SUBJECT, false),
                sequence == null ? null : Long.valueOf(sequence),
                data);
    }

    private static int version(Map<String, ?> headers) {
        String version = extension(headers, EVENT_VERSION_EXTENSION);
        if (version != null) {
            return Integer.parseInt(version);
        }
        Matcher schema = DATASCHEMA_VERSION.matcher(String.valueOf(headers.get(DATASCHEMA)));
        if (schema.matches()) {
            return Integer.parseInt(schema.group(1));
        }
        throw new IllegalArgumentException("the event names its version neither in " + EVENT_VERSION + " nor in " + DATASCHEMA);
    }

    private static Instant time(Object value) {
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value == null) {
            throw new IllegalArgumentException("missing " + TIME);
        }
        return OffsetDateTime.parse(value.toString()).toInstant();
    }

    private static String extension(Map<String, ?> headers, String name) {
        Object value = headers.containsKey(PREFIX + name) ? headers.get(PREFIX + name) : headers.get(name);
        return value == null ? null : value.toString();
    }

    private static String text(Map<String, ?> headers, String name, boolean required) {
        Object value = headers.get(name);
        if (value == null && required) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value == null ? null : value.toString();
    }
}
