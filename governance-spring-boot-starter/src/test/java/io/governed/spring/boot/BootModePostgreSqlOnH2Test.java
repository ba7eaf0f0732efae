package io.governed.spring.boot;

import io.governed.spring.boot.plain.PlainApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

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
 * A Spring Boot application whose tests run on H2 in its PostgreSQL mode, set in the URL as such applications write
 * it: the application starts, Flyway migrates as the migration principal, and the masked column is masked however
 * the name is written; the same URL with CASE_INSENSITIVE_IDENTIFIERS=TRUE does not start, the refusal naming the
 * setting (with DATABASE_TO_LOWER=TRUE it starts: BootDatabaseToLowerOnH2Test).
 */
class BootModePostgreSqlOnH2Test {
    static final String DATABASE = "jdbc:h2:mem:boot-mode-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    static ConfigurableApplicationContext context;

    private static SpringApplicationBuilder application(String url) {
        return new SpringApplicationBuilder(PlainApplication.class).web(WebApplicationType.NONE).properties(
                "spring.datasource.url=" + url,
                "spring.flyway.locations=classpath:db/migration/accounts,classpath:db/migration/common",
                "spring.sql.init.mode=never",
                "governed.principal=accounts-app",
                "governed.kind=service",
                "governed.migration.principal=schema-owner",
                "governed.policy=classpath:io/governed/policy/baseline.yaml,classpath:plain/mask-email.yaml",
                "governed.audit.sinks=memory:boot-mode-" + UUID.randomUUID());
    }

    @BeforeAll
    static void start() {
        context = application(DATABASE + ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH").run();
    }

    @AfterAll
    static void stop() throws SQLException {
        if (context != null) {
            context.close();
        }
        try (Connection c = DriverManager.getConnection(DATABASE, "sa", "")) {
            c.createStatement().execute("SHUTDOWN");
        }
    }

    private static List<String> raw(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(DATABASE, "sa", ""); ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    @Test
    void flywayMigratedTheDatabaseInThePostgreSqlMode() throws SQLException {
        assertThat(raw("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MODE'"))
                .containsExactly("PostgreSQL");
        assertThat(raw("SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\""))
                .containsExactly("1", "2");
        assertThat(raw("SELECT email FROM account ORDER BY id")).containsExactly("ada@example.com", "grace@example.com");
    }

    @Test
    void theMaskedColumnIsMaskedHoweverItsNameIsWritten() {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        for (String sql : List.of("SELECT email FROM account ORDER BY id", "SELECT EMAIL FROM PUBLIC.ACCOUNT ORDER BY id",
                "SELECT \"EMAIL\" FROM \"ACCOUNT\" ORDER BY id", "SELECT `email` FROM `account` ORDER BY id",
                "SELECT a.`email` FROM public.`account` a ORDER BY id")) {
            List<String> read = jdbc.queryForList(sql, String.class);
            assertThat(read).as(sql).hasSize(2).doesNotContain("ada@example.com", "grace@example.com");
        }
    }

    @Test
    void theSameUrlWithCaseInsensitiveIdentifiersDoesNotStart() {
        String lower = "jdbc:h2:mem:boot-mode-insensitive-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;CASE_INSENSITIVE_IDENTIFIERS=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        assertThatThrownBy(() -> application(lower).run().close())
                .satisfies(e -> {
                    Throwable root = e;
                    while (root.getCause() != null) {
                        root = root.getCause();
                    }
                    assertThat(root).isInstanceOf(SQLException.class);
                    assertThat(((SQLException) root).getSQLState()).isEqualTo("08001");
                    assertThat(root.getMessage()).contains("'CASE_INSENSITIVE_IDENTIFIERS'", "changes how names are compared");
                });
    }
}
