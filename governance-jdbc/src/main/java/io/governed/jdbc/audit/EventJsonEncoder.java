package io.governed.jdbc.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One writer's encoder of events into their JSON text, in one {@link AuditFormat}: the text
 * {@link AuditEventJson#toJson(AuditEvent, AuditFormat)} gives, streamed by one generator kept over one reused
 * buffer, with the encoded strings and the runs of fields that events repeat (statement, identity, tables, policy)
 * kept from one event to the next ({@link EncodedStrings}), as the jsonl sink encodes its lines. A sink that hands
 * each event on as text (the SLF4J and JDBC sinks) thereby makes no generator, no buffer and no repeated
 * encoding per event.
 *
 * <p>Not thread-safe: one encoder belongs to one writer (a sink's writer thread, under the sink's lock).
 */
final class EventJsonEncoder {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final AuditFormat format;
    /** The reused buffer, whose bytes {@link EncodedStrings} reads back to keep a run's encoding. */
    private final EncodedStrings.Buffer out = new EncodedStrings.Buffer(1024);
    private final char[] scratch = new char[AuditEventJson.ISO_INSTANT_MAX];
    private final EncodedStrings strings = new EncodedStrings();
    /** The generator over {@link #out}, kept from event to event; {@code null} after a failure left it in doubt. */
    private JsonGenerator generator;

    EventJsonEncoder(AuditFormat format) {
        this.format = Objects.requireNonNull(format, "format");
    }

    /** The event as one JSON object, without a newline. */
    String json(AuditEvent event) {
        out.reset();
        try {
            JsonGenerator g = generator;
            if (g == null) {
                g = FACTORY.createGenerator(out);
                g.setRootValueSeparator(null);
                generator = g;
            }
            g.writeStartObject();
            format.writeFields(g, event, scratch, strings);
            g.writeEndObject();
            g.flush();
        } catch (IOException e) {
            generator = null;
            throw new UncheckedIOException("could not write an audit event as JSON", e);
        } catch (RuntimeException e) {
            generator = null; // its state is unknown: the next event gets a new one
            throw e;
        }
        return new String(out.array(), 0, out.size(), StandardCharsets.UTF_8);
    }
}
