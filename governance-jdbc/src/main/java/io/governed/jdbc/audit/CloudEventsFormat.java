package io.governed.jdbc.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.IOException;

/**
 * Writes an event as a CloudEvents 1.0 structured-mode JSON object: the context attributes
 * ({@code specversion}, {@code id}, {@code source}, {@code type}, {@code time}, {@code subject},
 * {@code datacontenttype}) and the native event ({@link AuditEventJson}) as {@code data}.
 */
final class CloudEventsFormat {

    /** {@code source}: a URI reference naming this library as the producer. */
    static final String SOURCE = "urn:governed-jdbc:audit";
    /** {@code type}: reverse-DNS name and version of the event type. */
    static final String TYPE = "io.governed.audit.statement.v1";

    private static final SerializedString SPECVERSION = new SerializedString("specversion");
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString SOURCE_FIELD = new SerializedString("source");
    private static final SerializedString TYPE_FIELD = new SerializedString("type");
    private static final SerializedString TIME = new SerializedString("time");
    private static final SerializedString SUBJECT = new SerializedString("subject");
    private static final SerializedString CONTENT_TYPE = new SerializedString("datacontenttype");
    private static final SerializedString DATA = new SerializedString("data");

    private CloudEventsFormat() {
    }

    static void writeFields(JsonGenerator g, AuditEvent e, char[] scratch, EncodedStrings strings) throws IOException {
        g.writeFieldName(SPECVERSION);
        g.writeString("1.0");
        g.writeFieldName(ID);
        g.writeString(e.eventId());
        g.writeFieldName(SOURCE_FIELD);
        g.writeString(SOURCE);
        g.writeFieldName(TYPE_FIELD);
        g.writeString(TYPE);
        g.writeFieldName(TIME);
        AuditEventJson.writeTime(g, e.time(), scratch);
        if (e.principal() != null) {
            g.writeFieldName(SUBJECT);
            g.writeString(e.principal());
        }
        g.writeFieldName(CONTENT_TYPE);
        g.writeString("application/json");
        g.writeFieldName(DATA);
        g.writeStartObject();
        AuditEventJson.writeFields(g, e, scratch, strings);
        g.writeEndObject();
    }
}
