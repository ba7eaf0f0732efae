package io.governed.jdbc.audit;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The {@code jdbc:} audit sink's table, in the database the application's own governed connections reach, under a
 * policy that permits everything on every table: the audited identity must not erase or rewrite its own trail (or
 * read everyone's) through {@code jdbc:governed:}.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresAuditTableIT {
    private static final TestDatabase DB = TestDatabase.POSTGRESQL;
    private static final String TABLE = "audit_table_it";

    private static long auditRows() throws SQLException {
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theAuditedIdentityCanNeitherEraseNorRewriteNorReadTheAuditTable() throws Exception {
        DB.requireReachable();
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
        PGSimpleDataSource raw = new PGSimpleDataSource();
        raw.setUrl(DB.rawUrl());
        raw.setUser(DB.user());
        AuditDispatcher audit = AuditDispatcher.start(List.of(new JdbcSink(DB.rawUrl() + "&user=" + DB.user(), TABLE)),
                AuditSettings.defaults());
        Governance governance = Governance.builder()
                .policy(PolicyLoader.fromString("all.yaml", """
                        version: 1
                        rules:
                          - { id: everything, effect: permit, actions: ["*"], resources: ["*"] }
                        """))
                .defaultIdentity(Identity.builder("mallory").build()).audit(audit).build();
        GovernedDataSource governed = new GovernedDataSource(raw, governance);
        try (Connection c = governed.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1").close();
            audit.flush(java.time.Duration.ofSeconds(10));
            long before = auditRows();
            assertThat(before).isPositive();
            for (String sql : List.of("DELETE FROM " + TABLE, "UPDATE public." + TABLE.toUpperCase() + " SET principal = 'alice'",
                    "SELECT event FROM " + TABLE, "TRUNCATE " + TABLE, "DROP TABLE " + TABLE)) {
                GovernanceException refused = catchThrowableOfType(GovernanceException.class, () -> s.execute(sql));
                assertThat((Throwable) refused).as(sql).isNotNull();
                assertThat(refused.getSQLState()).as(sql).isEqualTo(GovernanceException.SQLSTATE_DENIED);
            }
            audit.flush(java.time.Duration.ofSeconds(10));
            assertThat(auditRows()).as("the trail, with the refusals added").isGreaterThan(before);
        } finally {
            audit.close();
        }
    }
}
