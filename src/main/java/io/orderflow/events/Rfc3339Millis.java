package io.orderflow.events;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * Writes instants as RFC 3339 UTC with exactly three fraction digits, so every event time has one
 * shape on the wire (Instant.toString drops the fraction when it is zero). Reading stays lenient.
 */
public final class Rfc3339Millis extends StdSerializer<Instant> {

    public static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneOffset.UTC);

    public Rfc3339Millis() {
        super(Instant.class);
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeString(format(value));
    }
}
