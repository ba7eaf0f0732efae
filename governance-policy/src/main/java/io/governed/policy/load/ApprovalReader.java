package io.governed.policy.load;

import io.governed.policy.model.ApprovalRule;
import io.governed.policy.model.Approvers;
import io.governed.policy.pattern.TablePattern;
import io.governed.settings.Quantities;
import io.governed.sql.Action;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Reads one entry of {@code approvals}. */
final class ApprovalReader {

    static final List<String> KEYS = List.of("id", "actions", "resources", "approvers", "ttl");

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
        Duration ttl = ttlText == null ? null : ttl(ttlText, fields, context, problems);
        if (id == null || actions.isEmpty() || resources == null || approvers == null || ttl == null) {
            return null;
        }
        return new ApprovalRule(id, actions, resources, approvers, ttl);
    }

    /** How long an approval stays usable, longer than 0; {@code null} and a problem when it is not that. */
    private static Duration ttl(String text, Fields fields, String context, Problems problems) {
        String what = "'ttl' in " + context;
        try {
            Duration ttl = Quantities.parseDuration(what, text);
            if (!ttl.isZero()) {
                return ttl;
            }
            problems.add(fields.valuePosition("ttl"), what + " is 0: an approval must stay usable for a while, like 30m, 1h or 1d");
        } catch (IllegalArgumentException e) {
            problems.add(fields.valuePosition("ttl"), e.getMessage());
        }
        return null;
    }
}
