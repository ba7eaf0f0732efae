package io.governed.spring.boot;

import com.zaxxer.hikari.HikariDataSource;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.spring.boot.actuate.GovernanceEndpoint;
import io.governed.spring.boot.app.AccountRepository;
import io.governed.spring.boot.app.TestApplication;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
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
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Spring Boot web application on embedded H2 under the built-in baseline plus
 * {@code governed.migration.principal}: Flyway migrations (which drop, rename and change a column's type) and
 * Hibernate's {@code ddl-auto=update} run at startup as the migration principal; requests run as the web user.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.flyway.locations=classpath:db/migration/accounts,classpath:db/migration/common",
        "spring.jpa.hibernate.ddl-auto=update",
        "spring.jpa.open-in-view=false",
        "spring.sql.init.mode=never",
        "governed.principal=accounts-app",
        "governed.kind=service",
        "governed.migration.principal=schema-owner",
        "management.endpoints.web.exposure.include=health,governance",
        "management.endpoint.health.show-details=always",
})
class BootApplicationOnH2Test {
    static final String DATABASE = "jdbc:h2:mem:boot-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    static final String SINK = "boot-h2-" + UUID.randomUUID();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("governed.audit.sinks", () -> "memory:" + SINK);
    }

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AccountRepository accounts;
    @Autowired
    Governance governance;
    @Autowired
    GovernanceEndpoint endpoint;
    @Autowired
    HealthIndicator governanceHealthIndicator;
    @Autowired
    MeterRegistry meters;

    private List<AuditEvent> events() {
        governance.flushAudit();
        return MemorySink.named(SINK).events();
    }

    private Connection raw() throws SQLException {
        return DriverManager.getConnection(DATABASE, "sa", "");
    }

    private boolean exists(String table, String column) throws SQLException {
        try (Connection c = raw(); ResultSet rs = c.getMetaData().getColumns(null, "PUBLIC", table, column)) {
            return rs.next();
        }
    }

    @Test
    void theDataSourceBeanIsTheHikariPoolGoverned() {
        assertThat(dataSource).isInstanceOf(GovernedDataSource.class);
        assertThatThrownBy(() -> dataSource.unwrap(HikariDataSource.class))
                .as("the pool is not handed out").isInstanceOf(SQLException.class);
    }

    @Test
    void flywayMigratedAsTheMigrationPrincipalAndEachStatementIsAuditedAsMigration() throws SQLException {
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT count(*) FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" IN ('1', '2')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
        assertThat(exists("LEGACY_ACCOUNT", null)).as("dropped by V2").isFalse();
        assertThat(exists("REGION", "REGION_LABEL")).as("renamed by V2").isTrue();

        List<AuditEvent> migration = events().stream().filter(e -> "schema-owner".equals(e.principal())).toList();
        assertThat(migration).isNotEmpty().allSatisfy(e -> {
            assertThat(e.purpose()).isEqualTo("migration");
            assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
        });
        assertThat(migration).extracting(AuditEvent::action).contains("drop", "alter", "comment", "create", "insert");
        assertThat(events()).filteredOn(e -> !"schema-owner".equals(e.principal()))
                .noneSatisfy(e -> assertThat(e.purpose()).isEqualTo("migration"));
    }

    @Test
    void hibernateDdlAutoUpdateAddedItsColumnAsTheMigrationPrincipal() throws SQLException {
        assertThat(exists("ACCOUNT", "NICKNAME")).isTrue();
        assertThat(events()).filteredOn(e -> e.action().equals("alter") && e.tables().toString().toLowerCase().contains("account")
                        && e.principal().equals("schema-owner"))
                .isNotEmpty();
    }

    @Test
    void eachAuditEventOfARequestNamesTheWebUser() throws Exception {
        for (String user : List.of("alice", "bob")) {
            int before = events().size();
            HttpResponse<String> response = get("/accounts", user, user + "-pw");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("Ada", "Grace");
            List<AuditEvent> request = events().subList(before, events().size());
            assertThat(request).hasSize(2).allSatisfy(e -> {
                assertThat(e.principal()).isEqualTo(user);
                assertThat(e.kind()).isEqualTo("human");
                assertThat(e.groups()).containsExactly(user.equals("alice") ? "SUPPORT" : "SALES");
                assertThat(e.purpose()).isNull();
            });
        }
    }

    @Test
    void theGovernanceEndpointShowsThePolicyAndTheAuditSinks() throws Exception {
        Map<String, Object> shown = endpoint.governance();
        assertThat(shown).containsEntry("migrationPrincipal", "schema-owner");
        assertThat(shown.get("policy").toString()).contains("baseline=true", "classpath:io/governed/policy/baseline.yaml")
                .containsPattern("digest=[0-9a-f]{64}");
        assertThat(shown.get("audit").toString()).contains("sink=memory:" + SINK, "status=UP");
        assertThat(governanceHealthIndicator.health().getStatus()).isEqualTo(Status.UP);

        HttpResponse<String> http = get("/actuator/governance", "alice", "alice-pw");
        assertThat(http.statusCode()).isEqualTo(200);
        assertThat(http.body()).contains("\"baseline\":true", "\"migrationPrincipal\":\"schema-owner\"");
    }

    @Test
    void actuatorsDatabaseHealthCheckPassesThroughTheGovernedPool() throws Exception {
        HttpResponse<String> http = get("/actuator/health", "alice", "alice-pw");
        assertThat(http.statusCode()).as(http.body()).isEqualTo(200);
        assertThat(http.body()).contains("\"db\":{\"status\":\"UP\"", "\"governance\":{\"status\":\"UP\"");
    }

    @Test
    void statementsAreCountedInTheApplicationsMeterRegistry() {
        jdbc.queryForObject("SELECT count(*) FROM account", Integer.class);
        assertThat(meters.find("governed.statements").counters()).isNotEmpty();
        assertThat(meters.find("governed.statements").counters().stream().mapToDouble(c -> c.count()).sum()).isPositive();
    }

    @Test
    void aDenialThroughJdbcTemplateIsPermissionDeniedNotBadGrammar() throws SQLException {
        assertThatThrownBy(() -> jdbc.update("DELETE FROM account"))
                .isInstanceOf(PermissionDeniedDataAccessException.class)
                .isInstanceOf(GovernanceDeniedDataAccessException.class)
                .isNotInstanceOf(BadSqlGrammarException.class)
                .hasMessageContaining("baseline-no-unbounded-writes")
                .satisfies(e -> assertThat(((GovernanceDeniedDataAccessException) e).ruleIds())
                        .containsExactly("baseline-no-unbounded-writes"));
        assertThatThrownBy(() -> jdbc.execute("DROP TABLE account"))
                .as("the application's own identity is not the migration principal")
                .isInstanceOf(PermissionDeniedDataAccessException.class)
                .hasMessageContaining("baseline-no-destructive-ddl");
        assertThatThrownBy(() -> jdbc.execute("ALTER TABLE account ALTER COLUMN email SET DATA TYPE VARCHAR(10)"))
                .isInstanceOf(PermissionDeniedDataAccessException.class);
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM account")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void aDenialThroughSpringDataJpaIsPermissionDenied() throws SQLException {
        assertThat(accounts.findAll()).hasSize(2);
        assertThatThrownBy(() -> accounts.deleteAllInBatch())
                .isInstanceOf(PermissionDeniedDataAccessException.class)
                .hasMessageContaining("baseline-no-unbounded-writes");
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM account")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + basic).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
