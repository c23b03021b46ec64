package io.orderflow.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.quarkus.runtime.Startup;

/**
 * The JSON Schema (draft 2020-12) of the data of every event type and version, loaded once at
 * start-up from {@code schemas/{type}/v{n}.json} for the types {@link EventTypes} lists, so there
 * is no classpath scanning and a native image needs only the {@code schemas/**} resources. A schema
 * that is missing or whose {@code $id} does not match its place fails the start.
 */
@Startup
@ApplicationScoped
public class EventSchemas {

    public static final String DIRECTORY = "schemas";
    private static final String ID_PREFIX = "urn:orderflow:schemas:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, JsonSchema> schemas = new HashMap<>();

    public EventSchemas() {
        this(EventTypes.ALL);
    }

    public EventSchemas(List<EventType<?>> types) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        // Formats (uuid, date-time) are only annotations in 2020-12 unless assertions are switched on.
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        for (EventType<?> type : types) {
            for (int version = 1; version <= type.version(); version++) {
                schemas.put(key(type.name(), version), factory.getSchema(load(type.name(), version), config));
            }
        }
    }

    /** Where the schema of a type and version lives on the classpath, e.g. {@code schemas/order-created/v2.json}. */
    public static String path(String type, int version) {
        return DIRECTORY + "/" + folder(type) + "/v" + version + ".json";
    }

    /** The folder of a type's schemas: its name in kebab case, {@code OrderCreated} → {@code order-created}. */
    public static String folder(String type) {
        return type.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The schema's {@code $id}, which is also the CloudEvents {@code dataschema} of such events. */
    public static URI id(String type, int version) {
        return URI.create(ID_PREFIX + folder(type) + ":v" + version);
    }

    public boolean knows(String type, int version) {
        return schemas.containsKey(key(type, version));
    }

    /** What the schema of {@code type} v{@code version} finds wrong with {@code data}, sorted; empty when it conforms. */
    public List<String> violations(String type, int version, JsonNode data) {
        JsonSchema schema = schemas.get(key(type, version));
        if (schema == null) {
            throw new IllegalArgumentException("no schema for " + type + " v" + version);
        }
        return schema.validate(data).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** The edge check of a consumer: the envelope's data must conform to the schema of its own version. */
    public void validate(EventEnvelope envelope) {
        if (!knows(envelope.type(), envelope.version())) {
            throw new RejectedEventException(RejectReason.UNSUPPORTED_VERSION,
                    "no schema for " + envelope.type() + " v" + envelope.version());
        }
        List<String> violations = violations(envelope.type(), envelope.version(), envelope.data());
        if (!violations.isEmpty()) {
            throw new RejectedEventException(RejectReason.SCHEMA_VIOLATION,
                    envelope.type() + " v" + envelope.version() + " data breaks its schema: " + String.join("; ", violations));
        }
    }

    private static JsonNode load(String type, int version) {
        String path = path(type, version);
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing schema " + path + " for " + type + " v" + version);
            }
            JsonNode schema = JSON.readTree(in);
            String expectedId = id(type, version).toString();
            if (!expectedId.equals(schema.path("$id").asText())) {
                throw new IllegalStateException(path + " must have \"$id\": \"" + expectedId + "\"");
            }
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable schema " + path, e);
        }
    }

    private static String key(String type, int version) {
        return type + "/v" + version;
    }
}
