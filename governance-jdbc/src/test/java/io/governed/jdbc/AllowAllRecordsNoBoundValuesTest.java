package io.governed.jdbc;

import io.governed.jdbc.gate.DecisionFunction;
import io.governed.policy.Decision;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prepared statements note their bound values only when a decision may need them (an approval bound to them, a row
 * filter's check, a masked value written back). {@link DecisionFunction#ALLOW_ALL} allows every statement and never asks
 * for an approval, so its statements note nothing; any other function not the policy engine's may ask for one, so its
 * statements still do (fail closed).
 */
class AllowAllRecordsNoBoundValuesTest {

    @Test
    void allowAllNeedsNoApprovalAndRecordsNoValues() {
        Governance governance = Governance.builder().decisionFunction(DecisionFunction.ALLOW_ALL).withoutAudit().build();
        assertThat(governance.mayNeedApprovals()).isFalse();
        assertThat(governance.recordsBoundValues()).isFalse();
    }

    @Test
    void anotherFunctionMayNeedApprovalsAndRecordsValues() {
        DecisionFunction pending = request -> Decision.pendingApproval(List.of("r"), "needs approval", "apr-1");
        Governance governance = Governance.builder().decisionFunction(pending).withoutAudit().build();
        assertThat(governance.mayNeedApprovals()).isTrue();
        assertThat(governance.recordsBoundValues()).isTrue();
    }

    @Test
    void theBaselinePolicyRecordsNoValues() {
        Governance governance = Governance.builder().withoutAudit().build();
        assertThat(governance.mayNeedApprovals()).isFalse();
        assertThat(governance.recordsBoundValues()).isFalse();
    }
}
