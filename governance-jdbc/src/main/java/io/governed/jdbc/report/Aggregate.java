package io.governed.jdbc.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.governed.jdbc.audit.AuditEvent;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The figures of a report, counted event by event as a trail streams past: counters per key, never
 * the events themselves. Every per-key map is capped ({@link CappedCounts}) and every list of
 * examples keeps its first {@link Limits#examples()} entries, so memory stays bounded whatever the
 * trail's size; the report says where a cap was reached.
 */
final class Aggregate {

    /**
     * Decisions in the order figures are kept: allow, deny, pending_approval, error, then the two of
     * observe mode, would_deny and would_mask (statements that ran).
     */
    static final List<String> DECISIONS = List.of("allow", "deny", "pending_approval", "error", "would_deny", "would_mask");
    static final Set<String> DDL = Set.of("create", "alter", "drop", "truncate", "rename", "comment");
    static final Set<String> PRIVILEGES = Set.of("grant", "revoke");
    static final String UNPARSEABLE = "unknown";
    /** Actions whose columns are read back to the caller (a write's columns are not a read of sensitive data). */
    static final Set<String> READS = Set.of("select", "call", "execute");

    /**
     * How much a report keeps.
     *
     * @param keys     most keys per table of figures (identities, rules, tables, …)
     * @param examples most example events listed per section (DDL, grants, refusals, approvals)
     * @param columns  most column names listed per identity and purpose
     */
    record Limits(int keys, int examples, int columns) {
        static final Limits DEFAULT = new Limits(2000, 500, 50);
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Limits limits;
    private final Predicate<String> tagged;
    private final Instant from;
    private final Instant to;

    long events;
    long outsidePeriod;
    long unreadableLines;
    /** Lines the hash chain did not verify (after a break, or an interrupted write): never counted as events. */
    long notVerifiedLines;
    long chainRecoveries;
    final long[] decisions = new long[DECISIONS.size()];
    Instant first;
    Instant last;
    /** Hour (epoch hours) to counts per decision; capped like any other map. */
    final TreeMap<Long, long[]> hours = new TreeMap<>();
    long hoursDropped;
    final CappedCounts<long[]> rules;
    final CappedCounts<long[]> access;
    final CappedCounts<Sensitive> sensitive;
    final CappedCounts<long[]> agents;
    final CappedCounts<PolicySeen> policies;
    final Examples ddl;
    final Examples privileges;
    final Examples unparseable;
    final Examples pending;
    final ApprovalFigures approvals;

    /** Figures of one identity and purpose's reads of sensitive columns. */
    static final class Sensitive {
        long statements;
        long rows;
        final Set<String> masked = new LinkedHashSet<>();
        final Set<String> clear = new LinkedHashSet<>();
        boolean columnsCapped;
    }

    /** A policy version seen in the trail. */
    static final class PolicySeen {
        long events;
        String first;
        String last;
        JsonNode files;
    }

    /** The first events of a kind, and how many there were. */
    static final class Examples {
        private final int cap;
        final List<ObjectNode> items = new ArrayList<>();
        final long[] byDecision = new long[DECISIONS.size()];
        long total;

        Examples(int cap) {
            this.cap = cap;
        }

        void add(JsonNode e, int decision) {
            total++;
            if (decision >= 0) {
                byDecision[decision]++;
            }
            if (items.size() < cap) {
                ObjectNode item = JSON.objectNode();
                for (String f : List.of("time", "principal", "kind", "on_behalf_of", "purpose", "action", "statement",
                        "tables", "decision", "rules", "reason")) {
                    JsonNode v = e.get(f);
                    item.set(f, v == null ? JSON.nullNode() : v);
                }
                JsonNode policy = e.path("policy").path("digest");
                item.put("policy", policy.isTextual() ? policy.textValue() : null);
                items.add(item);
            }
        }
    }

    Aggregate(Limits limits, Predicate<String> tagged, Instant from, Instant to) {
        this.limits = limits;
        this.tagged = tagged;
        this.from = from;
        this.to = to;
        rules = new CappedCounts<>(limits.keys(), () -> new long[DECISIONS.size()]);
        access = new CappedCounts<>(limits.keys(), () -> new long[2]);
        sensitive = new CappedCounts<>(limits.keys(), Sensitive::new);
        agents = new CappedCounts<>(limits.keys(), () -> new long[DECISIONS.size() + 1]);
        policies = new CappedCounts<>(100, PolicySeen::new);
        ddl = new Examples(limits.examples());
        privileges = new Examples(limits.examples());
        unparseable = new Examples(limits.examples());
        pending = new Examples(limits.examples());
        approvals = new ApprovalFigures(limits.examples());
    }

    Limits limits() {
        return limits;
    }

    /** Counts one line of the trail; a line that is not an audit event is counted as unreadable. */
    void accept(JsonNode e) {
        Instant time;
        try {
            time = Instant.parse(e.path("time").asText(""));
        } catch (RuntimeException bad) {
            unreadableLines++;
            return;
        }
        String action = text(e, "action");
        int decision = DECISIONS.indexOf(text(e, "decision"));
        if (action == null || decision < 0) {
            unreadableLines++;
            return;
        }
        if ((from != null && time.isBefore(from)) || (to != null && !time.isBefore(to))) {
            outsidePeriod++;
            return;
        }
        if (AuditEvent.CHAIN_RECOVERED.equals(action)) {
            chainRecoveries++;
        }
        events++;
        first = first == null || time.isBefore(first) ? time : first;
        last = last == null || time.isAfter(last) ? time : last;
        if (ApprovalFigures.isApprovalEvent(action)) {
            // what happened to a request, not a statement: counted in the approvals section only
            approvals.accept(e, action);
            return;
        }
        if (e.has("approval_id")) {
            approvals.statement(e);
        }
        decisions[decision]++;
        countHour(time, decision);
        String principal = orDash(text(e, "principal"));
        for (JsonNode rule : e.path("rules")) {
            rules.get(rule.asText())[decision]++;
        }
        Long rows = e.path("rows").isIntegralNumber() ? e.get("rows").longValue() : null;
        JsonNode tables = e.path("tables");
        if (tables.isEmpty()) {
            countAccess(principal, "", decision, rows);
        }
        for (JsonNode table : tables) {
            countAccess(principal, table.asText(), decision, rows);
        }
        countPolicy(e.path("policy"), time);
        String onBehalfOf = text(e, "on_behalf_of");
        if ("agent".equals(text(e, "kind")) || onBehalfOf != null) {
            long[] a = agents.get(principal + '\u0000' + orDash(onBehalfOf) + '\u0000' + orDash(text(e, "kind")));
            a[decision]++;
            a[DECISIONS.size()] += rows == null ? 0 : rows;
        }
        String lower = action.toLowerCase(Locale.ROOT);
        if (decision == 0 || decision >= 4) {
            countSensitive(e, principal, rows, READS.contains(lower));
        }
        if (DDL.contains(lower)) {
            ddl.add(e, decision);
        } else if (PRIVILEGES.contains(lower)) {
            privileges.add(e, decision);
        } else if (UNPARSEABLE.equals(lower)) {
            unparseable.add(e, decision);
        }
        if (decision == 2) {
            pending.add(e, decision);
        }
    }

    private void countHour(Instant time, int decision) {
        long hour = time.truncatedTo(ChronoUnit.HOURS).getEpochSecond() / 3600;
        long[] h = hours.get(hour);
        if (h == null) {
            if (hours.size() >= 24 * 366 * 5) {
                hoursDropped++;
                return;
            }
            h = new long[DECISIONS.size()];
            hours.put(hour, h);
        }
        h[decision]++;
    }

    private void countAccess(String principal, String table, int decision, Long rows) {
        long[] a = access.get(principal + '\u0000' + table + '\u0000' + DECISIONS.get(decision));
        a[0]++;
        a[1] += rows == null ? 0 : rows;
    }

    private void countPolicy(JsonNode policy, Instant time) {
        String digest = policy.path("digest").isTextual() ? policy.get("digest").textValue() : "(none)";
        PolicySeen p = policies.get(digest);
        p.events++;
        String t = time.toString();
        if (p.first == null) {
            p.first = t;
            p.files = policy.path("files").isArray() ? policy.get("files") : JSON.arrayNode();
        }
        p.last = t;
    }

    /** An allowed statement that read tagged columns: which came back masked, which in clear. */
    private void countSensitive(JsonNode e, String principal, Long rows, boolean read) {
        Set<String> maskedLabels = new LinkedHashSet<>();
        for (JsonNode m : e.path("masked_columns")) {
            maskedLabels.add(lastPart(m.asText()).toLowerCase(Locale.ROOT));
        }
        List<String> clear = new ArrayList<>();
        List<String> masked = new ArrayList<>();
        for (JsonNode c : e.path("columns")) {
            String column = c.asText();
            boolean isMasked = maskedLabels.contains(lastPart(column).toLowerCase(Locale.ROOT));
            if (isMasked) {
                masked.add(column);
            } else if (read && tagged.test(column)) {
                clear.add(column);
            }
        }
        if (masked.isEmpty() && clear.isEmpty() && maskedLabels.isEmpty()) {
            return;
        }
        if (masked.isEmpty() && !maskedLabels.isEmpty()) {
            masked.addAll(maskedLabels);
        }
        Sensitive s = sensitive.get(principal + '\u0000' + orDash(text(e, "purpose")));
        s.statements++;
        s.rows += rows == null ? 0 : rows;
        addCapped(s, s.masked, masked);
        addCapped(s, s.clear, clear);
    }

    private void addCapped(Sensitive s, Set<String> into, List<String> columns) {
        for (String c : columns) {
            if (into.size() < limits.columns()) {
                into.add(c);
            } else if (!into.contains(c)) {
                s.columnsCapped = true;
            }
        }
    }

    static String lastPart(String column) {
        int dot = column.lastIndexOf('.');
        return dot < 0 ? column : column.substring(dot + 1);
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        return v == null || !v.isTextual() ? null : v.textValue();
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    static ArrayNode decisionCounts(long[] counts) {
        ArrayNode a = JSON.arrayNode();
        for (int i = 0; i < DECISIONS.size(); i++) {
            a.add(counts[i]);
        }
        return a;
    }
}
