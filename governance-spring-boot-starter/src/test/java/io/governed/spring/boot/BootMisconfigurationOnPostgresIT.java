package io.governed.spring.boot;

import io.governed.jdbc.Governance;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.spring.boot.plain.JpaApplication;
import io.governed.spring.boot.plain.PlainApplication;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A plain application (HikariCP, Flyway, JdbcTemplate, the starter) on the local PostgreSQL server, each test
 * starting its own context in a schema of its own, configured the way an application team gets it slightly
 * wrong, or signed in as a user whose name is the migration principal's: each either runs governed by the
 * application's own settings or fails at start (or at the statement) saying why, never runs under other rules
 * silently. The rows are read back through a raw connection.
 */
@EnabledIf("io.governed.spring.boot.BootApplicationOnPostgresIT#reachable")
class BootMisconfigurationOnPostgresIT {
    static final String URL = BootApplicationOnPostgresIT.URL;
    static final String MASKING_POLICY = "governed.policy=classpath:io/governed/policy/baseline.yaml,classpath:plain/mask-email.yaml";

    final String schema = "misconf_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    final String sink = "misconf-" + UUID.randomUUID();
    ConfigurableApplicationContext context;
    /** Command-line arguments, which win over the test resources' application.properties. */
    String[] commandLine = {};

    private ConfigurableApplicationContext start(String url, String... properties) {
        return start(PlainApplication.class, url, properties);
    }

