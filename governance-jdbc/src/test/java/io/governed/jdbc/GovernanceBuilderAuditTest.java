package io.governed.jdbc;

import io.governed.identity.Identity;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.AuditSink;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.config.GovernedSettings;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code Governance.builder()} audits by default exactly as the settings path does when no
 * {@code governed.audit} is set (the SLF4J sink, the default audit settings, one shared dispatcher),
 * and audits nothing only when told to with {@code withoutAudit()}.
 */
class GovernanceBuilderAuditTest {

    @Test
    void aBuilderThatNamesNoAuditAuditsToTheSameSlf4jTrailAsTheSettingsPath() throws SQLException {
        Governance built = Governance.builder().defaultIdentity(Identity.human("alice")).build();
        Governance fromSettings = Governance.fromSettings(GovernedSettings.of(new Properties()), Identity.human("alice"));

        assertThat(built.audit().audits()).as("statements are audited").isTrue();
        AuditDispatcher dispatcher = built.audit().dispatcher();
        assertThat(dispatcher).as("the dispatcher the settings path uses when governed.audit is not set")
                .isSameAs(fromSettings.audit().dispatcher());
        assertThat(dispatcher.sinks()).extracting(AuditSink::describe).containsExactly("slf4j");
        assertThat(dispatcher.settings()).isEqualTo(AuditSettings.defaults());
    }

    @Test
    void aBuilderThatNamesNoAuditHandsEveryStatementToItsDispatcher() throws SQLException {
        Governance built = Governance.builder().policy(PolicyLoader.baseline()).defaultIdentity(Identity.human("alice")).build();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:builder-audit-" + UUID.randomUUID());
        try (Connection c = new GovernedDataSource(h2, built).getConnection();
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            assertThatThrownBy(() -> s.execute("DROP TABLE nothing_here")).isInstanceOf(GovernanceException.class);
        }
        assertThat(built.audit().dispatcher().flush(Duration.ofSeconds(5))).as("its events were written").isTrue();
    }

    @Test
    void withoutAuditAuditsNothing() throws SQLException {
        MemorySink sink = MemorySink.named("builder-without-audit-" + UUID.randomUUID());
        AuditDispatcher unused = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
        try {
            Governance governance = Governance.builder().audit(unused).withoutAudit()
                    .defaultIdentity(Identity.human("alice")).build();
            assertThat(governance.audit().audits()).isFalse();
            assertThat(governance.audit().dispatcher()).isNull();
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:builder-no-audit-" + UUID.randomUUID());
            try (Connection c = new GovernedDataSource(h2, governance).getConnection();
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            assertThat(unused.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(sink.events()).as("the last choice wins: no audit").isEmpty();
        } finally {
            unused.close();
        }
    }

    @Test
    void anAuditOfNullIsAMistakeThatSaysHowToTurnAuditOff() {
        assertThatThrownBy(() -> Governance.builder().audit(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("withoutAudit()");
    }
}
