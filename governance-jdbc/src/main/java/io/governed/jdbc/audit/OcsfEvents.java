package io.governed.jdbc.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.governed.policy.PolicyProvenance;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes an event as an OCSF 1.3 Datastore Activity ({@code class_uid} 6005, category 6 Application
 * Activity). The README's mapping table lists every field; in short: the principal is
 * {@code actor.user}, the literal-free statement {@code query_info.query_string}, the decision
 * {@code action_id}, {@code disposition_id} and {@code authorizations} (with the policy version as
 * {@code authorizations[0].policy}), and what OCSF has no place for (on-behalf-of, purpose, masked
 * columns, rows) goes in {@code unmapped}.
 *
 * <p>{@link #read} is the same mapping backwards, kept here beside the writer: every field the writer
 * puts somewhere, the reader takes from there. What an OCSF line does not carry back: the duration
 * below a millisecond ({@code duration} is in milliseconds).
 */
final class OcsfEvents {

    static final int CLASS_UID = 6005;
    static final int CATEGORY_UID = 6;
    static final String SCHEMA_VERSION = "1.3.0";
    /**
     * The profiles whose attributes the events use, as {@code metadata.profiles} names them. The list
     * comes from the OCSF 1.3 profile definitions: {@code datetime} defines the {@code _dt} siblings of
     * timestamps ({@code time_dt}); {@code security_control} defines {@code action_id}, {@code action},
     * {@code disposition_id}, {@code disposition} and {@code authorizations} (whose objects hold the
     * {@code policy}). {@code policy} is no attribute of Datastore Activity or of any of its profiles
     * in 1.3, so it is written inside {@code authorizations} only.
     */
    static final List<String> PROFILES = List.of("datetime", "security_control");

    private OcsfEvents() {
    }

    /** OCSF Datastore Activity {@code activity_id} and its caption, for a statement kind. */
    record Activity(int id, String name) {
        static Activity of(String action) {
            return switch (action.toLowerCase(Locale.ROOT)) {
                case "select" -> new Activity(4, "Query");
                case "insert", "copy" -> new Activity(5, "Write");
                case "update", "merge", "upsert", "alter", "rename", "comment" -> new Activity(2, "Update");
                case "delete", "drop", "truncate" -> new Activity(7, "Delete");
                case "create" -> new Activity(6, "Create");
                default -> new Activity(99, "Other");
            };
        }
    }

    static void writeFields(JsonGenerator g, AuditEvent e) throws IOException {
        Activity activity = Activity.of(e.action());
        boolean failed = e.error() != null || e.decision() == AuditDecision.DENY
                || e.decision() == AuditDecision.PENDING_APPROVAL || e.decision() == AuditDecision.ERROR;
        g.writeNumberField("activity_id", activity.id());
        g.writeStringField("activity_name", activity.id() == 99 ? e.action() : activity.name());
        g.writeNumberField("category_uid", CATEGORY_UID);
        g.writeStringField("category_name", "Application Activity");
        g.writeNumberField("class_uid", CLASS_UID);
        g.writeStringField("class_name", "Datastore Activity");
        g.writeNumberField("type_uid", CLASS_UID * 100L + activity.id());
        g.writeStringField("type_name", "Datastore Activity: " + (activity.id() == 99 ? "Other" : activity.name()));
        g.writeNumberField("time", e.time().toEpochMilli());
        g.writeStringField("time_dt", e.time().toString()); // RFC 3339, to the precision of the event's time
        g.writeNumberField("severity_id", e.decision() == AuditDecision.DENY ? 3 : 1);
        g.writeStringField("severity", e.decision() == AuditDecision.DENY ? "Medium" : "Informational");
        g.writeNumberField("status_id", failed ? 2 : 1);
        g.writeStringField("status", failed ? "Failure" : "Success");
        if (e.error() != null) {
            if (e.error().sqlState() != null) { // none when the driver threw an unchecked exception
                g.writeStringField("status_code", e.error().sqlState());
            }
            g.writeStringField("status_detail", e.error().message());
        }
        int disposition = switch (e.decision()) {
            case ALLOW, WOULD_DENY, WOULD_MASK, ERROR -> 1;
            case DENY -> 2;
            case PENDING_APPROVAL -> 14;
        };
        g.writeNumberField("disposition_id", disposition);
        g.writeStringField("disposition", disposition == 1 ? "Allowed" : disposition == 2 ? "Blocked" : "Delayed");
        // OCSF pairs the Delayed disposition with the Allowed action; Blocked with Denied
        int controlAction = disposition == 2 ? 2 : 1;
        g.writeNumberField("action_id", controlAction);
        g.writeStringField("action", controlAction == 2 ? "Denied" : "Allowed");
        if (e.reason() != null) {
            g.writeStringField("message", e.reason());
        }
        if (e.durationUs() != null) {
            g.writeNumberField("duration", e.durationUs() / 1000);
        }
        metadata(g, e);
        actor(g, e);
        g.writeObjectFieldStart("src_endpoint");
        g.writeStringField("name", "governed-jdbc");
        if (e.connectionId() != null) {
            g.writeStringField("uid", e.connectionId());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("database");
        g.writeNumberField("type_id", 0);
        g.writeStringField("type", "Unknown");
        g.writeEndObject();
        if (!e.tables().isEmpty()) {
            g.writeObjectFieldStart("table");
            g.writeStringField("name", e.tables().get(0));
            g.writeEndObject();
        }
        g.writeNumberField("type_id", e.tables().isEmpty() ? 1 : 3);
        if (e.statement() != null || e.fingerprint() != null) {
            g.writeObjectFieldStart("query_info");
            if (e.fingerprint() != null) {
                g.writeStringField("uid", e.fingerprint());
            }
            if (e.statement() != null) {
                g.writeStringField("query_string", e.statement());
            }
            g.writeEndObject();
        }
        policy(g, e);
        unmapped(g, e);
    }

    private static void metadata(JsonGenerator g, AuditEvent e) throws IOException {
        g.writeObjectFieldStart("metadata");
        g.writeStringField("version", SCHEMA_VERSION);
        g.writeStringField("uid", e.eventId());
        g.writeArrayFieldStart("profiles");
        for (String profile : PROFILES) {
            g.writeString(profile);
        }
        g.writeEndArray();
        if (e.connectionId() != null) {
            g.writeStringField("correlation_uid", e.connectionId());
        }
        g.writeStringField("log_name", "governed-jdbc audit");
        g.writeObjectFieldStart("product");
        g.writeStringField("name", "Governed JDBC");
        g.writeStringField("vendor_name", "Governed JDBC");
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void actor(JsonGenerator g, AuditEvent e) throws IOException {
        g.writeObjectFieldStart("actor");
        g.writeObjectFieldStart("user");
        g.writeStringField("name", e.principal() == null ? "unknown" : e.principal());
        if (e.principal() != null) {
            g.writeStringField("uid", e.principal());
        }
        int type = "human".equals(e.kind()) ? 1 : "service".equals(e.kind()) || "agent".equals(e.kind()) ? 3 : 0;
        g.writeNumberField("type_id", type);
        g.writeStringField("type", type == 1 ? "User" : type == 3 ? "System" : "Unknown");
        if (!e.groups().isEmpty()) {
            g.writeArrayFieldStart("groups");
            for (String group : e.groups()) {
                g.writeStartObject();
                g.writeStringField("name", group);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        if (e.onBehalfOf() != null) {
            g.writeStringField("invoked_by", e.onBehalfOf());
        }
        g.writeEndObject();
    }

    private static void policy(JsonGenerator g, AuditEvent e) throws IOException {
        PolicyProvenance provenance = e.policy() == null ? null : e.policy().provenance();
        g.writeArrayFieldStart("authorizations");
        g.writeStartObject();
        g.writeStringField("decision", e.decision().externalName());
        if (provenance != null) {
            writePolicy(g, "policy", provenance, e.rules());
        }
        g.writeEndObject();
        g.writeEndArray();
    }

    private static void writePolicy(JsonGenerator g, String field, PolicyProvenance p, List<String> rules) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("uid", p.digest());
        g.writeStringField("version", p.shortDigest());
        g.writeStringField("name", String.join(", ", p.files().stream().map(PolicyProvenance.File::name).toList()));
        if (!rules.isEmpty()) {
            g.writeStringField("desc", "rules: " + String.join(", ", rules));
        }
        g.writeEndObject();
    }

    private static void unmapped(JsonGenerator g, AuditEvent e) throws IOException {
        g.writeObjectFieldStart("unmapped");
        g.writeStringField("action", e.action());
        g.writeStringField("kind", e.kind());
        g.writeStringField("on_behalf_of", e.onBehalfOf());
        g.writeStringField("purpose", e.purpose());
        stringArray(g, "tables", e.tables());
        stringArray(g, "columns", e.columns());
        stringArray(g, "rules", e.rules());
        stringArray(g, "masked_columns", e.maskedColumns());
        if (e.rows() == null) {
            g.writeNullField("rows");
        } else {
            g.writeNumberField("rows", e.rows());
        }
        // the rest only when the event has it: most statements carry none of these
        optional(g, "identity_source", e.identitySource());
        optional(g, "identity_issuer", e.identityIssuer());
        optional(g, "identity_key_id", e.identityKeyId());
        optional(g, "token_id", e.tokenId());
        optional(g, "approval_id", e.approvalId());
        optional(g, "statement_event_id", e.statementEventId());
        optional(g, "trace_id", e.traceId());
        optional(g, "span_id", e.spanId());
        if (e.policy() != null) {
            // the native policy object: the file digests, which authorizations[0].policy has no place for
            g.writeFieldName("policy");
            g.writeRawValue(e.policy().json());
        }
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    /**
     * Reads back an event {@link #writeFields} wrote: the inverse of the mapping above.
     *
     * @throws IllegalArgumentException when the line is not such an event, saying which attribute is wrong
     */
    static AuditEvent read(JsonNode line) {
        if (line == null || !line.isObject() || line.path("class_uid").asInt() != CLASS_UID) {
            throw new IllegalArgumentException("not an OCSF Datastore Activity (class_uid " + CLASS_UID + ")");
        }
        JsonNode unmapped = line.path("unmapped");
        JsonNode user = line.path("actor").path("user");
        JsonNode query = line.path("query_info");
        List<String> groups = new ArrayList<>();
        for (JsonNode group : user.path("groups")) {
            groups.add(group.path("name").asText());
        }
        String decision = text(line.path("authorizations").path(0), "decision");
        if (decision == null) {
            throw new IllegalArgumentException("attribute 'authorizations[0].decision' is missing");
        }
        String action = text(unmapped, "action");
        if (action == null) {
            throw new IllegalArgumentException("attribute 'unmapped.action' is missing");
        }
        String statusDetail = text(line, "status_detail");
        JsonNode duration = line.get("duration");
        return new AuditEvent(
                time(line),
                requiredText(line.path("metadata"), "uid", "metadata.uid"),
                text(line.path("metadata"), "correlation_uid"),
                text(user, "uid"),
                text(unmapped, "kind"),
                groups,
                text(line.path("actor"), "invoked_by"),
                text(unmapped, "purpose"),
                action,
                text(query, "query_string"),
                text(query, "uid"),
                strings(unmapped, "tables"),
                strings(unmapped, "columns"),
                AuditDecision.parse(decision),
                strings(unmapped, "rules"),
                text(line, "message"),
                strings(unmapped, "masked_columns"),
                unmapped.path("rows").isIntegralNumber() ? unmapped.get("rows").longValue() : null,
                duration != null && duration.isIntegralNumber() ? duration.longValue() * 1000 : null,
                statusDetail == null ? null : new AuditError(text(line, "status_code"), statusDetail),
                text(unmapped, "identity_source"),
                text(unmapped, "identity_issuer"),
                text(unmapped, "identity_key_id"),
                text(unmapped, "token_id"),
                text(unmapped, "approval_id"),
                text(unmapped, "statement_event_id"),
                text(unmapped, "trace_id"),
                text(unmapped, "span_id"),
                policy(line, unmapped));
    }

    /**
     * The native policy object from {@code unmapped}; for a line without it (written before the files'
     * digests were carried there), the set's digest from {@code authorizations[0].policy.uid}, without files.
     */
    private static AuditPolicy policy(JsonNode line, JsonNode unmapped) {
        if (unmapped.has("policy")) {
            return AuditPolicy.read(unmapped.get("policy"));
        }
        String digest = text(line.path("authorizations").path(0).path("policy"), "uid");
        return digest == null ? null : AuditPolicy.of(new PolicyProvenance(digest, List.of()));
    }

    /** {@code time_dt} to the event's precision; {@code time} (milliseconds) when a line has no {@code time_dt}. */
    private static Instant time(JsonNode line) {
        String dt = text(line, "time_dt");
        if (dt != null) {
            try {
                return Instant.parse(dt);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("attribute 'time_dt' is not an RFC 3339 time in UTC", e);
            }
        }
        if (!line.path("time").isIntegralNumber()) {
            throw new IllegalArgumentException("attribute 'time' must be milliseconds since the epoch");
        }
        return Instant.ofEpochMilli(line.get("time").longValue());
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.textValue();
    }

    private static String requiredText(JsonNode node, String field, String path) {
        String v = text(node, field);
        if (v == null) {
            throw new IllegalArgumentException("attribute '" + path + "' is missing");
        }
        return v;
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> values = new ArrayList<>();
        for (JsonNode v : node.path(field)) {
            values.add(v.asText());
        }
        return values;
    }

    private static void stringArray(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
