package io.governed.jdbc.session;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * Connection.setSchema on PostgreSQL is judged as SET search_path: refused with 42501 where set is not permitted, the
 * search path unchanged; run and audited as that SET where it is. setCatalog, which pgjdbc ignores, changes nothing.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresSessionCallsGateIT {
    private static final String SCHEMA = UniqueNames.of("api_sc");

    @TempDir
    static Path dir;
    private final String sink = UniqueNames.of("api_sc_sink");

    @BeforeAll
    static void schemas() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @AfterEach
    void clear() {
        MemorySink.named(sink).clear();
    }

    private Connection governed(String actions) throws Exception {
        Path policy = dir.resolve("p-" + actions.replaceAll("\\W", "") + ".yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                rules:
                  - id: reader
                    effect: permit
                    actions: [%s]
                """.formatted(actions));
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.POSTGRESQL.user());
        p.setProperty("password", TestDatabase.POSTGRESQL.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        p.setProperty("governed.audit", "memory:" + sink);
        return DriverManager.getConnection(TestDatabase.POSTGRESQL.governedUrl(), p);
    }

    private static String searchPath(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW search_path")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<AuditEvent> events(Connection c) throws SQLException {
        c.unwrap(GovernedConnection.class).governance().flushAudit();
        return MemorySink.named(sink).events();
    }

    @Test
    void setSchemaIsRefusedWhereSetIs() throws Exception {
        try (Connection c = governed("select, show")) {
            String before = searchPath(c);
            assertThatThrownBy(() -> c.setSchema(SCHEMA))
                    .isInstanceOf(GovernanceException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            assertThat(searchPath(c)).isEqualTo(before);
            assertThatThrownBy(() -> c.setSchema(null)).isInstanceOf(GovernanceException.class);
            assertThat(events(c)).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("set");
                assertThat(e.decision().name()).isEqualTo("DENY");
            });
        }
    }

    @Test
    void setSchemaRunsWhereSetIsPermitted() throws Exception {
        try (Connection c = governed("select, show, set")) {
            c.setSchema(SCHEMA);
            assertThat(c.getSchema()).isEqualTo(SCHEMA);
            assertThat(events(c)).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("set");
                assertThat(e.statement()).contains(SCHEMA);
                assertThat(e.decision().name()).isEqualTo("ALLOW");
            });
            c.setSchema(null);
            assertThat(c.getSchema()).isEqualTo("public");
        }
    }

    @Test
    void setCatalogChangesNothing() throws Exception {
        try (Connection c = governed("select, show")) {
            String before = c.getCatalog();
            c.setCatalog("postgres");
            assertThat(c.getCatalog()).isEqualTo(before);
        }
    }
}
