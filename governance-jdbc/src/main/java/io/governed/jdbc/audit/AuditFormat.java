package io.governed.jdbc.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Instant;
import java.util.Locale;

/**
 * The shape a sink writes events in ({@code governed.audit.format}, or {@code ?format=} on a jsonl
 * sink): the contract's own layout, an OCSF Datastore Activity, or a CloudEvents 1.0 structured
 * event. A jsonl sink chains lines of any format: the chain's two fields close each object
 * ({@code prev_hash} and {@code hash}; {@code prevhash} and {@code hash} in CloudEvents, whose
 * extension names are lower-case letters and digits only).
 */
public enum AuditFormat {
    /** The canonical layout of {@link AuditEventJson}. */
    NATIVE("prev_hash") {
        @Override
        public void writeFields(JsonGenerator g, AuditEvent e, char[] scratch, EncodedStrings strings) throws IOException {
            AuditEventJson.writeFields(g, e, scratch, strings);
        }

        @Override
        public String eventId(JsonNode line) {
            return line.path("event_id").asText(null);
        }

        @Override
        public Instant time(JsonNode line) {
            return Instant.parse(line.path("time").asText());
        }

        @Override
        public AuditEvent read(JsonNode line) {
            return AuditEventJson.read(line);
        }
    },
    /** OCSF 1.3 Datastore Activity (class 6005); see {@link OcsfEvents}. */
    OCSF("prev_hash") {
        @Override
        public void writeFields(JsonGenerator g, AuditEvent e, char[] scratch, EncodedStrings strings) throws IOException {
            OcsfEvents.writeFields(g, e);
        }

        @Override
        public String eventId(JsonNode line) {
            return line.path("metadata").path("uid").asText(null);
        }

        @Override
        public Instant time(JsonNode line) {
            return Instant.ofEpochMilli(line.path("time").asLong());
        }

        @Override
        public AuditEvent read(JsonNode line) {
            return OcsfEvents.read(line);
        }
    },
    /** CloudEvents 1.0, structured JSON mode, the native event as {@code data}; see {@link CloudEventsFormat}. */
    CLOUDEVENTS("prevhash") {
        @Override
        public void writeFields(JsonGenerator g, AuditEvent e, char[] scratch, EncodedStrings strings) throws IOException {
            CloudEventsFormat.writeFields(g, e, scratch, strings);
        }

        @Override
        public String eventId(JsonNode line) {
            return line.path("id").asText(null);
        }

        @Override
        public Instant time(JsonNode line) {
            return Instant.parse(line.path("time").asText());
        }

        @Override
        public AuditEvent read(JsonNode line) {
            if (!line.path("data").isObject()) {
                throw new IllegalArgumentException("a CloudEvents audit event holds the event as the object 'data'");
            }
            return AuditEventJson.read(line.get("data"));
        }
    };

    /** The setting that chooses the format of every sink that does not choose its own. */
    public static final String SETTING = "governed.audit.format";

    private final SerializedString prevHashField;

    AuditFormat(String prevHashField) {
        this.prevHashField = new SerializedString(prevHashField);
    }

    /**
     * Writes the event's fields into an object the caller has started (and closes), taking the encoded
     * form of strings events repeat from {@code strings} when it is given (see {@link EncodedStrings}).
     */
    public abstract void writeFields(JsonGenerator g, AuditEvent e, char[] scratch, EncodedStrings strings) throws IOException;

    /** The id of the event a written line holds, or {@code null}. */
    public abstract String eventId(JsonNode line);

    /** The time of the event a written line holds. */
    public abstract Instant time(JsonNode line);

    /**
     * Reads back the event a written line of this format holds (the chain's fields are ignored): the
     * inverse of {@link #writeFields}, kept beside it in each format's writer.
     *
     * @throws IllegalArgumentException when the line is not an event of this format, saying what is wrong
     */
    public abstract AuditEvent read(JsonNode line);

    /**
     * The format a written line is in: CloudEvents when it has {@code specversion}, OCSF when it has
     * {@code class_uid}, else native. Each line says its own format, so files and directories that mix
     * formats are read line by line.
     */
    public static AuditFormat of(JsonNode line) {
        if (line.has("specversion")) {
            return CLOUDEVENTS;
        }
        return line.has("class_uid") ? OCSF : NATIVE;
    }

    /** The name of the field that holds the previous line's hash in a chained line of this format. */
    public SerializedString prevHashField() {
        return prevHashField;
    }

    /** The name used in settings: {@code native}, {@code ocsf}, {@code cloudevents}. */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a format name, in any case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static AuditFormat parse(String value) {
        String v = value == null ? "" : value.trim();
        for (AuditFormat f : values()) {
            if (f.externalName().equalsIgnoreCase(v)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown audit format '" + value + "': use native, ocsf or cloudevents");
    }
}
