package io.governed.spring.boot;

import io.governed.jdbc.Governance;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.spring.boot.app.AccountRepository;
import io.governed.spring.boot.app.TestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same web application on the local PostgreSQL server, in a schema of its own: Flyway (its history table's
 * constraint, advisory locks, {@code SET search_path}) and Hibernate's {@code ddl-auto=update} at startup as the
 * migration principal; requests as the web user. Skipped when the server is unreachable, failed instead with CI=true.
 */
@EnabledIf("io.governed.spring.boot.BootApplicationOnPostgresIT#reachable")
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test",
        "spring.datasource.username=postgres",
        "spring.flyway.locations=classpath:db/migration/common",
        "spring.jpa.hibernate.ddl-auto=update",
        "spring.jpa.open-in-view=false",
        "spring.sql.init.mode=never",
        "governed.principal=accounts-app",
        "governed.kind=service",
        "governed.migration.principal=schema-owner",
})
class BootApplicationOnPostgresIT {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String SCHEMA = "boot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static final String SINK = "boot-pg-" + UUID.randomUUID();

    static boolean reachable() {
        if ("true".equals(System.getenv("CI"))) {
            return true; // on CI an unreachable server fails the test instead of skipping it
        }
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            System.err.println("PostgreSQL at 127.0.0.1:5432 is unreachable, so " + BootApplicationOnPostgresIT.class.getSimpleName()
                    + " is skipped; start the server (user postgres, database test) to run it");
            return false;
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.flyway.schemas", () -> SCHEMA);
        registry.add("spring.datasource.hikari.schema", () -> SCHEMA);
        registry.add("spring.jpa.properties.hibernate.default_schema", () -> SCHEMA);
        registry.add("governed.audit.sinks", () -> "memory:" + SINK);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    Governance governance;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AccountRepository accounts;

    private List<AuditEvent> events() {
        governance.flushAudit();
        return MemorySink.named(SINK).events();
    }

    private Connection raw() throws SQLException {
        Connection c = DriverManager.getConnection(URL, "postgres", "");
        c.setSchema(SCHEMA);
        return c;
    }

    @Test
    void flywayAndDdlAutoRanAsTheMigrationPrincipal() throws SQLException {
        try (Connection c = raw()) {
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT count(*) FROM " + SCHEMA + ".flyway_schema_history WHERE success AND version IN ('1', '2')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            try (ResultSet rs = c.getMetaData().getTables(null, SCHEMA, "legacy_account", null)) {
                assertThat(rs.next()).as("dropped by V2").isFalse();
            }
            try (ResultSet rs = c.getMetaData().getColumns(null, SCHEMA, "account", "nickname")) {
                assertThat(rs.next()).as("added by ddl-auto=update").isTrue();
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT character_maximum_length FROM information_schema.columns"
                    + " WHERE table_schema = '" + SCHEMA + "' AND table_name = 'account' AND column_name = 'name'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("retyped by V2").isEqualTo(200);
            }
        }
        List<AuditEvent> schemaWork = events().stream().filter(e -> e.principal().equals("schema-owner")).toList();
        assertThat(schemaWork).extracting(AuditEvent::action).contains("drop", "alter", "create", "select");
        assertThat(schemaWork).allSatisfy(e -> {
            assertThat(e.purpose()).isEqualTo("migration");
            assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
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
