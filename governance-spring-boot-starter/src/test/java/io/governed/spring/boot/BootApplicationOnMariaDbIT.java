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
 * The same web application on the local MariaDB server, in a database of its own: Flyway's MySQL support (its named
 * lock, the session variables it reads and restores, its history table) and Hibernate's {@code ddl-auto=update} at
 * startup as the migration principal, with MariaDB's own forms of the migrations; requests as the web user. Skipped
 * when the server is unreachable, failed instead with CI=true.
 */
@EnabledIf("io.governed.spring.boot.BootApplicationOnMariaDbIT#reachable")
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.username=root",
        "spring.flyway.locations=classpath:db/migration/mariadb",
        "spring.jpa.hibernate.ddl-auto=update",
        "spring.jpa.open-in-view=false",
        "spring.sql.init.mode=never",
        "governed.principal=accounts-app",
        "governed.kind=service",
        "governed.migration.principal=schema-owner",
})
class BootApplicationOnMariaDbIT {
    static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/";
    static final String SCHEMA = "boot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static final String URL = SERVER + SCHEMA;
    static final String SINK = "boot-maria-" + UUID.randomUUID();

    static boolean reachable() {
        if ("true".equals(System.getenv("CI"))) {
            return true; // on CI an unreachable server fails the test instead of skipping it
        }
        try (Connection c = DriverManager.getConnection(SERVER + "test", "root", "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            System.err.println("MariaDB at 127.0.0.1:3306 is unreachable, so " + BootApplicationOnMariaDbIT.class.getSimpleName()
                    + " is skipped; start the server (user root, database test) to run it");
            return false;
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "test", "root", "")) {
            c.createStatement().execute("CREATE DATABASE " + SCHEMA); // the application's own, as a DBA would make it
        }
        registry.add("spring.datasource.url", () -> URL);
        registry.add("governed.audit.sinks", () -> "memory:" + SINK);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "test", "root", "")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + SCHEMA);
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
        return DriverManager.getConnection(URL, "root", "");
    }

    @Test
    void flywayAndDdlAutoRanAsTheMigrationPrincipal() throws SQLException {
        try (Connection c = raw()) {
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT count(*) FROM flyway_schema_history WHERE success AND version IN ('1', '2')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            try (ResultSet rs = c.getMetaData().getTables(SCHEMA, null, "legacy_account", null)) {
                assertThat(rs.next()).as("dropped by V2").isFalse();
            }
            try (ResultSet rs = c.getMetaData().getColumns(SCHEMA, null, "account", "nickname")) {
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
