package io.governed.jdbc.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.governed.jdbc.approval.AuditingApprovalStore;
import io.governed.policy.PolicyProvenance;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Turns an {@link Aggregate} into the report's JSON document; field names are the report's contract. */
final class ReportJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> DECISIONS = Aggregate.DECISIONS;
    /** Above this many hours in the period, the timeline counts per day. */
    private static final int MOST_HOURLY_POINTS = 72;

    private ReportJson() {
    }

    static ObjectNode of(Aggregate a, ComplianceReport.Options options, PolicyProvenance given) {
        ObjectNode r = JSON.objectNode();
        r.put("report", "governed-jdbc compliance report");
        r.put("generated", Instant.now().toString());
        ObjectNode period = r.putObject("period");
        period.put("from", a.first == null ? null : a.first.toString());
        period.put("to", a.last == null ? null : a.last.toString());
        period.put("requested_from", options.from() == null ? null : options.from().toString());
        period.put("requested_to", options.to() == null ? null : options.to().toString());
        ObjectNode totals = r.putObject("totals");
        totals.put("events", a.events);
        totals.put("approval_events", a.approvals.events);
        for (int i = 0; i < DECISIONS.size(); i++) {
            totals.put(DECISIONS.get(i), a.decisions[i]);
        }
        totals.put("unreadable_lines", a.unreadableLines);
        totals.put("not_verified_lines", a.notVerifiedLines);
        totals.put("outside_period", a.outsidePeriod);
        totals.put("chain_recoveries", a.chainRecoveries);
        r.set("timeline", timeline(a));
        r.set("denials_by_rule", denials(a));
        r.set("approvals", approvals(a));
        r.set("sensitive_access", sensitive(a, given != null));
        r.set("agents", agents(a));
        r.set("ddl", examples(a.ddl));
        r.set("privilege_changes", examples(a.privileges));
        r.set("unparseable", examples(a.unparseable));
        r.set("access", access(a));
        r.set("policy_versions", policyVersions(a, given));
        r.set("policy_files", ComplianceReport.policyFiles(given));
        r.put("policy_digest_given", given == null ? null : given.digest());
        r.set("limits", limits(a));
        return r;
    }

    /** Counts per hour (or per day), every bucket of the period present, empty ones too, so the chart's axis is time. */
    private static ObjectNode timeline(Aggregate a) {
        ObjectNode t = JSON.objectNode();
        boolean hourly = a.hours.isEmpty() || a.hours.lastKey() - a.hours.firstKey() < MOST_HOURLY_POINTS;
        t.put("bucket", hourly ? "hour" : "day");
        ArrayNode points = t.putArray("points");
        if (a.hours.isEmpty()) {
            return t;
        }
        int width = hourly ? 1 : 24;
        long first = Math.floorDiv(a.hours.firstKey(), width) * width;
        for (long bucket = first; bucket <= a.hours.lastKey(); bucket += width) {
            long[] counts = new long[DECISIONS.size()];
            for (long[] hour : a.hours.subMap(bucket, bucket + width).values()) {
                for (int i = 0; i < counts.length; i++) {
                    counts[i] += hour[i];
                }
            }
            ObjectNode point = points.addObject();
            point.put("start", Instant.ofEpochSecond(bucket * 3600).toString());
            for (int i = 0; i < counts.length; i++) {
                point.put(DECISIONS.get(i), counts[i]);
            }
        }
        return t;
    }

    private static ArrayNode denials(Aggregate a) {
        ArrayNode out = JSON.arrayNode();
        for (Map.Entry<String, long[]> e : ComplianceReport.sorted(a.rules.values(), Comparator.comparingLong((long[] c) -> -c[1]))) {
            if (e.getValue()[1] > 0) {
                out.addObject().put("rule", e.getKey()).put("denied", e.getValue()[1]);
            }
        }
        return out;
    }

    private static ObjectNode approvals(Aggregate a) {
        ApprovalFigures f = a.approvals;
        ObjectNode o = JSON.objectNode();
        ObjectNode counts = o.putObject("counts");
        counts.put("requests", f.requests());
        long[] byStatus = f.countsByStatus();
        for (int i = 0; i < ApprovalFigures.STATUSES.size(); i++) {
            counts.put(ApprovalFigures.STATUSES.get(i), byStatus[i]);
        }
        ObjectNode events = o.putObject("events");
        events.put("total", f.events);
        events.put(AuditingApprovalStore.REQUESTED, f.requestedEvents);
        events.put(AuditingApprovalStore.APPROVED, f.approvalEvents);
        events.put(AuditingApprovalStore.DENIED, f.denialEvents);
        events.put(AuditingApprovalStore.EXPIRED, f.expiredEvents);
        events.put(AuditingApprovalStore.CONSUMED, f.consumedEvents);
        events.put("without_request_id", f.withoutRequestId);
        ArrayNode requests = f.rows();
        o.set("requests", requests);
        o.put("requests_listed", requests.size());
        o.put("statements_sent_for_approval", a.pending.total);
        ArrayNode byRule = o.putArray("by_rule");
        java.util.Set<String> approvalRules = new java.util.LinkedHashSet<>();
        for (ObjectNode item : a.pending.items) {
            // a statement held back names the rules that allowed it as well as the approval rule: keep the
            // approval rules, as the requests name them (all of them when the trail has no request events)
            item.path("rules").forEach(rule -> {
                if (!f.knowsApprovalRules() || f.isApprovalRule(rule.asText())) {
                    approvalRules.add(rule.asText());
                }
            });
        }
        for (String rule : approvalRules) {
            long[] c = a.rules.values().getOrDefault(rule, new long[DECISIONS.size()]);
            byRule.addObject().put("rule", rule).put("pending", c[2]).put("ran_after_approval", c[0])
                    .put("denied", c[1]).put("failed", c[3]);
        }
        o.set("statements", list(a.pending.items));
        o.put("note", "Requests, decisions, expiries and uses are the approval_* events of the trail: a decision is in it"
                + " when it was made through a store that audits to this trail (the driver's own, or governed-jdbc approvals"
                + " with --audit); an expiry is recorded when it is noticed (by an approver's decision or the statement's"
                + " next run), not when it happens.");
        return o;
    }

    private static ArrayNode sensitive(Aggregate a, boolean tagsFromPolicy) {
        ArrayNode out = JSON.arrayNode();
        for (Map.Entry<String, Aggregate.Sensitive> e : ComplianceReport.sorted(a.sensitive.values(),
                Comparator.comparingLong((Aggregate.Sensitive s) -> -s.statements))) {
            String[] key = e.getKey().split("\u0000", -1);
            Aggregate.Sensitive s = e.getValue();
            ObjectNode row = out.addObject();
            row.put("principal", key[0]);
            row.put("purpose", key.length > 1 ? key[1] : "-");
            row.put("statements", s.statements);
            row.put("rows", s.rows);
            ArrayNode masked = row.putArray("masked");
            s.masked.forEach(masked::add);
            ArrayNode clear = row.putArray("clear");
            s.clear.forEach(clear::add);
            row.put("columns_capped", s.columnsCapped);
            row.put("tags_from_policy", tagsFromPolicy);
        }
        return out;
    }

    private static ArrayNode agents(Aggregate a) {
        ArrayNode out = JSON.arrayNode();
        for (Map.Entry<String, long[]> e : ComplianceReport.sorted(a.agents.values(), Comparator.comparingLong((long[] c) -> -total(c)))) {
            String[] key = e.getKey().split("\u0000", -1);
            ObjectNode row = out.addObject();
            row.put("principal", key[0]);
            row.put("on_behalf_of", key.length > 1 ? key[1] : "-");
            row.put("kind", key.length > 2 ? key[2] : "-");
            decisions(row, e.getValue());
            row.put("rows", e.getValue()[DECISIONS.size()]);
        }
        return out;
    }

    private static ArrayNode access(Aggregate a) {
        ArrayNode out = JSON.arrayNode();
        for (Map.Entry<String, long[]> e : ComplianceReport.sorted(a.access.values(), Comparator.comparingLong((long[] c) -> -c[0]))) {
            String[] key = e.getKey().split("\u0000", -1);
            out.addObject().put("principal", key[0]).put("table", key.length > 1 ? key[1] : "")
                    .put("decision", key.length > 2 ? key[2] : "").put("statements", e.getValue()[0]).put("rows", e.getValue()[1]);
        }
        return out;
    }

    private static ObjectNode examples(Aggregate.Examples x) {
        ObjectNode o = JSON.objectNode();
        o.put("total", x.total);
        decisions(o, x.byDecision);
        o.set("events", list(x.items));
        return o;
    }

    private static ArrayNode policyVersions(Aggregate a, PolicyProvenance given) {
        ArrayNode out = JSON.arrayNode();
        for (Map.Entry<String, Aggregate.PolicySeen> e : a.policies.values().entrySet()) {
            Aggregate.PolicySeen p = e.getValue();
            ObjectNode row = out.addObject();
            row.put("digest", e.getKey());
            row.put("events", p.events);
            row.put("first", p.first);
            row.put("last", p.last);
            row.set("files", p.files == null ? JSON.arrayNode() : p.files);
            if (given != null) {
                row.put("matches_given_files", given.digest().equals(e.getKey()));
            }
        }
        return out;
    }

    private static ObjectNode limits(Aggregate a) {
        ObjectNode o = JSON.objectNode();
        o.put("keys_per_table", a.limits().keys());
        o.put("examples_per_section", a.limits().examples());
        o.put("columns_per_identity", a.limits().columns());
        ArrayNode capped = o.putArray("capped");
        capIf(capped, "rules", a.rules);
        capIf(capped, "access", a.access);
        capIf(capped, "sensitive_access", a.sensitive);
        capIf(capped, "agents", a.agents);
        capIf(capped, "policy_versions", a.policies);
        if (a.hoursDropped > 0) {
            capped.addObject().put("table", "timeline").put("events_in_other", a.hoursDropped);
        }
        return o;
    }

    private static void capIf(ArrayNode capped, String table, CappedCounts<?> counts) {
        if (counts.overflowEvents() > 0) {
            capped.addObject().put("table", table).put("cap", counts.cap()).put("events_in_other", counts.overflowEvents());
        }
    }

    /**
     * Adds the SOC 2 and ISO 27001 controls table, with evidence counts taken from the figures already there. A control's
     * evidence is the number of the period's verified events that the sections it names show, each counted once: the
     * statements (the timeline, access table, denials, sensitive reads and refusals all show statements, the latter
     * three some of them), every event (the verification covers each, approval events included), or the events of
     * sections that list different events (DDL and approval requests, grants and agents' statements).
     */
    static void controls(ObjectNode r) {
        JsonNode t = r.path("totals");
        // only the period's verified events are figures; a chain's events outside the period are no evidence for it
        long events = t.path("events").asLong();
        long statements = events - t.path("approval_events").asLong();
        long ddl = r.path("ddl").path("total").asLong();
        long grants = r.path("privilege_changes").path("total").asLong();
        long approvalRequests = r.path("approvals").path("counts").path("requests").asLong();
        long agentEvents = 0;
        for (JsonNode agent : r.path("agents")) {
            for (String d : DECISIONS) {
                agentEvents += agent.path(d).asLong();
            }
        }
        String period = r.path("period").path("from").asText("-") + " – " + r.path("period").path("to").asText("-");
        ArrayNode c = r.putArray("controls");
        control(c, "SOC 2", "CC6.1", "Logical access is restricted to authorised identities",
                List.of("timeline", "denials", "sensitive"), statements, period);
        control(c, "SOC 2", "CC6.3", "Access is granted, changed and removed by role and on behalf of a person",
                List.of("privileges", "agents"), grants + agentEvents, period);
        control(c, "SOC 2", "CC7.2", "Activity is monitored and anomalies are detected",
                List.of("verification", "denials", "unparseable"), events, period);
        control(c, "SOC 2", "CC8.1", "Changes to systems are authorised and approved",
                List.of("ddl", "approvals"), ddl + approvalRequests, period);
        control(c, "ISO 27001:2022", "A.5.15", "Access control", List.of("denials", "access", "sensitive"),
                statements, period);
        control(c, "ISO 27001:2022", "A.8.2", "Privileged access rights", List.of("privileges", "ddl"),
                grants + ddl, period);
        control(c, "ISO 27001:2022", "A.8.15", "Logging", List.of("verification"), events, period);
        control(c, "ISO 27001:2022", "A.8.16", "Monitoring activities", List.of("timeline", "denials", "unparseable"),
                statements, period);
    }

    private static void control(ArrayNode c, String framework, String id, String title, List<String> sections,
                                long evidence, String period) {
        ObjectNode o = c.addObject();
        o.put("framework", framework);
        o.put("control", id);
        o.put("title", title);
        ArrayNode s = o.putArray("sections");
        sections.forEach(s::add);
        o.put("evidence", evidence);
        o.put("period", period);
    }

    private static void decisions(ObjectNode row, long[] counts) {
        for (int i = 0; i < DECISIONS.size(); i++) {
            row.put(DECISIONS.get(i), counts[i]);
        }
    }

    private static long total(long[] counts) {
        long sum = 0;
        for (int i = 0; i < DECISIONS.size(); i++) {
            sum += counts[i];
        }
        return sum;
    }

    private static ArrayNode list(List<ObjectNode> items) {
        ArrayNode a = JSON.arrayNode();
        items.forEach(a::add);
        return a;
    }
}
