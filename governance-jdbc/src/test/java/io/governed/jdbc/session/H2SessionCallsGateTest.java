package io.governed.jdbc.session;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.UniqueNames;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * Connection.setSchema and setCatalog on H2 are judged as the statement the driver runs for them (SET SCHEMA "s"): a
 * policy that does not permit set refuses the call with 42501 before the session changes, audited as refused; one that
 * permits it lets the call run, audited as that statement. setCatalog, which H2 ignores, changes nothing either way.
 */
class H2SessionCallsGateTest {
    private static final String URL = "h2:mem:" + UniqueNames.of("api_session_calls") + ";DB_CLOSE_DELAY=-1";
    private final String sink = UniqueNames.of("api_session_calls_sink");

    @TempDir
    Path dir;
    private Connection keeper;

    @BeforeEach
    void schemas() throws SQLException {
        keeper = DriverManager.getConnection("jdbc:" + URL, "sa", "");
        try (Statement s = keeper.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS SECRET");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Statement s = keeper.createStatement()) {
            s.execute("DROP SCHEMA SECRET CASCADE");
        }
        keeper.close();
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
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        p.setProperty("governed.audit", "memory:" + sink);
        return DriverManager.getConnection("jdbc:governed:" + URL, p);
    }

    private List<AuditEvent> events(Connection c) throws SQLException {
        c.unwrap(GovernedConnection.class).governance().flushAudit();
        return MemorySink.named(sink).events();
    }

    @Test
    void setSchemaIsRefusedWhereSetIs() throws Exception {
        try (Connection c = governed("select")) {
            assertThatThrownBy(() -> c.setSchema("SECRET"))
                    .isInstanceOf(GovernanceException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            assertThat(c.getSchema()).as("the session is where it was").isEqualTo("PUBLIC");
            assertThat(events(c)).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("set");
                assertThat(e.decision().name()).isEqualTo("DENY");
            });
        }
    }

    @Test
    void setSchemaRunsWhereSetIsPermitted() throws Exception {
        try (Connection c = governed("select, set")) {
            c.setSchema("SECRET");
            assertThat(c.getSchema()).isEqualTo("SECRET");
            assertThat(events(c)).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("set");
                assertThat(e.statement()).contains("SECRET");
                assertThat(e.decision().name()).isEqualTo("ALLOW");
            });
        }
    }

    @Test
    void aSchemaNameIsOneName() throws Exception {
        try (Connection c = governed("select, set")) {
            assertThatThrownBy(() -> c.setSchema("SECRET\"; DROP SCHEMA SECRET CASCADE; --"))
                    .isInstanceOf(SQLException.class);
            assertThat(c.getSchema()).isEqualTo("PUBLIC");
        }
        try (Statement s = keeper.createStatement()) {
            assertThat(s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME = 'SECRET'")
                    .next()).isTrue();
        }
    }

    @Test
    void aNullSchemaIsRefusedSayingSo() throws Exception {
        try (Connection c = governed("select, set")) {
            assertThatThrownBy(() -> c.setSchema(null)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("22004");
                assertThat(e.getMessage()).contains("schema name is null");
            });
            assertThat(c.getSchema()).isEqualTo("PUBLIC");
        }
    }

    @Test
    void setCatalogChangesNothingOnH2() throws Exception {
        try (Connection c = governed("select")) {
            String before = c.getCatalog();
            c.setCatalog("ELSEWHERE");
            assertThat(c.getCatalog()).isEqualTo(before);
        }
    }
}
