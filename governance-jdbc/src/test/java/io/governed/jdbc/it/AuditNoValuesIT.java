package io.governed.jdbc.it;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditSettings;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * Proves that no literal, no bound value and no value a database echoes in an error message reaches
 * the audit trail, on the real servers whose messages quote values in their own ways (PostgreSQL's
 * "Key (email)=(…)", MariaDB's "Duplicate entry '…'").
 */
class AuditNoValuesIT {

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void theTrailHoldsNoValue(TestDatabase database, @TempDir Path dir) throws Exception {
        database.requireReachable();
        String table = UniqueNames.of("audit_values");
        Path log = dir.resolve("audit.jsonl");
        AuditDispatcher dispatcher = AuditDispatcher.start("jsonl:" + log, AuditSettings.defaults());
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).audit(dispatcher)
                .defaultIdentity(Identity.human("auditor-test"))
                .allowUnlistedDataSources(true) // the test's own data source below, whose settings cannot be read
                .build();
        try (Connection raw = database.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, email VARCHAR(80) UNIQUE, amount SMALLINT)");
        }
        try {
            Properties credentials = new Properties();
            credentials.setProperty("user", database.user());
            credentials.setProperty("password", database.password());
            javax.sql.DataSource rawSource = new javax.sql.DataSource() {
                @Override public Connection getConnection() throws SQLException { return DriverManager.getConnection(database.rawUrl(), credentials); }
                @Override public Connection getConnection(String u, String p) throws SQLException { return getConnection(); }
                @Override public java.io.PrintWriter getLogWriter() { return null; }
                @Override public void setLogWriter(java.io.PrintWriter out) { }
                @Override public void setLoginTimeout(int seconds) { }
                @Override public int getLoginTimeout() { return 0; }
                @Override public java.util.logging.Logger getParentLogger() { return java.util.logging.Logger.getGlobal(); }
                @Override public <T> T unwrap(Class<T> iface) { throw new UnsupportedOperationException(); }
                @Override public boolean isWrapperFor(Class<?> iface) { return false; }
            };
            try (Connection c = new GovernedDataSource(rawSource, governance).getConnection()) {
                c.createStatement().executeUpdate("INSERT INTO " + table + " VALUES (41, 'literal-heron@example.com', 7)");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
                    ps.setInt(1, 60606);
                    ps.setString(2, "bound-marmot@example.com");
                    ps.setInt(3, 8);
                    ps.executeUpdate();
                    ps.setInt(1, 70707);
                    ps.setString(2, "bound-marmot@example.com"); // unique violation: the message names the value
                    ps.setInt(3, 9);
                    assertThatThrownBy(ps::executeUpdate).isInstanceOf(SQLException.class);
                    ps.setInt(1, 80808);
                    ps.setString(2, "bound-ibex@example.com");
                    ps.setInt(3, 31999); // fits
                    ps.executeUpdate();
                }
                assertThatThrownBy(() -> c.createStatement().executeUpdate(
                        "INSERT INTO " + table + " VALUES (90909, 'literal-wombat@example.com', 123456)"))
                        .as("out of range for SMALLINT").isInstanceOf(SQLException.class);
            }
        } finally {
            dispatcher.close();
            try (Connection raw = database.connectRaw(); Statement s = raw.createStatement()) {
                s.execute("DROP TABLE " + table);
            }
        }
        // Ids, hashes, times and durations are random or measured: a digit run in them is no leak, so they go first.
        String trail = Files.readString(log)
                .replaceAll("\"(time|event_id|prev_hash|hash|fingerprint|digest)\":\"[^\"]*\"", "")
                .replaceAll("\"duration_us\":\\d+", "");
        assertThat(trail.lines()).hasSize(5);
        assertThat(trail).contains("\"decision\":\"error\"")
                .doesNotContain("heron", "marmot", "ibex", "wombat", "60606", "70707", "80808", "90909", "123456", "31999");
    }
}
