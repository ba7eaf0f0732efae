package io.governed.examples.agent;

import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.masking.Detokenizer;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The scripted support conversation, as the model, the user and the auditor see it. */
class AgentDemoTest {
    private static final List<String> PRO_EMAILS = List.of("ada@corp.test", "cy@corp.test");

    @Test
    void theModelSeesTokensTheUserSeesValuesAndTheRefusedDeleteChangesNothing() throws SQLException {
        AgentDemo.Outcome outcome = AgentDemo.run();

        assertThat(String.join("\n", outcome.modelSaw())).as("no e-mail address reached the model")
                .doesNotContain(PRO_EMAILS.get(0), PRO_EMAILS.get(1), "bo@corp.test")
                .contains("REFUSED (SQLState 42501)").contains("agents-never-delete")
                .containsPattern("tok_[0-9a-f]{16}@example\\.invalid");
        assertThat(outcome.modelAnswer()).doesNotContain("@corp.test").containsPattern("tok_[0-9a-f]{16}@example\\.invalid");
        assertThat(outcome.userAnswer()).isEqualTo("The pro customers are: ada@corp.test, cy@corp.test");
        assertThat(outcome.customers()).as("the refused DELETE never ran").isEqualTo(3);

        List<AuditEvent> trail = outcome.audit();
        assertThat(trail).filteredOn(e -> "delete".equals(e.action())).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(AuditDecision.DENY);
            assertThat(e.principal()).isEqualTo("support-agent");
            assertThat(e.onBehalfOf()).isEqualTo("lee");
            assertThat(e.purpose()).isEqualTo("support");
        });
        assertThat(trail).filteredOn(e -> "select".equals(e.action())).singleElement()
                .satisfies(e -> assertThat(e.maskedColumns()).isNotEmpty());
        assertThat(trail).filteredOn(e -> Detokenizer.ACTION.equals(e.action())).hasSize(2)
                .allSatisfy(e -> {
                    assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
                    assertThat(e.principal()).isEqualTo("lee");
                });
    }
}
