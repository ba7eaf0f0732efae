package io.governed.policy.load;

import io.governed.policy.model.ApprovalRule;
import io.governed.policy.model.ApprovalScope;
import io.governed.policy.model.Approvers;
import io.governed.policy.pattern.TablePattern;
import io.governed.settings.Quantities;
import io.governed.sql.Action;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Reads one entry of {@code approvals}. */
final class ApprovalReader {

    static final List<String> KEYS = List.of("id", "actions", "resources", "approvers", "ttl", "scope", "request-ttl");

    private ApprovalReader() {
    }

    /** The approval, or {@code null} when it has problems (all reported). */
    static ApprovalRule read(Node node, String context, Problems problems) {
        Fields fields = Fields.of(node, context, KEYS, problems);
        if (fields == null) {
            return null;
        }
        String id = fields.requiredText("id", "give the approval an id, like 'id: schema-change'");
        Set<Action> actions = Terms.requiredActions(fields, problems);
        List<TablePattern> resources = Terms.tablePatterns(fields, "resources", problems);
        Node approversNode = fields.required("approvers", "say who may approve, like 'approvers: { groups: [dba] }'");
        Approvers approvers = approversNode == null ? null
                : PrincipalReader.approvers(approversNode, "'approvers' of " + context, problems);
        String ttlText = fields.requiredText("ttl", "say how long an approval stays usable, like 'ttl: 1h'");
        Duration ttl = ttlText == null ? null : ttl("ttl", ttlText, fields, context, problems);
        String requestTtlText = fields.text("request-ttl");
        Duration requestTtl = requestTtlText == null ? ApprovalRule.DEFAULT_REQUEST_TTL
                : ttl("request-ttl", requestTtlText, fields, context, problems);
        ApprovalScope scope = scope(fields, context, problems);
        if (id == null || actions.isEmpty() || resources == null || approvers == null || ttl == null || requestTtl == null
                || scope == null) {
            return null;
        }
        return new ApprovalRule(id, actions, resources, approvers, ttl, scope, requestTtl);
    }

    /** What one approval allows: {@code exact} (the default) or {@code fingerprint}; {@code null} and a problem otherwise. */
    private static ApprovalScope scope(Fields fields, String context, Problems problems) {
        String text = fields.text("scope");
        if (text == null) {
            return fields.has("scope") ? null : ApprovalScope.EXACT;
        }
        try {
            return ApprovalScope.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(fields.valuePosition("scope"), "'scope' in " + context + " is '" + text
                    + "': use exact (one run of exactly the approved statement and values) or fingerprint (one run of any "
                    + "statement that differs from it only in literals and values)");
            return null;
        }
    }

    /** A duration longer than 0; {@code null} and a problem when it is not that. */
    private static Duration ttl(String key, String text, Fields fields, String context, Problems problems) {
        String what = "'" + key + "' in " + context;
        try {
            Duration ttl = Quantities.parseDuration(what, text);
            if (!ttl.isZero()) {
                return ttl;
            }
            problems.add(fields.valuePosition(key), what + " is 0: " + (key.equals("ttl")
                    ? "an approval must stay usable for a while, like 30m, 1h or 1d"
                    : "a request must wait for approvers a while, like 4h or 1d"));
        } catch (IllegalArgumentException e) {
            problems.add(fields.valuePosition(key), e.getMessage());
        }
        return null;
    }
}