    private ConfigurableApplicationContext start(Class<?> application, String url, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "spring.datasource.url=" + url,
                "spring.datasource.username=postgres",
                "spring.flyway.locations=classpath:db/migration/accounts",
                "spring.flyway.schemas=" + schema,
                "spring.datasource.hikari.schema=" + schema,
                "spring.sql.init.mode=never",
                "governed.principal=accounts-app",
                "governed.kind=service",
                "governed.migration.principal=schema-owner",
                "governed.audit.sinks=memory:" + sink));
        all.addAll(List.of(properties));
        context = new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
                .properties(all.toArray(String[]::new)).run(commandLine);
        return context;
    }

    private List<AuditEvent> events() {
        context.getBean(Governance.class).flushAudit();
        return MemorySink.named(sink).events();
    }

    private Connection raw() throws SQLException {
        Connection c = DriverManager.getConnection(URL, "postgres", "");
        c.setSchema(schema);
        return c;
    }

    private boolean tableExists(String table) throws SQLException {
        try (Connection c = raw(); ResultSet rs = c.getMetaData().getTables(null, schema, table, null)) {
            return rs.next();
        }
    }

    @AfterEach
    void stop() throws SQLException {
        SecurityContextHolder.clearContext();
        if (context != null) {
            context.close();
        }
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void theApplicationsOwnMaskApplies() {
        start(URL, MASKING_POLICY);
        assertThat(context.getBean(JdbcTemplate.class).queryForList("SELECT email FROM account ORDER BY id", String.class))
                .containsExactly("a***@example.com", "g***@example.com");
    }

    @Test
    void aSignedInUserNamedAsTheMigrationPrincipalIsRefusedNotGivenTheMigrationPurpose() throws SQLException {
        start(URL);
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "schema-owner", null, AuthorityUtils.createAuthorityList("ROLE_USER")));
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        assertThatThrownBy(() -> jdbc.execute("DROP TABLE legacy_account"))
                .isInstanceOf(PermissionDeniedDataAccessException.class)
                .hasMessageContaining("governed.migration.principal");
        assertThat(tableExists("legacy_account")).as("the table the statement would have dropped").isTrue();
        assertThat(events()).filteredOn(e -> "schema-owner".equals(e.principal()) && e.action().equals("drop"))
                .as("no drop ran as the migration principal after startup").isEmpty();

        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "alice", null, AuthorityUtils.createAuthorityList("ROLE_SUPPORT")));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM account", Integer.class)).isEqualTo(2);
    }

    @Test
    void aMistypedGovernedSettingFailsTheStartInsteadOfBeingIgnored() {
        assertThatThrownBy(() -> start(URL, MASKING_POLICY.replace("governed.policy=", "governed.policies=")))
                .hasStackTraceContaining("governed.policies");
        assertThatThrownBy(() -> start(URL, "governed.migration.principle=schema-owner"))
                .hasStackTraceContaining("governed.migration.principle");
    }

    @Test
    void aDataSourceOnAJdbcGovernedUrlFailsTheStartInsteadOfRunningWithoutTheApplicationsSettings() {
        assertThatThrownBy(() -> start("jdbc:governed:" + URL.substring("jdbc:".length()), MASKING_POLICY,
                "spring.datasource.driver-class-name=io.governed.jdbc.GovernedDriver",
                "spring.datasource.hikari.data-source-properties.governed.principal=accounts-app",
                "spring.datasource.hikari.data-source-properties.governed.kind=service"))
                .hasStackTraceContaining("connects through jdbc:governed:")
                .hasStackTraceContaining("governed.enabled=false");
    }

    @Test
    void flywayOnAJdbcGovernedUrlOfItsOwnFailsTheStartInsteadOfBeingGovernedTwice() throws SQLException {
        assertThatThrownBy(() -> start(URL, "spring.flyway.url=jdbc:governed:" + URL.substring("jdbc:".length()),
                "spring.flyway.driver-class-name=io.governed.jdbc.GovernedDriver",
                "spring.flyway.user=postgres", "spring.flyway.password="))
                .hasStackTraceContaining("The data source of Flyway 'flyway' connects through jdbc:governed:")
                .hasStackTraceContaining("spring.flyway.url=jdbc:postgresql://");
        assertThat(tableExists("account")).as("nothing migrated").isFalse();
    }

    @Test
    void liquibaseOnAJdbcGovernedUrlOfItsOwnFailsTheStartInsteadOfBeingGovernedTwice() throws SQLException {
        createSchema();
        commandLine = new String[] {"--spring.liquibase.enabled=true"};
        assertThatThrownBy(() -> start(URL, "spring.flyway.enabled=false",
                "spring.liquibase.change-log=classpath:db/changelog/accounts.sql",
                "spring.liquibase.default-schema=" + schema, "spring.liquibase.liquibase-schema=" + schema,
                "spring.liquibase.url=jdbc:governed:" + URL.substring("jdbc:".length()),
                "spring.liquibase.driver-class-name=io.governed.jdbc.GovernedDriver",
                "spring.liquibase.user=postgres", "spring.liquibase.password="))
                .hasStackTraceContaining("The data source of Liquibase 'liquibase' connects through jdbc:governed:")
                .hasStackTraceContaining("spring.liquibase.url=jdbc:postgresql://");
        assertThat(tableExists("account")).as("nothing migrated").isFalse();
    }

    @Test
    void flywayOnADataSourceOfItsOwnMigratesGovernedAsTheMigrationPrincipal() throws SQLException {
        start(URL, "spring.flyway.url=" + URL, "spring.flyway.user=postgres", "spring.flyway.password=");
        assertThat(tableExists("account")).isTrue();
        List<AuditEvent> migration = events().stream().filter(e -> "schema-owner".equals(e.principal())).toList();
        assertThat(migration).extracting(AuditEvent::action).contains("create", "insert");
        assertThat(migration).allSatisfy(e -> {
            assertThat(e.purpose()).isEqualTo("migration");
            assertThat(e.decision()).as(e.statement()).isEqualTo(AuditDecision.ALLOW);
        });
    }

    @Test
    void flywayGivenAUserOfItsOwnButNoUrlMigratesThroughTheApplicationsUrlGovernedAsTheMigrationPrincipal()
            throws SQLException {
        start(URL, "spring.flyway.user=postgres", "spring.flyway.password=");
        assertThat(tableExists("account")).isTrue();
        List<AuditEvent> migration = events().stream().filter(e -> "schema-owner".equals(e.principal())).toList();
        assertThat(migration).extracting(AuditEvent::action).contains("create", "insert");
        assertThat(migration).allSatisfy(e -> assertThat(e.purpose()).isEqualTo("migration"));
    }

    @Test
    void schemaAndDataScriptsGivenAUserOfTheirOwnRunGovernedAsTheMigrationPrincipal() throws SQLException {
        createSchema();
        // given both, Spring Boot builds the scripts a data source of their own of the application's URL and this user
        start(URL + "?currentSchema=" + schema, "spring.flyway.enabled=false", "spring.sql.init.mode=always",
                "spring.sql.init.schema-locations=classpath:init/postgres/schema.sql",
                "spring.sql.init.data-locations=classpath:init/postgres/data.sql",
                "spring.sql.init.username=postgres", "spring.sql.init.password=unused-with-trust");
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery("SELECT body FROM note")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("first");
        }
        List<AuditEvent> migration = events().stream().filter(e -> "schema-owner".equals(e.principal())).toList();
        assertThat(migration).extracting(AuditEvent::action).contains("drop", "create", "insert");
        assertThat(migration).allSatisfy(e -> {
            assertThat(e.purpose()).isEqualTo("migration");
            assertThat(e.decision()).as(e.statement()).isEqualTo(AuditDecision.ALLOW);
        });
    }

    private void createSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
    }

    private void assertLiquibaseMigratedAsTheMigrationPrincipal() throws SQLException {
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery("SELECT email FROM account")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("ada@example.com");
        }
        List<AuditEvent> migration = events().stream().filter(e -> "schema-owner".equals(e.principal())).toList();
        assertThat(migration).extracting(AuditEvent::action).contains("create", "insert", "delete", "drop");
        assertThat(migration).allSatisfy(e -> {
            assertThat(e.purpose()).isEqualTo("migration");
            // its probe of the lock table before it creates it fails on the server, which is audited as an error
            assertThat(e.decision()).as(e.statement()).isNotEqualTo(AuditDecision.DENY);
        });
    }

    @Test
    void liquibaseOnADataSourceOfItsOwnMigratesGovernedAsTheMigrationPrincipal() throws SQLException {
        createSchema();
        commandLine = new String[] {"--spring.liquibase.enabled=true"};
        start(URL, "spring.flyway.enabled=false", "spring.liquibase.change-log=classpath:db/changelog/accounts.sql",
                "spring.liquibase.default-schema=" + schema, "spring.liquibase.liquibase-schema=" + schema,
                "spring.liquibase.url=" + URL, "spring.liquibase.user=postgres", "spring.liquibase.password=");
        assertLiquibaseMigratedAsTheMigrationPrincipal();
    }

    @Test
    void liquibaseGivenAUserOfItsOwnButNoUrlMigratesThroughTheApplicationsUrlGovernedAsTheMigrationPrincipal()
            throws SQLException {
        createSchema();
        commandLine = new String[] {"--spring.liquibase.enabled=true"};
        start(URL, "spring.flyway.enabled=false", "spring.liquibase.change-log=classpath:db/changelog/accounts.sql",
                "spring.liquibase.default-schema=" + schema, "spring.liquibase.liquibase-schema=" + schema,
                "spring.liquibase.user=postgres", "spring.liquibase.password=");
        assertLiquibaseMigratedAsTheMigrationPrincipal();
    }

    @Test
    void liquibaseOnTheApplicationsDataSourceMigratesAsTheMigrationPrincipal() throws SQLException {
        createSchema();
        commandLine = new String[] {"--spring.liquibase.enabled=true"};
        start(URL, "spring.flyway.enabled=false", "spring.liquibase.change-log=classpath:db/changelog/accounts.sql",
                "spring.liquibase.default-schema=" + schema, "spring.liquibase.liquibase-schema=" + schema);
        assertLiquibaseMigratedAsTheMigrationPrincipal();
    }

    @Test
    void hibernatesDdlAutoBootstrappedOnAnotherThreadRunsAsTheMigrationPrincipal() throws SQLException {
        start(JpaApplication.class, URL, "spring.jpa.hibernate.ddl-auto=update",
                "spring.data.jpa.repositories.bootstrap-mode=deferred",
                "spring.jpa.properties.hibernate.default_schema=" + schema);
        context.getBean(EntityManagerFactory.class).createEntityManager().close(); // waits for the bootstrap
        try (Connection c = raw(); ResultSet rs = c.getMetaData().getColumns(null, schema, "account", "nickname")) {
            assertThat(rs.next()).as("the column ddl-auto=update adds").isTrue();
        }
        List<AuditEvent> alters = events().stream().filter(e -> e.action().equals("alter")).toList();
        assertThat(alters).isNotEmpty().allSatisfy(e -> {
            assertThat(e.principal()).isEqualTo("schema-owner");
            assertThat(e.purpose()).isEqualTo("migration");
        });
    }

    @Test
    void workAUserHandsToTheTaskExecutorRunsAsThatUserNotAsTheService() throws Exception {
        start(URL, "governed.policy=classpath:io/governed/policy/baseline.yaml,classpath:plain/mask-email-but-service.yaml");
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        AsyncTaskExecutor executor = context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class);
        assertThat(executor.submit(() -> jdbc.queryForObject("SELECT email FROM account WHERE id = 1", String.class)).get())
                .as("work submitted outside a request runs as the service").isEqualTo("ada@example.com");

        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "bob", null, AuthorityUtils.createAuthorityList("ROLE_SALES")));
        assertThat(jdbc.queryForObject("SELECT email FROM account WHERE id = 1", String.class)).isEqualTo("a***@example.com");
        int before = events().size();
        assertThat(executor.submit(() -> jdbc.queryForObject("SELECT email FROM account WHERE id = 1", String.class)).get())
                .as("bob's request's @Async work").isEqualTo("a***@example.com");
        assertThat(events().subList(before, events().size())).isNotEmpty()
                .allSatisfy(e -> assertThat(e.principal()).isEqualTo("bob"));
    }
}
