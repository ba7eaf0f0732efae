package io.governed.jdbc.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.governed.jdbc.approval.AuditingApprovalStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the trail's {@code approval_*} events say about approval requests: per request who asked (and
 * for whom), who approved or denied it and when, when it expired or was used up. The first
 * {@code listed} requests are kept as rows; every request's status is kept as one byte under its id
 * (a 64-bit number), so the counts by status stay exact while memory grows by some 20 bytes per request
 * and never holds an event. Statement text and values are never kept: approval events do not carry them.
 */
final class ApprovalFigures {

    static final Set<String> ACTIONS = Set.of(AuditingApprovalStore.REQUESTED, AuditingApprovalStore.APPROVED,
            AuditingApprovalStore.DENIED, AuditingApprovalStore.EXPIRED, AuditingApprovalStore.CONSUMED);
    /** Final statuses, in the order the report lists them. */
    static final java.util.List<String> STATUSES = java.util.List.of("pending", "approved", "denied", "expired", "consumed");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final byte REQUESTED = 1;
    private static final byte APPROVED = 2;
    private static final byte DENIED = 4;
    private static final byte EXPIRED = 8;
    private static final byte CONSUMED = 16;
    /** Decisions kept per listed request; a quorum is rarely more than a few. */
    static final int DECISIONS_PER_REQUEST = 20;

    private final int listed;
    private final Map<String, ObjectNode> rows = new LinkedHashMap<>();
    /** The approval rules the trail's approval events name (a request's rule), the first {@link #RULES_KEPT}. */
    private final Set<String> approvalRules = new java.util.LinkedHashSet<>();
    static final int RULES_KEPT = 1000;
    private final StatusTable statuses = new StatusTable();
    long events;
    long requestedEvents;
    long approvalEvents;
    long denialEvents;
    long expiredEvents;
    long consumedEvents;
    long withoutRequestId;

    ApprovalFigures(int listed) {
        this.listed = listed;
    }

    /** True for the actions {@link AuditingApprovalStore} records. */
    static boolean isApprovalEvent(String action) {
        return action.startsWith("approval_") && ACTIONS.contains(action);
    }

    void accept(JsonNode e, String action) {
        events++;
        for (JsonNode rule : e.path("rules")) {
            if (approvalRules.size() < RULES_KEPT && rule.isTextual()) {
                approvalRules.add(rule.textValue());
            }
        }
        String id = text(e, "approval_id");
        if (id == null) {
            withoutRequestId++;
            return;
        }
        byte flag = switch (action) {
            case AuditingApprovalStore.REQUESTED -> {
                requestedEvents++;
                yield REQUESTED;
            }
            case AuditingApprovalStore.APPROVED -> {
                approvalEvents++;
                // a partial approval (a quorum not yet reached) is recorded as pending_approval
                yield "allow".equals(text(e, "decision")) ? APPROVED : 0;
            }
            case AuditingApprovalStore.DENIED -> {
                denialEvents++;
                yield DENIED;
            }
            case AuditingApprovalStore.EXPIRED -> {
                expiredEvents++;
                yield EXPIRED;
            }
            default -> {
                consumedEvents++;
                yield CONSUMED;
            }
        };
        statuses.or(id, flag);
        ObjectNode row = rows.get(id);
        if (row == null) {
            if (rows.size() >= listed) {
                return;
            }
            row = newRow(id);
            rows.put(id, row);
        }
        fill(row, e, action);
    }

    private static ObjectNode newRow(String id) {
        ObjectNode row = JSON.objectNode();
        row.put("id", id);
        for (String f : java.util.List.of("requester", "on_behalf_of", "purpose", "action", "rule")) {
            row.putNull(f);
        }
        row.putArray("tables");
        for (String f : java.util.List.of("requested_at", "statement_event_id", "approved_at", "denied_at",
                "expired_at", "expired", "consumed_at", "consumed_by_event_id")) {
            row.putNull(f);
        }
        row.putArray("decisions");
        row.put("decisions_capped", false);
        return row;
    }

    /** Adds what one event says to the request's row. */
    private static void fill(ObjectNode row, JsonNode e, String action) {
        String time = text(e, "time");
        boolean byRequester = !action.equals(AuditingApprovalStore.APPROVED) && !action.equals(AuditingApprovalStore.DENIED);
        if (byRequester && row.path("requester").isNull()) {
            row.put("requester", text(e, "principal"));
            row.put("on_behalf_of", text(e, "on_behalf_of"));
            row.put("purpose", text(e, "purpose"));
        }
        if (row.path("action").isNull() && action.equals(AuditingApprovalStore.REQUESTED)) {
            row.put("action", actionOf(text(e, "reason")));
        }
        if (row.path("tables").isEmpty() && e.path("tables").isArray()) {
            row.set("tables", e.get("tables").deepCopy());
        }
        if (row.path("rule").isNull() && e.path("rules").isArray() && !e.get("rules").isEmpty()) {
            row.put("rule", e.get("rules").get(0).asText());
        }
        switch (action) {
            case AuditingApprovalStore.REQUESTED -> {
                row.put("requested_at", time);
                row.put("statement_event_id", text(e, "statement_event_id"));
            }
            case AuditingApprovalStore.APPROVED, AuditingApprovalStore.DENIED -> {
                boolean approve = action.equals(AuditingApprovalStore.APPROVED);
                ArrayNode decisions = (ArrayNode) row.get("decisions");
                if (decisions.size() < DECISIONS_PER_REQUEST) {
                    ObjectNode d = decisions.addObject();
                    d.put("decision", approve ? "approve" : "deny");
                    d.put("approver", text(e, "principal"));
                    d.put("identity_source", text(e, "identity_source"));
                    d.put("issuer", text(e, "identity_issuer"));
                    d.put("time", time);
                    d.put("quorum_reached", approve && "allow".equals(text(e, "decision")));
                    // an approval's reason is the tool's; a denial's is the approver's own sentence
                    d.put("reason", approve ? null : text(e, "reason"));
                } else {
                    row.put("decisions_capped", true);
                }
                if (approve && "allow".equals(text(e, "decision"))) {
                    row.put("approved_at", time);
                } else if (!approve) {
                    row.put("denied_at", time);
                }
            }
            case AuditingApprovalStore.EXPIRED -> {
                if (row.path("expired_at").isNull()) {
                    row.put("expired_at", time);
                    row.put("expired", row.path("approved_at").isNull() ? "request" : "approval");
                }
            }
            default -> {
                row.put("consumed_at", time);
                row.put("consumed_by_event_id", text(e, "statement_event_id"));
            }
        }
    }

