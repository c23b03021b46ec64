package io.orderflow.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.message.MessageWriter;
import io.cloudevents.core.message.impl.BaseGenericBinaryMessageReaderImpl;
import io.cloudevents.rw.CloudEventContextWriter;
import io.cloudevents.rw.CloudEventWriter;
import io.orderflow.testing.Contracts;

/**
 * Our envelope and the CloudEvents AMQP binary mode, checked against the CloudEvents Java SDK as
 * reader and as writer. The SDK's AMQP module is not on Maven Central for 4.x, so the SDK's
 * generic binary reader and writer run here over the application properties, with the prefix
 * {@code cloudEvents:} that the AMQP protocol binding specifies.
 */
class CloudEventsMappingTest {

    private static final String AMQP_PREFIX = "cloudEvents:";
    private static final UUID ORDER = UUID.fromString("5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a");
    private static final JsonNode DATA = Contracts.golden("OrderCreated", 2).envelope().get("data");
    private static final EventEnvelope ENVELOPE = new EventEnvelope(UUID.fromString("a3e5c7d9-1b2c-4d3e-8f4a-5b6c7d8e9f02"),
            "OrderCreated", "orders", Instant.parse("2025-06-01T12:00:00.120Z"), 2, ORDER.toString(), 1L, DATA);

    @Test
    void eachEnvelopeFieldIsOneBinaryModeAttribute() {
        Map<String, Object> expected = new HashMap<>();
        expected.put("cloudEvents:specversion", "1.0");
        expected.put("cloudEvents:id", "a3e5c7d9-1b2c-4d3e-8f4a-5b6c7d8e9f02");
        expected.put("cloudEvents:source", "orders");
        expected.put("cloudEvents:type", "OrderCreated");
        expected.put("cloudEvents:time", "2025-06-01T12:00:00.120Z");
        expected.put("cloudEvents:subject", ORDER.toString());
        expected.put("cloudEvents:dataschema", "urn:orderflow:schemas:order-created:v2");
        expected.put("cloudEvents:eventversion", 2L);
        expected.put("cloudEvents:subjectsequence", 1L);

        assertEquals(expected, CloudEventsMapping.headers(ENVELOPE));
    }

    @Test
    void theSdkReadsEveryAttributeFromOurHeaders() {
        byte[] body = "{\"our\":\"envelope\"}".getBytes(StandardCharsets.UTF_8);

        CloudEvent event = new AmqpReader(CloudEventsMapping.headers(ENVELOPE), "application/json", body).toEvent();

        assertEquals(SpecVersion.V1, event.getSpecVersion());
        assertEquals(ENVELOPE.id().toString(), event.getId());
        assertEquals(URI.create("orders"), event.getSource());
        assertEquals("OrderCreated", event.getType());
        assertEquals(ENVELOPE.time(), event.getTime().toInstant());
        assertEquals(ORDER.toString(), event.getSubject());
        assertEquals(URI.create("urn:orderflow:schemas:order-created:v2"), event.getDataSchema());
        assertEquals("application/json", event.getDataContentType());
        assertEquals(Set.of("eventversion", "subjectsequence"), event.getExtensionNames());
        assertEquals("2", event.getExtension("eventversion"));
        assertEquals("1", event.getExtension("subjectsequence"));
        assertArrayEquals(body, event.getData().toBytes());
    }

    @Test
    void aCloudEventWrittenWithTheSdkIsReadAsTheSameEnvelope() {
        CloudEvent event = CloudEventBuilder.v1()
                .withId(ENVELOPE.id().toString())
                .withSource(URI.create("orders"))
                .withType("OrderCreated")
                .withTime(ENVELOPE.time().atOffset(ZoneOffset.UTC))
                .withSubject(ORDER.toString())
                .withDataSchema(URI.create("urn:orderflow:schemas:order-created:v2"))
                .withDataContentType("application/json")
                .withExtension("eventversion", 2)
                .withExtension("subjectsequence", 1)
                .withData(DATA.toString().getBytes(StandardCharsets.UTF_8))
                .build();

        AmqpWriter written = new AmqpWriter();
        written.writeBinary(event);

        assertEquals(ENVELOPE, CloudEventsMapping.envelope(written.properties, Contracts.parse(written.data)));
        assertEquals("application/json", written.contentType);
        assertEquals(asText(written.properties), asText(CloudEventsMapping.headers(ENVELOPE)));
    }

    @Test
    void anEnvelopeWithoutSubjectAndSequenceSurvivesTheRoundTrip() {
        EventEnvelope bare = new EventEnvelope(UUID.randomUUID(), "OrderShipped", "shipping", Instant.parse("2025-01-02T03:04:05.006Z"),
                1, null, null, Contracts.golden("OrderShipped", 1).envelope().get("data"));

        Map<String, Object> headers = CloudEventsMapping.headers(bare);

        assertNull(headers.get("cloudEvents:subject"));
        assertNull(headers.get("cloudEvents:subjectsequence"));
        assertEquals(bare, CloudEventsMapping.envelope(headers, bare.data()));
    }

