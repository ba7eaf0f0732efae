package io.governed.jdbc.it;

import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MariaDB's named locks under a policy with a mask: {@code GET_LOCK(?, 10)} (Flyway's lock) answers 1 in clear, its
 * result computed from its arguments alone; a lock keyed by a masked column stays masked. Connector/J labels an unnamed
 * expression with its text, the bound value written in (client-side prepared statements): no such label reaches an
 * audit event.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("named locks")
class MariaDbLockResultsIT extends LockResultsFixture {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    String lastGetter(ResultSet rs) throws SQLException {
        return String.valueOf(rs.getLong(1));
    }

    @Test
    void aNamedLockAnswersInClearAndNoLockNameReachesTheAudit() throws SQLException {
        List<String> taken;
        List<String> free;
        List<String> released;
        String events;
        try (Connection c = governed()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?,10)")) {
                ps.setString(1, lockName);
                taken = values(ps);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT IS_FREE_LOCK(?)")) {
                ps.setString(1, lockName);
                free = values(ps);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                ps.setString(1, lockName);
                released = values(ps);
            }
            events = everyEvent(c);
        }
        assertThat(taken).containsExactly("1", "1", "1");
        assertThat(free).containsExactly("0", "0", "0");
        assertThat(released).containsExactly("1", "1", "1");
        try (Connection raw = TestDatabase.MARIADB.connectRaw();
             PreparedStatement ps = raw.prepareStatement("SELECT IS_FREE_LOCK(?)")) {
            ps.setString(1, lockName);
            assertThat(values(ps)).containsExactly("1", "1", "1");
        }
        assertThat(MemorySink.named(sink).events()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(events).doesNotContain(lockName);
    }

    @Test
    void aLockKeyedByAMaskedColumnIsNoOracle() throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Connection c = governed()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT IS_USED_LOCK(ssn) FROM " + table + " WHERE id = ?")) {
                ps.setInt(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seen.add(rs.getString(1));
                        seen.add(String.valueOf(rs.getObject(1)));
                    }
                }
            } catch (SQLException refused) {
                assertThat(refused.getSQLState()).isEqualTo("42501");
                seen.add("refused");
            }
            assertThat(everyEvent(c)).doesNotContain(SSN);
        }
        // the raw answer is NULL (no such lock): the governed one is masked or refused, never the raw answer
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT IS_USED_LOCK(ssn) FROM " + table + " WHERE id = 1")) {
            rs.next();
            assertThat(rs.getObject(1)).isNull();
        }
        assertThat(seen).isNotEmpty().doesNotContain("null");
    }

    @Test
    void aMaskedColumnsLabelCarryingABoundValueIsNotAudited() throws SQLException {
        String marker = UniqueNames.of("ll-marker");
        List<String> labels = new ArrayList<>();
        String json;
        try (Connection c = governed();
             PreparedStatement ps = c.prepareStatement("SELECT id, CONCAT(ssn, ?), CONCAT(ssn, 'll-literal-9') FROM "
                     + table + " WHERE id = 1")) {
            ps.setString(1, marker);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).doesNotContain(SSN);
                assertThat(rs.getString(3)).doesNotContain(SSN);
                for (int i = 1; i <= 3; i++) {
                    labels.add(rs.getMetaData().getColumnLabel(i));
                }
            }
            json = everyEvent(c);
        }
        // the driver's label of the second column holds the bound value (the case this test is about)
        assertThat(labels.get(1)).contains(marker);
        List<AuditEvent> events = MemorySink.named(sink).events();
        assertThat(events).anySatisfy(e -> assertThat(e.maskedColumns()).hasSize(2));
        assertThat(json).doesNotContain(marker).doesNotContain("ll-literal-9").doesNotContain(SSN);
    }

    @Test
    void flywayMigratesThroughTheGovernedDriverUnderAMaskedPolicy() throws Exception {
        Path migrations = Files.createDirectories(dir.resolve("db/migration"));
        String made = UniqueNames.of("ll_made");
        String history = UniqueNames.of("ll_history");
        Files.writeString(migrations.resolve("V1__make.sql"),
                "CREATE TABLE " + made + " (id INT PRIMARY KEY, note VARCHAR(20));\n"
                        + "INSERT INTO " + made + " VALUES (1, 'one');\n");
        String database = UniqueNames.of("ll_flyway");
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        MariaDbDataSource maria = new MariaDbDataSource();
        maria.setUrl(TestDatabase.MARIADB.rawUrl(database));
        maria.setUser(TestDatabase.MARIADB.user());
        maria.setPassword(TestDatabase.MARIADB.password());
        Properties settings = governedProperties();
        settings.remove("user");
        settings.remove("password");
        javax.sql.DataSource governed = new io.governed.jdbc.GovernedDataSource(maria, settings);
        try {
            Flyway flyway = Flyway.configure().dataSource(governed).table(history)
                    .locations("filesystem:" + migrations).connectRetries(0).load();
            assertThat(flyway.migrate().migrationsExecuted).isEqualTo(1);
            try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement();
                 ResultSet rs = s.executeQuery("SELECT note FROM " + database + "." + made + " WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("one");
            }
        } finally {
            try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database);
            }
        }
    }
}
