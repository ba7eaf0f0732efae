package io.governed.jdbc.limits;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On PostgreSQL through pgjdbc: a limit's {@code statement-timeout} cancels an agent's long statement
 * (pg_sleep) that the application gave no timeout, an application's shorter timeout still wins, and
 * a result read through a server-side cursor ends at {@code max-rows}.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresLimitsIT {
    private static final Identity AGENT = Identity.builder("sql-agent").kind(IdentityKind.AGENT).build();
    private static final Identity HUMAN = Identity.human("alice");

    private final String table = UniqueNames.of("agents_limits");
    private final MemorySink sink = MemorySink.named("pg-limits-" + UUID.randomUUID());
    private Connection raw;
    private AuditDispatcher dispatcher;
    private GovernedDataSource governed;

    @BeforeEach
    void database() throws SQLException {
        raw = TestDatabase.POSTGRESQL.connectRaw();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, name text)");
            s.execute("INSERT INTO " + table + " SELECT g, 'item ' || g FROM generate_series(1, 50) g");
        }
        String policy = String.join("\n",
                "version: 1",
                "default: deny",
                "rules:",
                "  - id: everyone-reads",
                "    effect: permit",
                "    actions: [select, call]",
                "    resources: [\"*\"]",
                "limits:",
                "  - id: agent-bounds",
                "    principals: { kinds: [agent] }",
                "    statement-timeout: 1s",
                "    max-rows: 10",
                "  - id: human-bounds",
                "    principals: { names: [alice] }",
                "    statement-timeout: 30s",
                "");
        dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(TestDatabase.POSTGRESQL.rawUrl());
        pg.setUser(TestDatabase.POSTGRESQL.user());
        governed = new GovernedDataSource(pg, Governance.builder().audit(dispatcher)
                .policy(PolicyLoader.fromString("pg-limits.yaml", policy)).build());
    }

    @AfterEach
    void close() throws SQLException {
        dispatcher.close();
        try (Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
        raw.close();
    }

    private static void as(Identity identity, IdentityContext.VoidWork<SQLException> work) throws SQLException {
        IdentityContext.runAs(identity, work);
    }

    @Test
    void anAgentsLongStatementIsCancelledAtTheLimitsTimeoutAndTheAuditNamesTheLimit() throws SQLException {
        as(AGENT, () -> {
            try (Connection c = governed.getConnection(); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeQuery("SELECT pg_sleep(20) FROM " + table + " WHERE id = 1"))
                        .isInstanceOf(SQLException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57014");
                assertThat(s.getQueryTimeout()).as("the application set none").isZero();
            }
        });
        assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(sink.events()).filteredOn(e -> "select".equals(e.action())).singleElement().satisfies((AuditEvent e) -> {
            assertThat(e.decision()).isEqualTo(AuditDecision.ERROR);
            assertThat(e.rules()).contains("agent-bounds");
            assertThat(e.reason()).contains("statement-timeout");
        });
    }

    @Test
    void anApplicationsShorterTimeoutStillWins() throws SQLException {
        as(HUMAN, () -> {
            try (Connection c = governed.getConnection(); Statement s = c.createStatement()) {
                s.setQueryTimeout(1);
                assertThatThrownBy(() -> s.executeQuery("SELECT pg_sleep(20) FROM " + table + " WHERE id = 1"))
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57014");
            }
        });
        assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(sink.events()).filteredOn(e -> "select".equals(e.action())).singleElement()
                .satisfies((AuditEvent e) -> assertThat(e.rules()).as("the application's timeout bit, not the limit's")
                        .doesNotContain("human-bounds"));
    }

    @Test
    void aResultReadThroughACursorEndsAtMaxRows() throws SQLException {
        as(AGENT, () -> {
            try (Connection c = governed.getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.setFetchSize(3);
                    try (ResultSet rs = s.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
                        int read = 0;
                        while (rs.next()) {
                            read++;
                            assertThat(rs.getInt(1)).isEqualTo(read);
                        }
                        assertThat(read).isEqualTo(10);
                        assertThat(rs.getWarnings().getSQLState()).isEqualTo("01004");
                    }
                }
                c.commit();
            }
        });
    }
}
