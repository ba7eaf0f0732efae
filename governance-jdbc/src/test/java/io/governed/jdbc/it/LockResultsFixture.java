package io.governed.jdbc.it;

import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditEventJson;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database's lock functions under a policy with a mask ({@link MariaDbLockResultsIT}, {@link PostgresLockResultsIT}):
 * a table with a masked {@code ssn}, a governed connection whose audit events go to a memory sink, and the readings of
 * one value by several getters.
 */
abstract class LockResultsFixture {
    static final String SSN = "219-45-6789";
    final String table = UniqueNames.of("ll_people");
    final String sink = UniqueNames.of("ll_sink");
    final String lockName = UniqueNames.of("ll-lock-probe");

    @TempDir
    Path dir;
    Path policy;

    @BeforeEach
    void fixture() throws Exception {
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                classification:
                  tags:
                    pii.ssn: ["*.ssn"]
                rules:
                  - { id: work, effect: permit, actions: ["*"] }
                masks:
                  - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4 }
                """);
        try (Connection c = database().connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, ssn VARCHAR(11))");
            s.execute("INSERT INTO " + table + " VALUES (1, '" + SSN + "')");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection c = database().connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
        MemorySink.named(sink).clear();
    }

    Properties governedProperties() {
        Properties p = new Properties();
        p.setProperty("user", database().user());
        p.setProperty("password", database().password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "hana");
        p.setProperty("governed.kind", "service");
        p.setProperty("governed.audit", "memory:" + sink);
        return p;
    }

    Connection governed() throws SQLException {
        return DriverManager.getConnection(database().governedUrl(), governedProperties());
    }

    /** The one value of the statement's one row, read by getString, getObject and {@link #lastGetter}, each as a string. */
    List<String> values(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            out.add(rs.getString(1));
            out.add(String.valueOf(rs.getObject(1)));
            out.add(lastGetter(rs));
            assertThat(rs.next()).isFalse();
        }
        return out;
    }

    /** Every audit event so far, each as its JSON line, the connection's pending events written first. */
    String everyEvent(Connection c) throws SQLException {
        c.unwrap(GovernedConnection.class).governance().flushAudit();
        StringBuilder all = new StringBuilder();
        for (AuditEvent e : MemorySink.named(sink).events()) {
            all.append(AuditEventJson.toJson(e)).append('\n');
        }
        return all.toString();
    }

    /** The database the locks are taken in. */
    abstract TestDatabase database();

    /** The value read by the getter the database's lock functions answer in ({@code getLong}, {@code getBoolean}), as a string. */
    abstract String lastGetter(ResultSet rs) throws SQLException;
}