    @Test
    void theVersionIsTakenFromTheDataschemaWhenTheExtensionIsAbsent() {
        Map<String, Object> headers = new HashMap<>(CloudEventsMapping.headers(ENVELOPE));
        headers.remove("cloudEvents:eventversion");

        assertEquals(2, CloudEventsMapping.envelope(headers, DATA).version());
    }

    @Test
    void extensionsAreAlsoReadWithoutThePrefixAsTheSdksAmqpWriterPutsThem() {
        Map<String, Object> headers = new HashMap<>(CloudEventsMapping.headers(ENVELOPE));
        headers.put("eventversion", headers.remove("cloudEvents:eventversion").toString());
        headers.put("subjectsequence", headers.remove("cloudEvents:subjectsequence").toString());

        assertEquals(ENVELOPE, CloudEventsMapping.envelope(headers, DATA));
    }

    @Test
    void aNativeAmqpTimestampIsReadAsWellAsTheCanonicalString() {
        Map<String, Object> headers = new HashMap<>(CloudEventsMapping.headers(ENVELOPE));
        headers.put("cloudEvents:time", Date.from(ENVELOPE.time()));

        assertEquals(ENVELOPE.time(), CloudEventsMapping.envelope(headers, DATA).time());
    }

    @Test
    void anotherSpecVersionOrAMissingAttributeIsRefused() {
        Map<String, Object> old = new HashMap<>(CloudEventsMapping.headers(ENVELOPE));
        old.put("cloudEvents:specversion", "0.3");
        Map<String, Object> anonymous = new HashMap<>(CloudEventsMapping.headers(ENVELOPE));
        anonymous.remove("cloudEvents:id");

        assertThrows(IllegalArgumentException.class, () -> CloudEventsMapping.envelope(old, DATA));
        assertThrows(IllegalArgumentException.class, () -> CloudEventsMapping.envelope(anonymous, DATA));
    }

    /** Header values in their canonical string form, the time as an instant (the SDK drops trailing zeros). */
    private static Map<String, String> asText(Map<String, Object> headers) {
        Map<String, String> text = new TreeMap<>();
        headers.forEach((name, value) -> text.put(name, value.toString()));
        text.computeIfPresent(AMQP_PREFIX + "time", (name, time) -> OffsetDateTime.parse(time).toInstant().toString());
        return text;
    }

    /** The SDK's generic binary-mode reader over AMQP application properties and content type. */
    private static final class AmqpReader extends BaseGenericBinaryMessageReaderImpl<String, Object> {
        private final Map<String, Object> properties;
        private final String contentType;

        AmqpReader(Map<String, Object> properties, String contentType, byte[] body) {
            super(SpecVersion.parse(properties.get(AMQP_PREFIX + "specversion").toString()), BytesCloudEventData.wrap(body));
            this.properties = properties;
            this.contentType = contentType;
        }

        @Override
        protected boolean isContentTypeHeader(String key) {
            return "content-type".equals(key);
        }

        @Override
        protected boolean isCloudEventsHeader(String key) {
            return key.startsWith(AMQP_PREFIX) && key.length() > AMQP_PREFIX.length();
        }

        @Override
        protected String toCloudEventsKey(String key) {
            return key.substring(AMQP_PREFIX.length());
        }

        @Override
        protected void forEachHeader(BiConsumer<String, Object> fn) {
            fn.accept("content-type", contentType);
            properties.forEach(fn);
        }

        @Override
        protected String toCloudEventsValue(Object value) {
            return value.toString();
        }
    }

    /** The SDK's binary-mode writing into AMQP application properties, content type and data. */
    private static final class AmqpWriter implements MessageWriter<CloudEventWriter<AmqpWriter>, AmqpWriter>,
            CloudEventWriter<AmqpWriter> {
        private final Map<String, Object> properties = new HashMap<>();
        private String contentType;
        private String data;

        @Override
        public CloudEventWriter<AmqpWriter> create(SpecVersion version) {
            properties.put(AMQP_PREFIX + "specversion", version.toString());
            return this;
        }

        @Override
        public CloudEventContextWriter withContextAttribute(String name, String value) {
            if ("datacontenttype".equals(name)) {
                contentType = value;
            } else {
                properties.put(AMQP_PREFIX + name, value);
            }
            return this;
        }

        @Override
        public AmqpWriter end(CloudEventData data) {
            this.data = new String(data.toBytes(), StandardCharsets.UTF_8);
            return this;
        }

        @Override
        public AmqpWriter end() {
            return this;
        }

        @Override
        public AmqpWriter setEvent(EventFormat format, byte[] value) {
            throw new UnsupportedOperationException("binary mode only");
        }
    }
}
