package io.governed.jdbc.audit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class JdbcSinkTest {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    /** PostgreSQL when it is reachable; a skipped test otherwise, unless CI=true, where it must be. */
    private static void requirePostgres() {
        try (Connection c = DriverManager.getConnection(POSTGRES)) {
            assertThat(c.isValid(2)).isTrue();
        } catch (SQLException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("PostgreSQL at " + POSTGRES + " is required when CI=true", e);
            }
            Assumptions.abort("PostgreSQL at 127.0.0.1:5432 is not reachable: " + e.getMessage());
        }
    }

    private static List<String> column(String url, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void createsTheTableAndInsertsBatchesOnPostgres() throws Exception {
        requirePostgres();
        String table = "audit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (JdbcSink sink = JdbcSink.parse(POSTGRES + "#table=" + table)) {
            assertThat(sink.describe()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?…#table=" + table);
            sink.write(List.of(TestEvents.event(1), TestEvents.event(2)));
            sink.write(List.of(TestEvents.event(3)));

            assertThat(column(POSTGRES, "SELECT event_id FROM " + table + " ORDER BY event_time"))
                    .containsExactly("evt-1", "evt-2", "evt-3");
            assertThat(column(POSTGRES, "SELECT event FROM " + table + " WHERE event_id = 'evt-2'"))
                    .containsExactly(AuditEventJson.toJson(TestEvents.event(2)));
            assertThat(column(POSTGRES, "SELECT to_char(event_time, 'YYYY-MM-DD HH24:MI:SS.US') FROM " + table + " WHERE event_id = 'evt-1'"))
                    .containsExactly("2026-01-15 09:30:00.124456");
        } finally {
            execute(POSTGRES, "DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void aRetriedBatchWhoseCommitHadSucceededIsNotInsertedTwiceOnPostgres() throws Exception {
        requirePostgres();
        String table = "audit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (JdbcSink sink = JdbcSink.parse(POSTGRES + "#table=" + table)) {
            sink.write(List.of(TestEvents.event(1), TestEvents.event(2)));
            sink.write(List.of(TestEvents.event(1), TestEvents.event(2), TestEvents.event(3)));

            assertThat(column(POSTGRES, "SELECT event_id FROM " + table + " ORDER BY event_id"))
                    .containsExactly("evt-1", "evt-2", "evt-3");
        } finally {
            execute(POSTGRES, "DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void worksOnH2WithTheDefaultTable() throws Exception {
        String url = "jdbc:h2:mem:jdbc-sink-h2;DB_CLOSE_DELAY=-1";
        try (JdbcSink sink = JdbcSink.parse(url)) {
            AuditEvent minimal = AuditEvent.builder().time(Instant.parse("2026-02-01T00:00:00Z")).eventId("m-1")
                    .action("drop").decision(AuditDecision.DENY).build();
            sink.write(List.of(minimal));
        }

        assertThat(column(url, "SELECT event_id || ' ' || action || ' ' || decision || ' ' || COALESCE(principal, '-') FROM governed_audit"))
                .containsExactly("m-1 drop deny -");
    }

    @Test
    void overLongValuesAreCutInTheirColumnsButKeptWholeInTheEvent() throws Exception {
        String url = "jdbc:h2:mem:jdbc-sink-long;DB_CLOSE_DELAY=-1";
        String principal = "p".repeat(300);
        try (JdbcSink sink = JdbcSink.parse(url)) {
            sink.write(List.of(AuditEvent.builder().eventId("long-1").principal(principal).action("select")
                    .decision(AuditDecision.ALLOW).build()));
        }

        assertThat(column(url, "SELECT principal FROM governed_audit")).containsExactly("p".repeat(256));
        assertThat(column(url, "SELECT event FROM governed_audit")).singleElement().asString().contains(principal);
    }

    @Test
    void aDatabaseThatIsDownFailsTheWriteAndTheSinkReconnectsLater() throws Exception {
        String url = "jdbc:h2:mem:jdbc-sink-down;DB_CLOSE_DELAY=-1";
        try (JdbcSink sink = JdbcSink.parse(url)) {
            sink.write(List.of(TestEvents.event(1)));
            execute(url, "DROP TABLE governed_audit");
            execute(url, "CREATE TABLE governed_audit (x INT)");

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink.write(List.of(TestEvents.event(2))))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("could not insert 1 audit events into governed_audit at jdbc:h2:mem:jdbc-sink-down?…");

            execute(url, "DROP TABLE governed_audit");
            sink.write(List.of(TestEvents.event(2)));
        }
        assertThat(column(url, "SELECT event_id FROM governed_audit")).containsExactly("evt-2");
    }
}
