package io.governed.jdbc.approval;

import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code governed.approvals} and {@code governed.approvals.wait} on a {@code jdbc:governed:} connection. */
class ApprovalSettingsTest {
    @TempDir
    Path dir;

    private final String database = "h2:mem:approvals-settings-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final String store = "jdbc:" + database + "#table=approvals_settings";

    private Properties settings() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                rules: [{ id: all, effect: permit, actions: ["*"] }]
                approvals: [{ id: drops, actions: [drop], approvers: { groups: [dba] }, ttl: 1h }]
                """);
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "dora");
        p.setProperty("governed.approvals", store);
        p.setProperty("governed.approvals.user", "sa");
        p.setProperty("governed.approvals.password", "");
        p.setProperty("governed.audit", "memory");
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        return p;
    }

    @Test
    void aConnectionKeepsItsRequestsInTheStoreTheSettingNames() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:governed:" + database, settings()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE approvals_scratch (id INT)");
            ApprovalPendingException pending = catchThrowableOfType(ApprovalPendingException.class,
                    () -> s.execute("DROP TABLE approvals_scratch"));
            JdbcApprovalStore other = new JdbcApprovalStore("jdbc:" + database, "sa", "", "approvals_settings", java.time.Clock.systemUTC());
            assertThat(other.find(pending.approvalRequestId()).orElseThrow().statement()).isEqualTo("DROP TABLE approvals_scratch");
            other.approve(pending.approvalRequestId(), Identity.builder("dan").groups("dba").build());
            s.execute("DROP TABLE approvals_scratch");
        }
    }

    @Test
    void anUnknownStoreIsAConfigurationError() throws Exception {
        Properties p = settings();
        p.setProperty("governed.approvals", "redis://cache:6379");
        SQLException e = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection("jdbc:governed:" + database, p));
        assertThat(e.getSQLState()).isEqualTo("08001");
        assertThat(e.getMessage()).contains("the approval store 'redis://cache:6379' is not one Governed JDBC knows: use memory");
    }

    @Test
    void aStoreThroughTheGovernedDriverIsRefused() throws Exception {
        Properties p = settings();
        p.setProperty("governed.approvals", "jdbc:governed:" + database);
        SQLException e = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection("jdbc:governed:" + database, p));
        assertThat(e.getSQLState()).isEqualTo("08001");
        assertThat(e.getMessage()).contains("goes through the governed driver");
    }
}
