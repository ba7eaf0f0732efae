package io.governed.jdbc.it;

import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

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
 * PostgreSQL's advisory locks under a policy with a mask: {@code pg_try_advisory_lock(?)} and its shared and
 * transaction forms (Flyway's lock) answer in clear, computed from their arguments alone; a lock keyed by a masked
 * column stays masked. pgjdbc labels an unnamed expression {@code ?column?} or by its function's name: no value reaches
 * an audit event either way.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresLockResultsIT extends LockResultsFixture {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    String lastGetter(ResultSet rs) throws SQLException {
        return String.valueOf(rs.getBoolean(1));
    }

    @Test
    void anAdvisoryLockAnswersInClearAndNoKeyReachesTheAudit() throws SQLException {
        long key = 7_331_000_000L + Math.floorMod(lockName.hashCode(), 1_000_000);
        List<String> taken;
        List<String> shared;
        List<String> released;
        String events;
        try (Connection c = governed()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, key);
                taken = values(ps);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock_shared(?)")) {
                ps.setLong(1, key + 1);
                shared = values(ps);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, key);
                released = values(ps);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock_shared(?)")) {
                ps.setLong(1, key + 1);
                assertThat(values(ps).get(0)).isEqualTo("t");
            }
            events = everyEvent(c);
        }
        assertThat(taken.get(0)).isEqualTo("t");
        assertThat(taken.get(1)).isEqualTo("true");
        assertThat(shared.get(0)).isEqualTo("t");
        assertThat(released.get(0)).isEqualTo("t");
        assertThat(MemorySink.named(sink).events()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(events).doesNotContain(Long.toString(key)).doesNotContain(Long.toString(key + 1));
    }

    @Test
    void aLockKeyedByAMaskedColumnIsNoOracle() throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Connection c = governed()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(length(ssn)) FROM " + table + " WHERE id = ?")) {
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
        // the raw answer is true (the lock was free): the governed one is masked or refused, never the raw answer
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(length(ssn)) FROM " + table + " WHERE id = 1")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("t");
        }
        assertThat(seen).isNotEmpty().doesNotContain("t", "true");
    }

    @Test
    void aMaskedColumnsLabelCarryingABoundValueIsNotAudited() throws SQLException {
        String marker = UniqueNames.of("ll-marker");
        List<String> labels = new ArrayList<>();
        String json;
        try (Connection c = governed();
             PreparedStatement ps = c.prepareStatement("SELECT id, ssn || ?, ssn || 'll-literal-9' FROM "
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
        assertThat(labels.get(1)).isEqualTo("?column?");
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
        String schema = UniqueNames.of("ll_flyway");
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(TestDatabase.POSTGRESQL.rawUrl());
        pg.setUser(TestDatabase.POSTGRESQL.user());
        pg.setPassword(TestDatabase.POSTGRESQL.password());
        Properties settings = governedProperties();
        settings.remove("user");
        settings.remove("password");
        javax.sql.DataSource governed = new io.governed.jdbc.GovernedDataSource(pg, settings);
        try {
            Flyway flyway = Flyway.configure().dataSource(governed).schemas(schema).table(history)
                    .locations("filesystem:" + migrations).connectRetries(0).load();
            assertThat(flyway.migrate().migrationsExecuted).isEqualTo(1);
            try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement();
                 ResultSet rs = s.executeQuery("SELECT note FROM " + schema + "." + made + " WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("one");
            }
        } finally {
            try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
