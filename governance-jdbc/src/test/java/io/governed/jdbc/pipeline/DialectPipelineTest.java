package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A connection passes its statements through the pipeline of its database's dialect: the stages whose every hook
 * returns at once there (statements prepared by name and the session's role on H2, fresh readings on MariaDB and H2
 * under a policy that limits no one; on PostgreSQL any caller's definition is judged on fresh user code) are not entered, and what the statements do and record is the same.
 */
class DialectPipelineTest {
    private static final Identity ALICE = Identity.builder("alice").groups("analysts").build();

    private static List<String> names(List<Class<?>> classes) {
        return classes.stream().map(c -> c.getName().substring(c.getName().lastIndexOf('.') + 1)).toList();
    }

    @Test
    void anH2PipelineLeavesOutTheStagesOfNamesPreparedByNameAndOfTheSessionsRole() {
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).defaultIdentity(ALICE).build();
        StatementPipeline h2 = governance.pipeline().on(Dialect.H2);
        StatementPipeline postgres = governance.pipeline().on(Dialect.POSTGRESQL);

        assertThat(names(postgres.enteringStages())).containsExactly("IdentityStage", "WrapperRefusalStage",
                "BatchIdentityStage", "SessionRoleStage", "SessionLeftoversStage", "FreshReadingStage", "PreparedNamesStage",
                "DecisionStage", "SessionStage", "SessionRoleStage$BeforeRun", "SessionLeftoversStage$BeforeRun",
                "PreparedNamesStage$BeforeRun", "AuditStage");
        assertThat(names(h2.enteringStages())).containsExactly("IdentityStage", "WrapperRefusalStage",
                "BatchIdentityStage", "SessionLeftoversStage", "DecisionStage", "SessionStage",
                "SessionLeftoversStage$BeforeRun", "AuditStage");
        assertThat(names(governance.pipeline().on(Dialect.H2_LOWER_CASE).enteringStages()))
                .isEqualTo(names(h2.enteringStages()));
        assertThat(names(postgres.completingStages())).containsExactly("SessionRoleStage", "SessionLeftoversStage",
                "PreparedNamesStage", "SessionStage", "AuditStage");
        // what a DISCARD ALL leaves is recorded as it completes on PostgreSQL alone: elsewhere its completion is not entered
        assertThat(names(h2.completingStages())).containsExactly("SessionStage", "AuditStage");
        assertThat(names(governance.pipeline().on(Dialect.MARIADB).completingStages()))
                .containsExactly("SessionRoleStage", "PreparedNamesStage", "SessionStage", "AuditStage");
        // the stages in order stay those of every dialect
        assertThat(h2.stages()).isEqualTo(governance.pipeline().stages());
    }

    @Test
    void aDialectsPipelineHasNoPipelinesOfItsOwn() {
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).defaultIdentity(ALICE).build();
        assertThat(governance.pipeline().on(Dialect.MARIADB)).isSameAs(governance.pipeline().on(Dialect.MARIADB));
        assertThatThrownBy(() -> governance.pipeline().on(Dialect.H2).on(Dialect.H2))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void resultsEnterTheMaskingStageOnlyWhereAMaskInForceOrObservedCouldApply() {
        Governance masked = Governance.builder().policy(PolicyLoader.fromString("masked.yaml", """
                version: 1
                classification: { tags: { pii.ssn: ["*.ssn"] } }
                rules: [{ id: all, effect: permit, actions: ["*"] }]
                masks: [{ id: mask-ssn, columns: { tags: [pii.ssn] }, function: redact, unless: { groups: [pii-readers] } }]
                """)).defaultIdentity(ALICE).build();
        Governance observed = Governance.builder().policy(PolicyLoader.fromString("observed.yaml", """
                version: 1
                classification: { tags: { pii.ssn: ["*.ssn"] } }
                rules: [{ id: all, effect: permit, actions: ["*"] }]
                masks: [{ id: mask-ssn, columns: { tags: [pii.ssn] }, function: redact, enforcement: observe }]
                """)).defaultIdentity(ALICE).build();
        Governance baseline = Governance.builder().policy(PolicyLoader.baseline()).defaultIdentity(ALICE).build();

        for (Dialect dialect : List.of(Dialect.POSTGRESQL, Dialect.MARIADB, Dialect.H2, Dialect.SQLSERVER)) {
            assertThat(masked.pipeline().on(dialect).openingStages()).contains(MaskingStage.class);
            assertThat(observed.pipeline().on(dialect).openingStages()).contains(MaskingStage.class);
            // no mask in force or observed: every result is handed out as it came, no stage is entered for it
            assertThat(baseline.pipeline().on(dialect).openingStages()).doesNotContain(MaskingStage.class);
        }
        assertThat(baseline.pipeline().stages()).hasAtLeastOneElementOfType(MaskingStage.class);
    }

    @Test
    void freshReadingsAreEnteredWhereAPolicyMayLimitSomeone() {
        Governance masked = Governance.builder().policy(PolicyLoader.fromString("masked.yaml", """
                version: 1
                classification: { tags: { pii.ssn: ["*.ssn"] } }
                rules: [{ id: all, effect: permit, actions: ["*"] }]
                masks: [{ id: mask-ssn, columns: { tags: [pii.ssn] }, function: redact, unless: { groups: [pii-readers] } }]
                """)).defaultIdentity(ALICE).build();
        Governance limited = Governance.builder().policy(PolicyLoader.fromString("limited.yaml", """
                version: 1
                rules: [{ id: all, effect: permit, actions: ["*"] }]
                limits: [{ id: agents, principals: { kinds: [agent] }, max-rows: 10 }]
                """)).defaultIdentity(ALICE).build();
        Governance baseline = Governance.builder().policy(PolicyLoader.baseline()).defaultIdentity(ALICE).build();

        for (Dialect dialect : List.of(Dialect.POSTGRESQL, Dialect.MARIADB, Dialect.H2)) {
            assertThat(masked.pipeline().on(dialect).enteringStages()).contains(FreshReadingStage.class);
            assertThat(limited.pipeline().on(dialect).enteringStages()).contains(FreshReadingStage.class);
        }
        // on PostgreSQL every caller's definition, alteration or drop is judged on user code read as it runs
        assertThat(baseline.pipeline().on(Dialect.POSTGRESQL).enteringStages()).contains(FreshReadingStage.class);
        for (Dialect dialect : List.of(Dialect.MARIADB, Dialect.H2, Dialect.H2_LOWER_CASE)) {
            assertThat(baseline.pipeline().on(dialect).enteringStages()).doesNotContain(FreshReadingStage.class);
        }
        assertThat(masked.pipeline().on(Dialect.SQLSERVER).enteringStages()).doesNotContain(FreshReadingStage.class);
        assertThat(masked.pipeline().stages()).hasAtLeastOneElementOfType(FreshReadingStage.class);
    }

    @Test
    void anH2ConnectionUsesItsDialectsPipelineAndItsKeptStatementRunsAndIsRecordedAsBefore() throws SQLException {
        MemorySink sink = MemorySink.named("pt_dialect-" + UUID.randomUUID());
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:pt_dialect_" + UUID.randomUUID().toString().replace('-', '_') + ";DB_CLOSE_DELAY=-1");
        try (Connection raw = h2.getConnection()) {
            try (Statement s = raw.createStatement()) {
                s.execute("CREATE TABLE pt_items(id INT PRIMARY KEY, name VARCHAR(40))");
                s.execute("INSERT INTO pt_items VALUES (1, 'one'), (2, 'two')");
            }
            Governance governance = Governance.builder().policy(PolicyLoader.baseline()).audit(dispatcher)
                    .defaultIdentity(ALICE).build();
            try (Connection c = new GovernedDataSource(h2, governance).getConnection();
                 PreparedStatement kept = c.prepareStatement("SELECT name FROM pt_items WHERE id = ?")) {
                assertThat(c.unwrap(GovernedConnection.class).pipeline()).isSameAs(governance.pipeline().on(Dialect.H2));
                for (int id = 1; id <= 2; id++) {
                    kept.setInt(1, id);
                    try (ResultSet rs = kept.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo(id == 1 ? "one" : "two");
                        assertThat(rs.getObject("name")).isEqualTo(id == 1 ? "one" : "two");
                        assertThat(rs.next()).isFalse();
                    }
                }
            }
            assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
            List<AuditEvent> selects = sink.events().stream().filter(e -> "select".equals(e.action())).toList();
            assertThat(selects).hasSize(2).allSatisfy(e -> {
                assertThat(e.principal()).isEqualTo("alice");
                assertThat(e.rows()).isEqualTo(1L);
            });
        } finally {
            dispatcher.close();
            try (Connection raw = h2.getConnection(); Statement s = raw.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
    }
}
