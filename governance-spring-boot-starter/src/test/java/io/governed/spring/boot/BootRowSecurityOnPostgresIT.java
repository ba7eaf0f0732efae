package io.governed.spring.boot;

import io.governed.spring.boot.service.CustomerService;
import io.governed.spring.boot.service.ServiceApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service of {@link BootServiceOnPostgresIT} with a migration that defines code, as application teams write
 * them: a PL/pgSQL trigger function and its trigger, and a row-level security policy reading the tenant from a custom
 * setting ({@code current_setting('app.tenant')}). The application connects as a role of its own (not a superuser,
 * whom row security would not hold), which owns the schema. Flyway must run the migration as the migration principal
 * under the baseline, the trigger fire on an ordinary update, and a tenant's transaction see its own rows.
 */
@EnabledIf("io.governed.spring.boot.BootApplicationOnPostgresIT#reachable")
class BootRowSecurityOnPostgresIT {
    static final String URL = BootApplicationOnPostgresIT.URL;
    static final String ID = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static final String SCHEMA = "app2_rls_" + ID;
    static final String ROLE = "app2_role_" + ID;
    static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.createStatement().execute("CREATE ROLE " + ROLE + " LOGIN");
            c.createStatement().execute("CREATE SCHEMA " + SCHEMA + " AUTHORIZATION " + ROLE);
            // the tenant of every session of the role, as a deployment per tenant sets it
            c.createStatement().execute("ALTER ROLE " + ROLE + " SET app.tenant = '1'");
        }
        context = new SpringApplicationBuilder(ServiceApplication.class).properties(
                "server.port=0",
                "spring.datasource.url=" + URL,
                "spring.datasource.username=" + ROLE,
                "spring.datasource.hikari.schema=" + SCHEMA,
                "spring.flyway.locations=classpath:db/migration/app2,classpath:db/migration/app2-code",
                "spring.flyway.schemas=" + SCHEMA,
                "spring.flyway.create-schemas=false",
                "spring.jpa.hibernate.ddl-auto=validate",
                "spring.sql.init.mode=never",
                "governed.principal=app2-service",
                "governed.kind=service",
                "governed.migration.principal=app2-schema-owner",
                "governed.migration.groups=dba",
                "governed.policy=classpath:io/governed/policy/baseline.yaml,classpath:service/app2-policy.yaml,"
                        + "classpath:service/app2-tenants.yaml").run();
    }

    @AfterAll
    static void stop() throws SQLException {
        if (context != null) {
            context.close();
        }
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            c.createStatement().execute("DROP ROLE IF EXISTS " + ROLE);
        }
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    private static String rawString(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.setSchema(SCHEMA);
            try (ResultSet rs = c.createStatement().executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void theMigrationDefinedTheTriggerAndTheRowSecurityPolicy() throws SQLException {
        assertThat(rawString("SELECT count(*) FROM pg_trigger WHERE tgname = 'app2_customer_touch'")).isEqualTo("1");
        assertThat(rawString("SELECT count(*) FROM pg_policies WHERE schemaname = '" + SCHEMA + "'")).isEqualTo("2");
    }

    @Test
    void anOrdinaryUpdateFiresTheTrigger() throws SQLException {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "sue", null, AuthorityUtils.createAuthorityList("ROLE_SUPPORT")));
        context.getBean(CustomerService.class).rename(1, "Ada L.");
        assertThat(rawString("SELECT name || ' ' || (updated_at IS NOT NULL) FROM app2_customer WHERE id = 1"))
                .isEqualTo("Ada L. true");
    }

    @Test
    void readsAndWritesOfTheTableWhoseRowSecurityReadsACustomSettingWorkAsTheTenant() throws SQLException {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "sam", null, AuthorityUtils.createAuthorityList("ROLE_SALES")));
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForList("SELECT body FROM app2_note ORDER BY id", String.class)).containsExactly("one");
        assertThat(jdbc.update("UPDATE app2_note SET body = ? WHERE id = ?", "one!", 1)).isEqualTo(1);
        assertThat(jdbc.update("UPDATE app2_note SET body = ? WHERE id = ?", "two!", 2)).isZero();
        assertThat(jdbc.update("INSERT INTO app2_note (tenant_id, body) VALUES (?, ?)", 1, "three")).isEqualTo(1);
        assertThat(rawString("SELECT string_agg(body, ',' ORDER BY id) FROM app2_note")).isEqualTo("one!,two,three");
    }

    @Test
    void aTableWhoseRowSecurityCallsARoutineOfTheApplicationNeedsACallPermitAndIsRefusedNamingBoth() {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        assertThatThrownBy(() -> jdbc.queryForList("SELECT body FROM app2_memo", String.class))
                .isInstanceOf(GovernanceDeniedDataAccessException.class)
                .hasMessageContaining("No rule permits call on " + SCHEMA + ".app2_current_tenant")
                .hasMessageContaining("rows of " + SCHEMA + ".app2_memo (a row-level security policy of it calls it");
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "sam", null, AuthorityUtils.createAuthorityList("ROLE_SALES")));
        assertThat(jdbc.queryForList("SELECT body FROM app2_memo", String.class)).containsExactly("memo one");
    }

    @Test
    void withoutTheMigrationGroupTheStartFailsSayingWhichSettingDefinesCode() throws SQLException {
        String schema = "app2_nogroup_" + ID;
        try {
            assertThatThrownBy(() -> new SpringApplicationBuilder(ServiceApplication.class).properties(
                    "server.port=0",
                    "spring.datasource.url=" + URL,
                    "spring.datasource.username=postgres",
                    "spring.datasource.hikari.schema=" + schema,
                    "spring.flyway.locations=classpath:db/migration/app2,classpath:db/migration/app2-code",
                    "spring.flyway.schemas=" + schema,
                    "spring.sql.init.mode=never",
                    "governed.principal=app2-service",
                    "governed.kind=service",
                    "governed.migration.principal=app2-schema-owner",
                    "governed.policy=classpath:io/governed/policy/baseline.yaml,classpath:service/app2-tenants.yaml").run())
                    .hasStackTraceContaining("baseline-no-code-definitions")
                    .hasStackTraceContaining("governed.migration.groups=dba");
        } finally {
            try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void settingTheTenantPerTransactionIsRefusedUnderTheBaselineSayingWhatToDoInstead() {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
        assertThatThrownBy(() -> tx.executeWithoutResult(s ->
                jdbc.queryForObject("SELECT set_config('app.tenant', ?, true)", String.class, "2")))
                .isInstanceOf(GovernanceDeniedDataAccessException.class)
                .hasMessageContaining("baseline-no-role-changes").hasMessageContaining("set_config")
                .hasMessageContaining("row filters").hasMessageContaining("ALTER ROLE");
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> jdbc.execute("SET LOCAL app.tenant = '2'")))
                .isInstanceOf(GovernanceDeniedDataAccessException.class)
                .hasMessageContaining("baseline-no-unlisted-settings").hasMessageContaining("row filters");
    }
}
