package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.approval.ApprovalRequest;
import io.governed.policy.approval.ApprovalStore;
import io.governed.policy.model.ApprovalRule;
import io.governed.sql.SqlAnalysis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds back permitted statements that a policy's {@code approvals} cover until they are approved,
 * and uses up one approval per execution.
 */
final class ApprovalCheck {

    /**
     * What the check found: the approvals consumed, or those still lacking and the first request the
     * statement waits for (every lacking one is recorded, so approvers see them all at once).
     */
    record Outcome(List<String> approvalIds, ApprovalRequest pending) {
    }

    private final List<ApprovalRule> approvals;
    private final ApprovalStore store;
    private final Clock clock;

    ApprovalCheck(List<ApprovalRule> approvals, ApprovalStore store, Clock clock) {
        this.approvals = approvals;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Checks a permitted statement: {@code null} when no approval covers it; otherwise the approvals
     * consumed, or only found when {@code consume} is false (when every one needed was given), or
     * the first request still waiting.
     */
    Outcome check(Identity identity, SqlAnalysis analysis, List<Access> accesses, String defaultSchema, boolean consume) {
        if (approvals.isEmpty()) {
            return null;
        }
        Map<String, ApprovalRequest> needed = new LinkedHashMap<>();
        for (ApprovalRule approval : approvals) {
            for (Access access : accesses) {
                if (approval.covers(access.action(), access.table(), defaultSchema, analysis.dialect())) {
                    ApprovalRequest request = request(identity, analysis, approval, access);
                    needed.put(request.id(), request);
                    break;
                }
            }
        }
        if (needed.isEmpty()) {
            return null;
        }
        List<String> ids = new ArrayList<>(needed.keySet());
        List<String> lacking = consume ? store.consume(ids) : store.lacking(ids);
        if (lacking.isEmpty()) {
            return new Outcome(needed.values().stream().map(ApprovalRequest::approvalId).toList(), null);
        }
        List<ApprovalRequest> waiting = lacking.stream().map(id -> store.request(needed.get(id))).toList();
        return new Outcome(waiting.stream().map(ApprovalRequest::approvalId).toList(), waiting.get(0));
    }

    /** Whether any approval entry covers one of {@code accesses}: then decisions on them use up approvals. */
    boolean coversAny(List<Access> accesses, String defaultSchema, io.governed.sql.Dialect dialect) {
        for (ApprovalRule approval : approvals) {
            for (Access access : accesses) {
                if (approval.covers(access.action(), access.table(), defaultSchema, dialect)) {
                    return true;
                }
            }
        }
        return false;
    }

    private ApprovalRequest request(Identity identity, SqlAnalysis analysis, ApprovalRule approval, Access access) {
        String id = ApprovalRequest.idFor(identity, analysis.fingerprint(), approval.id());
        String onBehalfOf = identity.onBehalfOf() == null ? null : identity.onBehalfOf().principal();
        return new ApprovalRequest(id, approval.id(), identity.principal(), onBehalfOf, analysis.fingerprint(),
                access.describe(), approval.approvers(), approval.ttl(), clock.instant());
    }
}
