package io.governed.jdbc.unwrap;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.audit.StatementAudit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * The wrapped data source (a pool, whose connections are raw) is not handed out by
 * GovernedDataSource.unwrap unless unwrapping is allowed; the setting takes refuse or allow only.
 */
class DataSourceUnwrapTest {
    private final JdbcDataSource h2 = new JdbcDataSource();
    private final MemorySink sink = MemorySink.named("ds-unwrap-" + UUID.randomUUID());
    private final AuditDispatcher audit = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());

    DataSourceUnwrapTest() {
        h2.setURL("jdbc:h2:mem:ds_unwrap");
    }

    private GovernedDataSource governed(boolean allowUnwrap) {
        Governance governance = Governance.builder().defaultIdentity(Identity.human("ops"))
                .audit(audit).allowUnwrap(allowUnwrap).build();
        return new GovernedDataSource(h2, governance);
    }

    @AfterEach
    void closeAudit() {
        audit.close();
    }

    @Test
    void theWrappedDataSourceIsRefusedByDefault() throws SQLException {
        GovernedDataSource ds = governed(false);
        assertThat(ds.unwrap(DataSource.class)).isSameAs(ds);
        assertThat(ds.isWrapperFor(JdbcDataSource.class)).isFalse();
        assertThatThrownBy(() -> ds.unwrap(JdbcDataSource.class)).isInstanceOf(GovernanceException.class)
                .hasMessageContaining("governed.unwrap=allow")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
    }

    @Test
    void withUnwrapAllowedTheWrappedDataSourceIsHandedOutAndAudited() throws SQLException {
        GovernedDataSource ds = governed(true);
        assertThat(ds.isWrapperFor(JdbcDataSource.class)).isTrue();
        assertThat(ds.unwrap(JdbcDataSource.class)).isSameAs(h2);
        ds.governance().flushAudit();
        assertThat(sink.events()).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(StatementAudit.UNWRAP);
            assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
            assertThat(e.principal()).isEqualTo("ops");
            assertThat(e.reason()).isEqualTo("unwrapped to " + JdbcDataSource.class.getName());
        });
    }

    @Test
    void theSettingTakesRefuseOrAllowAndNothingElse() throws SQLException {
        Properties allow = new Properties();
        allow.setProperty("governed.unwrap", "ALLOW");
        assertThat(new GovernedDataSource(h2, allow).governance().unwrapAllowed()).isTrue();
        allow.setProperty("governed.unwrap", "refuse");
        assertThat(new GovernedDataSource(h2, allow).governance().unwrapAllowed()).isFalse();
        Properties typo = new Properties();
        typo.setProperty("governed.unwrap", "yes");
        typo.setProperty("governed.principal", "ops");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:governed:h2:mem:ds_unwrap", typo))
                .isInstanceOf(SQLException.class).hasMessageContaining("governed.unwrap").hasMessageContaining("allow or refuse")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    }
}
