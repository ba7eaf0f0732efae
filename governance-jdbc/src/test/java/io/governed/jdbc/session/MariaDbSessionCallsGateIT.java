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
 * Connection.setCatalog on MariaDB is judged as the USE the driver sends for it: refused with 42501 where use is not
 * permitted, the current database unchanged; run and audited as USE where it is. setSchema, which the driver ignores
 * (useCatalogTerm=Schema is refused at connect), changes nothing.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbSessionCallsGateIT {
    private static final String OTHER = UniqueNames.of("api_sc_other");
    private static final String OTHER_B = UniqueNames.of("api_sc_other_b");
    private static final String URL = "jdbc:governed:mariadb://127.0.0.1:3306/" + OTHER + "?connectTimeout=5000";

    @TempDir
    static Path dir;
    private final String sink = UniqueNames.of("api_sc_sink");

    @BeforeAll
    static void databases() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + OTHER);
            s.execute("CREATE DATABASE " + OTHER_B);
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + OTHER);
            s.execute("DROP DATABASE IF EXISTS " + OTHER_B);
        }
    }

    @AfterEach
    void clear() {
        MemorySink.named(sink).clear();
    }

    private Connection governed(String actions, String urlSuffix) throws Exception {
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
        p.setProperty("user", TestDatabase.MARIADB.user());
        p.setProperty("password", TestDatabase.MARIADB.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        p.setProperty("governed.audit", "memory:" + sink);
        return DriverManager.getConnection(URL + urlSuffix, p);
    }

    private static String database(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<AuditEvent> events(Connection c) throws SQLException {
        c.unwrap(GovernedConnection.class).governance().flushAudit();
        return MemorySink.named(sink).events();
    }

    @Test
    void setCatalogIsRefusedWhereUseIs() throws Exception {
        try (Connection c = governed("select", "")) {
            assertThatThrownBy(() -> c.setCatalog(OTHER_B))
                    .isInstanceOf(GovernanceException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            assertThat(database(c)).isEqualTo(OTHER);
            assertThat(events(c)).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("use");
                assertThat(e.decision().name()).isEqualTo("DENY");
            });
        }
    }

    @Test
    void setCatalogRunsWhereUseIsPermitted() throws Exception {
        try (Connection c = governed("select, use", "")) {
            c.setCatalog(OTHER_B);
            assertThat(database(c)).isEqualTo(OTHER_B);
            assertThat(events(c)).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("use");
                assertThat(e.statement()).contains(OTHER_B);
                assertThat(e.decision().name()).isEqualTo("ALLOW");
            });
        }
    }

    @Test
    void setSchemaChangesNothing() throws Exception {
        try (Connection c = governed("select", "")) {
            c.setSchema(OTHER_B);
            assertThat(database(c)).isEqualTo(OTHER);
        }
    }

    @Test
    void aNameWithABackquoteIsOneName() throws Exception {
        try (Connection c = governed("select, use", "")) {
            assertThatThrownBy(() -> c.setCatalog(OTHER_B + "`; DROP DATABASE " + OTHER + "; --"))
                    .isInstanceOf(SQLException.class).isNotInstanceOf(GovernanceException.class);
            assertThat(database(c)).isEqualTo(OTHER);
        }
    }
}
