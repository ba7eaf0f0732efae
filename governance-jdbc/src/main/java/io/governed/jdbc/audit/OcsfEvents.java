package io.governed.jdbc.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import io.governed.policy.PolicyProvenance;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Writes an event as an OCSF 1.3 Datastore Activity ({@code class_uid} 6005, category 6 Application
 * Activity). The README's mapping table lists every field; in short: the principal is
 * {@code actor.user}, the literal-free statement {@code query_info.query_string}, the decision
 * {@code action_id}, {@code disposition_id} and {@code authorizations} (with the policy version as
 * {@code authorizations[0].policy}), and what OCSF has no place for (on-behalf-of, purpose, masked
 * columns, rows) goes in {@code unmapped}.
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
            g.writeStringField("status_code", e.error().sqlState());
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
        g.writeEndObject();
    }

    private static void stringArray(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
