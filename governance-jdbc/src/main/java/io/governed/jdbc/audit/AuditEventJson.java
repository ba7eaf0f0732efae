package io.governed.jdbc.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of an {@link AuditEvent}, in one canonical layout: the fields in the fixed order below, a field
 * whose value is absent left out (the lists are always written, empty when empty), no whitespace, UTF-8. A reader
 * takes a missing field and one written as {@code null} (as lines written before 2026-12-05 have them) alike.
 *
 * <pre>
 * time, event_id, connection_id, principal, kind, groups, on_behalf_of, purpose, action, statement,
 * fingerprint, tables, columns, decision, rules, reason, masked_columns, rows, duration_us,
 * error {sql_state, message}, identity_source, identity_issuer, identity_key_id, token_id, approval_id,
 * statement_event_id, [trace_id, span_id: traced statements only], policy {digest, files [{name, digest}]}
 * </pre>
 *
 * {@code time} is ISO-8601 in UTC ({@link Instant#toString()}). Because the layout is fixed, the
 * same event always has the same bytes, which is what the jsonl sink's hash chain is computed over.
 */
public final class AuditEventJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private static final SerializedString TIME = new SerializedString("time");
    private static final SerializedString EVENT_ID = new SerializedString("event_id");
    private static final SerializedString CONNECTION_ID = new SerializedString("connection_id");
    private static final SerializedString PRINCIPAL = new SerializedString("principal");
    private static final SerializedString KIND = new SerializedString("kind");
    private static final SerializedString ON_BEHALF_OF = new SerializedString("on_behalf_of");
    private static final SerializedString PURPOSE = new SerializedString("purpose");
    private static final SerializedString ACTION = new SerializedString("action");
    private static final SerializedString STATEMENT = new SerializedString("statement");
    private static final SerializedString FINGERPRINT = new SerializedString("fingerprint");
    private static final SerializedString DECISION = new SerializedString("decision");
    private static final SerializedString REASON = new SerializedString("reason");
    private static final SerializedString SQL_STATE = new SerializedString("sql_state");
    private static final SerializedString MESSAGE = new SerializedString("message");
    private static final SerializedString GROUPS = new SerializedString("groups");
    private static final SerializedString TABLES = new SerializedString("tables");
    private static final SerializedString COLUMNS = new SerializedString("columns");
    private static final SerializedString RULES = new SerializedString("rules");
    private static final SerializedString MASKED_COLUMNS = new SerializedString("masked_columns");
    private static final SerializedString ROWS = new SerializedString("rows");
    private static final SerializedString DURATION_US = new SerializedString("duration_us");
    private static final SerializedString ERROR = new SerializedString("error");
    private static final SerializedString IDENTITY_SOURCE = new SerializedString("identity_source");
    private static final SerializedString IDENTITY_ISSUER = new SerializedString("identity_issuer");
    private static final SerializedString IDENTITY_KEY_ID = new SerializedString("identity_key_id");
    private static final SerializedString TOKEN_ID = new SerializedString("token_id");
    private static final SerializedString TRACE_ID = new SerializedString("trace_id");
    private static final SerializedString SPAN_ID = new SerializedString("span_id");
    private static final SerializedString APPROVAL_ID = new SerializedString("approval_id");
    private static final SerializedString STATEMENT_EVENT_ID = new SerializedString("statement_event_id");
    private static final SerializedString POLICY = new SerializedString("policy");

    private AuditEventJson() {
    }

    /** The canonical JSON object of the event, as UTF-8 bytes. */
    public static byte[] toBytes(AuditEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            writeFields(g, event);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write an audit event as JSON", e);
        }
        return out.toByteArray();
    }

    /** The canonical JSON object of the event. */
    public static String toJson(AuditEvent event) {
        return new String(toBytes(event), StandardCharsets.UTF_8);
    }

    /** The event as a JSON object in {@code format}. */
    public static String toJson(AuditEvent event, AuditFormat format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            format.writeFields(g, event, new char[ISO_INSTANT_MAX], null);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write an audit event as JSON", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Writes the event's fields, in canonical order, into an object the caller has started; the
     * caller may add fields after them (the jsonl sink adds {@code prev_hash} and {@code hash}).
     */
    public static void writeFields(JsonGenerator g, AuditEvent e) throws IOException {
        writeFields(g, e, new char[ISO_INSTANT_MAX]);
    }

    /** As {@link #writeFields(JsonGenerator, AuditEvent)}, formatting the time in {@code scratch} (at least 30 chars). */
    public static void writeFields(JsonGenerator g, AuditEvent e, char[] scratch) throws IOException {
        writeFields(g, e, scratch, null);
    }

    /** {@link EncodedStrings} runs: the fields from {@code principal} to {@code masked_columns}, and the closing ones. */
    static final int REPEATED_RUN = 0;
    private static final int CLOSING_RUN = 1;

    /**
     * As {@link #writeFields(JsonGenerator, AuditEvent, char[])}, taking the encoded form of the strings
     * events repeat (statement, identity, tables, columns, rules) from {@code strings} when it is given:
     * the same bytes, escaped and encoded once instead of once per event; and the runs of fields that repeat
     * the same objects from one event to the next, copied as encoded before.
     */
    public static void writeFields(JsonGenerator g, AuditEvent e, char[] scratch, EncodedStrings strings) throws IOException {
        g.writeFieldName(TIME);
        writeTime(g, e.time(), scratch, strings);
        g.writeFieldName(EVENT_ID);
        writePlain(g, e.eventId(), strings);
        writeText(g, CONNECTION_ID, e.connectionId(), strings);
        writeRepeatedFields(g, e, strings);
        writeLong(g, ROWS, e.rows());
        writeLong(g, DURATION_US, e.durationUs());
        writeClosingFields(g, e, strings);
    }

    /**
     * The fields from {@code principal} to {@code masked_columns}: the same objects in every event of one statement
     * run by one identity, on whichever connection (a pool's borrowing is a connection of its own, with an id of its
     * own, so the connection's id is written before the run, not in it). With a cache, whose output is an
     * {@link EncodedStrings.Output}, their bytes are encoded once and written again as they are while the event
     * carries the same objects (compared by identity, then strings and lists by content: all are immutable).
     */
    private static void writeRepeatedFields(JsonGenerator g, AuditEvent e, EncodedStrings strings) throws IOException {
        if (strings == null || !(g.getOutputTarget() instanceof EncodedStrings.Output out)) {
            encodeRepeatedFields(g, e, strings);
            return;
        }
        repeatedKey(e, strings);
        writeRun(g, e, strings, out, REPEATED_RUN);
    }

    /** Puts the objects of the event's {@link #REPEATED_RUN} in {@link EncodedStrings#runKey}. */
    private static void repeatedKey(AuditEvent e, EncodedStrings strings) {
        Object[] key = strings.runKey(REPEATED_RUN);
        key[0] = e.principal();
        key[1] = e.kind();
        key[2] = e.groups();
        key[3] = e.onBehalfOf();
        key[4] = e.purpose();
        key[5] = e.action();
        key[6] = e.statement();
        key[7] = e.fingerprint();
        key[8] = e.tables();
        key[9] = e.columns();
        key[10] = e.decision();
        key[11] = e.rules();
        key[12] = e.reason();
        key[13] = e.maskedColumns();
    }

    /**
     * The fields from {@code error} to {@code policy}: the same objects in every event of one identity under one
     * policy that has no error, approval, statement event or trace of its own; kept and copied as
     * {@link #writeRepeatedFields} does, while those are absent (each would make the run new for every event).
     */
    private static void writeClosingFields(JsonGenerator g, AuditEvent e, EncodedStrings strings) throws IOException {
        if (strings == null || !closingRunApplies(e) || !(g.getOutputTarget() instanceof EncodedStrings.Output out)) {
            encodeClosingFields(g, e, strings);
            return;
        }
        closingKey(e, strings);
        writeRun(g, e, strings, out, CLOSING_RUN);
    }

    /** Whether the event's closing fields may be a kept run: it has no error, approval, statement event or trace. */
    private static boolean closingRunApplies(AuditEvent e) {
        return e.error() == null && e.approvalId() == null && e.statementEventId() == null && e.traceId() == null;
    }

    /** Puts the objects of the event's {@link #CLOSING_RUN} in {@link EncodedStrings#runKey}. */
    private static void closingKey(AuditEvent e, EncodedStrings strings) {
        Object[] key = strings.runKey(CLOSING_RUN);
        key[0] = e.identitySource();
        key[1] = e.identityIssuer();
        key[2] = e.identityKeyId();
        key[3] = e.tokenId();
        key[4] = e.policy();
    }

    private static final byte[] TIME_OPEN = "{\"time\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_ID_OPEN = "\",\"event_id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION_ID_OPEN = ",\"connection_id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROWS_OPEN = ",\"rows\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DURATION_US_OPEN = ",\"duration_us\":".getBytes(StandardCharsets.US_ASCII);

    /**
     * Appends to {@code out} the opening brace and the event's fields, the very bytes a generator writes with
     * {@link #writeFields(JsonGenerator, AuditEvent, char[], EncodedStrings)} after {@code writeStartObject}, without a
     * generator, when that needs no encoding: both runs of fields are kept in {@code strings} for the event's objects,
     * its id needs no escaping, its connection's id is cached and its time is formatted in {@code scratch}. Most events
     * of a statement run again are such: what is left of them is copied bytes, two numbers and a time. Returns
     * {@code false}, having appended nothing, otherwise: the caller then encodes the event with a generator (which
     * keeps its runs for the next event).
     */
    public static boolean appendKept(EncodedStrings.Buffer out, AuditEvent e, char[] scratch, EncodedStrings strings) {
        if (!closingRunApplies(e)) {
            return false;
        }
        repeatedKey(e, strings);
        SerializableString repeated = strings.keptRunUncounted(REPEATED_RUN);
        if (repeated == null) {
            return false;
        }
        closingKey(e, strings);
        SerializableString closing = strings.keptRunUncounted(CLOSING_RUN);
        if (closing == null) {
            return false;
        }
        SerializableString connection = null;
        if (e.connectionId() != null && (connection = strings.of(e.connectionId())) == null) {
            return false;
        }
        Long rows = e.rows();
        Long durationUs = e.durationUs();
        if (rows != null && rows == Long.MIN_VALUE || durationUs != null && durationUs == Long.MIN_VALUE) {
            return false;
        }
        int length = formatInstant(e.time(), scratch);
        if (length < 0) {
            return false;
        }
        SerializableString id = strings.plain(e.eventId()); // the scratch literal: written before the next plain()
        if (id == null) {
            return false;
        }
        try {
            out.write(TIME_OPEN, 0, TIME_OPEN.length);
            out.write(strings.ascii(scratch, length), 0, length);
            out.write(EVENT_ID_OPEN, 0, EVENT_ID_OPEN.length);
            id.writeUnquotedUTF8(out);
            if (connection != null) {
                out.write(CONNECTION_ID_OPEN, 0, CONNECTION_ID_OPEN.length);
                connection.writeUnquotedUTF8(out);
            }
            repeated.writeUnquotedUTF8(out);
            if (rows != null) {
                out.write(ROWS_OPEN, 0, ROWS_OPEN.length);
                appendLong(out, rows);
            }
            if (durationUs != null) {
                out.write(DURATION_US_OPEN, 0, DURATION_US_OPEN.length);
                appendLong(out, durationUs);
            }
            closing.writeUnquotedUTF8(out);
        } catch (IOException impossible) { // a Buffer's writes do not throw
            throw new UncheckedIOException(impossible);
        }
        strings.countFound(REPEATED_RUN);
        strings.countFound(CLOSING_RUN);
        return true;
    }

    /** Appends {@code value} in decimal as {@code writeNumber(long)} writes it (any value but {@link Long#MIN_VALUE}). */
    private static void appendLong(EncodedStrings.Buffer out, long value) {
        if (value < 0) {
            out.write('-');
            value = -value;
        }
        long unit = 1;
        while (value / unit >= 10) {
            unit *= 10;
        }
        for (; unit > 0; unit /= 10) {
            out.write((int) ('0' + value / unit % 10));
        }
    }

    /**
     * Writes run {@code run} of the event, whose objects are in {@link EncodedStrings#runKey}: copied when kept for
     * those very objects, else encoded field by field and kept (its bytes read back from {@code out}).
     */
    private static void writeRun(JsonGenerator g, AuditEvent e, EncodedStrings strings, EncodedStrings.Output out, int run)
            throws IOException {
        SerializableString kept = strings.keptRun(run);
        if (kept != null) {
            g.writeRaw(kept);
            return;
        }
        g.flush();
        int start = out.size();
        if (run == REPEATED_RUN) {
            encodeRepeatedFields(g, e, strings);
        } else {
            encodeClosingFields(g, e, strings);
        }
        g.flush();
        strings.keepRun(run, out.array(), start, out.size() - start);
    }

    private static void encodeClosingFields(JsonGenerator g, AuditEvent e, EncodedStrings strings) throws IOException {
        if (e.error() != null) {
            g.writeFieldName(ERROR);
            g.writeStartObject();
            writeText(g, SQL_STATE, e.error().sqlState(), null);
            g.writeFieldName(MESSAGE);
            g.writeString(e.error().message());
            g.writeEndObject();
        }
        writeText(g, IDENTITY_SOURCE, e.identitySource(), strings);
        writeText(g, IDENTITY_ISSUER, e.identityIssuer(), strings);
        writeText(g, IDENTITY_KEY_ID, e.identityKeyId(), strings);
        writeText(g, TOKEN_ID, e.tokenId(), strings);
        writeText(g, APPROVAL_ID, e.approvalId(), null); // unique per request: not worth caching
        writeText(g, STATEMENT_EVENT_ID, e.statementEventId(), null);
        if (e.traceId() != null) {
            // only events of traced statements carry these, so untraced events keep their layout
            g.writeFieldName(TRACE_ID);
            writePlain(g, e.traceId(), strings);
            g.writeFieldName(SPAN_ID);
            writePlain(g, e.spanId(), strings);
        }
        if (e.policy() != null) {
            g.writeFieldName(POLICY);
            g.writeRawValue(e.policy().json());
        }
    }

    private static void encodeRepeatedFields(JsonGenerator g, AuditEvent e, EncodedStrings strings) throws IOException {
        writeText(g, PRINCIPAL, e.principal(), strings);
        writeText(g, KIND, e.kind(), strings);
        writeList(g, GROUPS, e.groups(), strings);
        writeText(g, ON_BEHALF_OF, e.onBehalfOf(), strings);
        writeText(g, PURPOSE, e.purpose(), strings);
        g.writeFieldName(ACTION);
        writeString(g, e.action(), strings);
        writeText(g, STATEMENT, e.statement(), strings);
        writeText(g, FINGERPRINT, e.fingerprint(), strings);
        writeList(g, TABLES, e.tables(), strings);
        writeList(g, COLUMNS, e.columns(), strings);
        g.writeFieldName(DECISION);
        writeString(g, e.decision().externalName(), strings);
        writeList(g, RULES, e.rules(), strings);
        writeText(g, REASON, e.reason(), strings);
        writeList(g, MASKED_COLUMNS, e.maskedColumns(), strings);
    }

    /** Writes {@code t} as {@link Instant#toString()} does, formatted in {@code scratch}. */
    static void writeTime(JsonGenerator g, Instant t, char[] scratch) throws IOException {
        writeTime(g, t, scratch, null);
    }

    /** As {@link #writeTime(JsonGenerator, Instant, char[])}, its literal made by {@code strings} when given. */
    static void writeTime(JsonGenerator g, Instant t, char[] scratch, EncodedStrings strings) throws IOException {
        int length = formatInstant(t, scratch);
        if (length < 0) {
            g.writeString(t.toString());
            return;
        }
        if (strings == null) {
            g.writeString(scratch, 0, length);
        } else {
            // digits and ASCII punctuation only: the bytes writeString would write, without its escaping loop
            g.writeRawUTF8String(strings.ascii(scratch, length), 0, length);
        }
    }

    /**
     * Writes a string each event has anew (an id), as its plain literal when it needs no escaping (the
     * same bytes {@code writeString} writes, without its escaping loop).
     */
    private static void writePlain(JsonGenerator g, String value, EncodedStrings strings) throws IOException {
        SerializableString plain = strings == null || value == null ? null : strings.plain(value);
        if (plain == null) {
            g.writeString(value);
        } else {
            g.writeRawValue(plain);
        }
    }

    /** Writes the field when it has a value; an absent value leaves the field out. */
    private static void writeText(JsonGenerator g, SerializedString name, String value, EncodedStrings strings) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            writeString(g, value, strings);
        }
    }

    private static void writeString(JsonGenerator g, String value, EncodedStrings strings) throws IOException {
        SerializableString encoded = strings == null || value == null ? null : strings.of(value);
        if (encoded == null) {
            g.writeString(value);
        } else {
            g.writeRawValue(encoded); // the string literal exactly as writeString(value) writes it
        }
    }

    /** Longest {@link Instant#toString()} {@link #formatInstant} writes: {@code yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ}. */
    static final int ISO_INSTANT_MAX = 30;

    /**
     * Writes {@code t} as {@link Instant#toString()} does (ISO-8601, UTC, fraction in groups of three
     * digits, none when zero) into {@code out}, without building a string. The text up to the whole second is made
     * once per second and shared by the events of that second, on any thread.
     *
     * @return the number of chars written, or -1 for a year outside 0000–9999 (use {@code toString})
     */
    static int formatInstant(Instant t, char[] out) {
        long seconds = t.getEpochSecond();
        SecondText second = lastSecond;
        if (second.epochSecond != seconds) {
            second = SecondText.of(seconds);
            if (second == null) {
                return -1;
            }
            lastSecond = second;
        }
        System.arraycopy(second.text, 0, out, 0, SecondText.LENGTH);
        // The fraction as Instant.toString writes it: none for a whole second, else 3, 6 or 9 digits. All nine digits
        // are written, and how many of them count is computed without a branch: the audit writer's compiled code
        // would otherwise hold branches the JIT saw untaken (a whole millisecond comes once in a million events),
        // and the first event to take one would send that code back to the interpreter to be compiled again.
        int nano = t.getNano();
        out[SecondText.LENGTH] = '.';
        digits(out, SecondText.LENGTH + 1, nano, 9);
        int wholeMicros = ((nano % 1000) - 1) >>> 31; // 1 when the last three digits are 0, else 0
        int wholeMillis = wholeMicros & (((nano % 1_000_000) - 1) >>> 31); // 1 when the last six are
        int fraction = (10 - 3 * (wholeMicros + wholeMillis)) & -(-nano >>> 31); // the point and digits; none for 0
        int p = SecondText.LENGTH + fraction;
        out[p] = 'Z';
        return p + 1;
    }

    private static int digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    /** The last whole second {@link #formatInstant} wrote: the events of one second share its text. */
    private static volatile SecondText lastSecond = new SecondText(Long.MIN_VALUE, new char[SecondText.LENGTH]);

    /** A whole second as {@code yyyy-MM-ddTHH:mm:ss}, UTC. Immutable once made, so threads may share it. */
    private static final class SecondText {
        static final int LENGTH = 19;

        final long epochSecond;
        final char[] text;

        private SecondText(long epochSecond, char[] text) {
            this.epochSecond = epochSecond;
            this.text = text;
        }

        /** The second's text, or {@code null} for a year outside 0000–9999. */
        static SecondText of(long seconds) {
            long day = Math.floorDiv(seconds, 86_400L);
            int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
            // civil date from days since 1970-01-01 (H. Hinnant's algorithm)
            long z = day + 719_468;
            long era = Math.floorDiv(z, 146_097);
            long doe = z - era * 146_097;
            long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
            long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            long mp = (5 * doy + 2) / 153;
            int dayOfMonth = (int) (doy - (153 * mp + 2) / 5 + 1);
            int month = (int) (mp < 10 ? mp + 3 : mp - 9);
            long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
            if (year < 0 || year > 9999) {
                return null;
            }
            char[] out = new char[LENGTH];
            int p = 0;
            p = digits(out, p, (int) year, 4);
            out[p++] = '-';
            p = digits(out, p, month, 2);
            out[p++] = '-';
            p = digits(out, p, dayOfMonth, 2);
            out[p++] = 'T';
            p = digits(out, p, secondOfDay / 3600, 2);
            out[p++] = ':';
            p = digits(out, p, secondOfDay / 60 % 60, 2);
            out[p++] = ':';
            digits(out, p, secondOfDay % 60, 2);
            return new SecondText(seconds, out);
        }
    }

    /**
     * Reads an event back from its JSON object (extra fields such as {@code prev_hash} are ignored).
     *
     * @throws IllegalArgumentException when the text is not an audit event, saying which field is wrong
     */
    public static AuditEvent read(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage(), e);
        }
        return read(node);
    }

    /** Reads an event from a parsed JSON object; see {@link #read(String)}. */
    public static AuditEvent read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("an audit event must be a JSON object");
        }
        Instant time;
        try {
            time = Instant.parse(requiredText(node, "time"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field 'time' is not an ISO-8601 instant: " + e.getMessage(), e);
        }
        JsonNode error = node.get("error");
        return new AuditEvent(
                time,
                requiredText(node, "event_id"),
                text(node, "connection_id"),
                text(node, "principal"),
                text(node, "kind"),
                list(node, "groups"),
                text(node, "on_behalf_of"),
                text(node, "purpose"),
                requiredText(node, "action"),
                text(node, "statement"),
                text(node, "fingerprint"),
                list(node, "tables"),
                list(node, "columns"),
                AuditDecision.parse(requiredText(node, "decision")),
                list(node, "rules"),
                text(node, "reason"),
                list(node, "masked_columns"),
                number(node, "rows"),
                number(node, "duration_us"),
                error == null || error.isNull() ? null : new AuditError(text(error, "sql_state"), requiredText(error, "message")),
                text(node, "identity_source"),
                text(node, "identity_issuer"),
                text(node, "identity_key_id"),
                text(node, "token_id"),
                text(node, "approval_id"),
                text(node, "statement_event_id"),
                text(node, "trace_id"),
                text(node, "span_id"),
                AuditPolicy.read(node.get("policy")));
    }

    private static void writeList(JsonGenerator g, SerializedString name, List<String> values, EncodedStrings strings)
            throws IOException {
        g.writeFieldName(name);
        g.writeStartArray();
        for (int i = 0, n = values.size(); i < n; i++) {
            writeString(g, values.get(i), strings);
        }
        g.writeEndArray();
    }

    /** Writes the field when it has a value; an absent value leaves the field out. */
    private static void writeLong(JsonGenerator g, SerializedString name, Long value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeNumber(value.longValue());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return v.textValue();
    }

    private static String requiredText(JsonNode node, String field) {
        String v = text(node, field);
        if (v == null) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v;
    }

    private static Long number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("field '" + field + "' must be a whole number");
        }
        return v.longValue();
    }

    private static List<String> list(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("field '" + field + "' must be an array of strings");
        }
        List<String> values = new ArrayList<>(v.size());
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("field '" + field + "' must be an array of strings");
            }
            values.add(item.textValue());
        }
        return values;
    }
}
