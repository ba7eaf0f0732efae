package io.governed.spring.boot;

import io.governed.jdbc.config.GovernedSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class GovernedPropertiesApprovalsTest {

    @Test
    void theApprovalPropertiesBecomeTheDriversApprovalSettings() throws Exception {
        GovernedProperties properties = new GovernedProperties();
        GovernedProperties.Approvals approvals = properties.getApprovals();
        approvals.setStore("jdbc:postgresql://db/ops#table=app_approvals");
        approvals.setUser("approvals");
        approvals.setPassword("pw");
        approvals.setWait("30s");
        approvals.setNotify(List.of("webhook:https://ops.example.com/a", "slack:https://hooks.slack.com/services/x"));
        approvals.setNotifySecret("key");
        Properties p = properties.toDriverProperties();
        assertThat(p).containsEntry("governed.approvals", "jdbc:postgresql://db/ops#table=app_approvals")
                .containsEntry("governed.approvals.user", "approvals")
                .containsEntry("governed.approvals.password", "pw")
                .containsEntry("governed.approvals.wait", "30s")
                .containsEntry("governed.approvals.notify", "webhook:https://ops.example.com/a,slack:https://hooks.slack.com/services/x")
                .containsEntry("governed.approvals.notify.secret", "key");
        assertThat(GovernedSettings.of(p).asMap()).as("every key is one the driver knows").hasSize(6);
    }
}
