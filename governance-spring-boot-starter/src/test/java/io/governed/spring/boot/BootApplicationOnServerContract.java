package io.governed.spring.boot;

import io.governed.jdbc.Governance;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.spring.boot.app.AccountRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the test application on a real server must show, whichever server: Flyway's migrations and Hibernate's
 * {@code ddl-auto=update} ran at startup as the migration principal, every statement of that work allowed; a web
 * request's statements audited as the web user; denials reaching JdbcTemplate and JPA as
 * {@link PermissionDeniedDataAccessException}, the rows untouched (read through a raw connection).
 */
abstract class BootApplicationOnServerContract {
    @LocalServerPort
    int port;
    @Autowired
    Governance governance;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AccountRepository accounts;

    /** The application's own schema (PostgreSQL) or database (MariaDB). */
    abstract String schema();

    /** The memory sink the application audits to. */
    abstract String sink();

    /** A raw connection whose unqualified names are the application's. */
    abstract Connection raw() throws SQLException;

    /** Whether the application's schema has {@code table} (with {@code column}, when not null). */
    abstract boolean has(Connection raw, String table, String column) throws SQLException;

    private List<AuditEvent> events() {
        governance.flushAudit();
        return MemorySink.named(sink()).events();
    }

    @Test
    void flywayAndDdlAutoRanAsTheMigrationPrincipal() throws SQLException {
        try (Connection c = raw()) {
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT count(*) FROM flyway_schema_history WHERE success AND version IN ('1', '2')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            assertThat(has(c, "legacy_account", null)).as("dropped by V2").isFalse();
            assertThat(has(c, "account", "nickname")).as("added by ddl-auto=update").isTrue();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT character_maximum_length FROM information_schema.columns"
                    + " WHERE table_schema = '" + schema() + "' AND table_name = 'account' AND column_name = 'name'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("retyped by V2").isEqualTo(200);
            }
        }
        List<AuditEvent> schemaWork = events().stream().filter(e -> e.principal().equals("schema-owner")).toList();
        assertThat(schemaWork).extracting(AuditEvent::action).contains("drop", "alter", "create", "select");
        assertThat(schemaWork).allSatisfy(e -> {
            assertThat(e.purpose()).isEqualTo("migration");
            assertThat(e.decision()).as(e.statement()).isEqualTo(AuditDecision.ALLOW);
        });
    }

    @Test
    void eachAuditEventOfARequestNamesTheWebUser() throws Exception {
        int before = events().size();
        String basic = Base64.getEncoder().encodeToString("alice:alice-pw".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/accounts"))
                        .header("Authorization", "Basic " + basic).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Ada");
        List<AuditEvent> request = events().subList(before, events().size());
        assertThat(request).hasSize(2).allSatisfy(e -> {
            assertThat(e.principal()).isEqualTo("alice");
            assertThat(e.groups()).containsExactly("SUPPORT");
        });
    }

    @Test
    void denialsArePermissionDeniedThroughJdbcTemplateAndJpa() throws SQLException {
        assertThatThrownBy(() -> jdbc.execute("DROP TABLE account"))
                .isInstanceOf(PermissionDeniedDataAccessException.class).hasMessageContaining("baseline-no-destructive-ddl");
        assertThatThrownBy(() -> accounts.deleteAllInBatch())
                .isInstanceOf(PermissionDeniedDataAccessException.class).hasMessageContaining("baseline-no-unbounded-writes");
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM account")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }
}