    /**
     * A statement event that names a request (the one sent for approval, or the run that used it up):
     * the request's action is the statement's.
     */
    void statement(JsonNode e) {
        String id = text(e, "approval_id");
        ObjectNode row = id == null ? null : rows.get(id);
        if (row != null && row.path("action").isNull()) {
            row.put("action", text(e, "action"));
        }
    }

    /** The action a request event's reason starts with ("delete on t needs …", "drop needs …"). */
    private static String actionOf(String reason) {
        if (reason == null) {
            return null;
        }
        int end = reason.indexOf(' ');
        return end <= 0 ? null : reason.substring(0, end);
    }

    /** The request's status from what the trail says: used up, denied, expired, approved (unused) or pending. */
    static String status(int flags) {
        if ((flags & CONSUMED) != 0) {
            return "consumed";
        }
        if ((flags & DENIED) != 0) {
            return "denied";
        }
        if ((flags & EXPIRED) != 0) {
            return "expired";
        }
        return (flags & APPROVED) != 0 ? "approved" : "pending";
    }

    /** Requests by status: each request counted once, under its last status. */
    long[] countsByStatus() {
        long[] counts = new long[STATUSES.size()];
        statuses.forEach(flags -> counts[STATUSES.indexOf(status(flags))]++);
        return counts;
    }

    /** True when {@code rule} is one the trail's approval events name as a request's approval rule. */
    boolean isApprovalRule(String rule) {
        return approvalRules.contains(rule);
    }

    /** True when the trail has approval events naming their rule. */
    boolean knowsApprovalRules() {
        return !approvalRules.isEmpty();
    }

    long requests() {
        return statuses.size();
    }

    /** The listed requests, each with its status. */
    ArrayNode rows() {
        ArrayNode out = JSON.arrayNode();
        for (Map.Entry<String, ObjectNode> r : rows.entrySet()) {
            ObjectNode row = r.getValue().deepCopy();
            row.put("status", status(statuses.get(r.getKey())));
            out.add(row);
        }
        return out;
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        return v == null || !v.isTextual() ? null : v.textValue();
    }

    /**
     * Status flags per request id, in an open-addressed table of longs: an id of the store's form
     * ({@code apr-} and 16 hex digits) is its own 64-bit key, any other id is hashed to one.
     */
    static final class StatusTable {
        private long[] keys = new long[1024];
        private byte[] values = new byte[1024];
        private boolean[] used = new boolean[1024];
        private int size;

        int size() {
            return size;
        }

        void or(String id, byte flag) {
            if (size * 2 >= keys.length) {
                grow();
            }
            int slot = slot(key(id));
            if (!used[slot]) {
                used[slot] = true;
                keys[slot] = key(id);
                size++;
            }
            values[slot] |= flag;
        }

        int get(String id) {
            int slot = slot(key(id));
            return used[slot] ? values[slot] : 0;
        }

        void forEach(java.util.function.IntConsumer action) {
            for (int i = 0; i < keys.length; i++) {
                if (used[i]) {
                    action.accept(values[i]);
                }
            }
        }

        private int slot(long key) {
            int mask = keys.length - 1;
            int i = (int) (mix(key) & mask);
            while (used[i] && keys[i] != key) {
                i = (i + 1) & mask;
            }
            return i;
        }

        private void grow() {
            long[] oldKeys = keys;
            byte[] oldValues = values;
            boolean[] oldUsed = used;
            keys = new long[oldKeys.length * 2];
            values = new byte[oldKeys.length * 2];
            used = new boolean[oldKeys.length * 2];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldUsed[i]) {
                    int slot = slot(oldKeys[i]);
                    used[slot] = true;
                    keys[slot] = oldKeys[i];
                    values[slot] = oldValues[i];
                }
            }
        }

        static long key(String id) {
            if (id.length() == 20 && id.startsWith("apr-")) {
                try {
                    return Long.parseUnsignedLong(id, 4, 20, 16);
                } catch (NumberFormatException notHex) {
                    // hashed below
                }
            }
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < id.length(); i++) {
                h = (h ^ id.charAt(i)) * 0x100000001b3L;
            }
            return h;
        }

        private static long mix(long k) {
            k ^= k >>> 33;
            k *= 0xff51afd7ed558ccdL;
            k ^= k >>> 33;
            return k;
        }
    }
}
