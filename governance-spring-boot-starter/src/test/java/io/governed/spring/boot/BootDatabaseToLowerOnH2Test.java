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
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Spring Boot application whose tests run on H2 with the URL such applications copy beside MODE=PostgreSQL
 * ({@code MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH}): it starts, Flyway migrates as the
 * migration principal (H2 stores the migration's names in lower case), and the e-mail column is masked however its
 * name is written, through every way the application reads it; a name quoted in upper case is another name H2 does not
 * have, refused by the database, not read unmasked.
 */
class BootDatabaseToLowerOnH2Test {
    static final String DATABASE = "jdbc:h2:mem:boot-lower-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() {
        context = new SpringApplicationBuilder(PlainApplication.class).web(WebApplicationType.NONE).properties(
                "spring.datasource.url=" + DATABASE + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "spring.flyway.locations=classpath:db/migration/accounts,classpath:db/migration/common",
                "spring.sql.init.mode=never",
                "governed.principal=accounts-app",
                "governed.kind=service",
                "governed.migration.principal=schema-owner",
                "governed.policy=classpath:io/governed/policy/baseline.yaml,classpath:plain/mask-email.yaml",
                "governed.audit.sinks=memory:boot-lower-" + UUID.randomUUID()).run();
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
    void flywayMigratedTheDatabaseWithItsNamesInLowerCase() throws SQLException {
        assertThat(raw("SELECT setting_value FROM information_schema.settings WHERE setting_name = 'DATABASE_TO_LOWER'"))
                .containsExactly("true");
        assertThat(raw("SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\""))
                .containsExactly("1", "2");
        assertThat(raw("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE '%account%'"))
                .containsExactly("account");
        assertThat(raw("SELECT email FROM account ORDER BY id")).containsExactly("ada@example.com", "grace@example.com");
    }

    @Test
    void theMaskedColumnIsMaskedHoweverItsNameIsWritten() {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        for (String sql : List.of("SELECT email FROM account ORDER BY id", "SELECT EMAIL FROM PUBLIC.ACCOUNT ORDER BY id",
                "SELECT \"email\" FROM \"account\" ORDER BY id", "SELECT `EMAIL` FROM `ACCOUNT` ORDER BY id",
                "SELECT a.Email AS \"EMAIL\" FROM \"public\".account a ORDER BY id",
                "SELECT e FROM (SELECT email AS e, id FROM Account) t ORDER BY id",
                "SELECT CONCAT(email, '') FROM public.\"account\" ORDER BY id")) {
            List<String> read = jdbc.queryForList(sql, String.class);
            assertThat(read).as(sql).hasSize(2).doesNotContain("ada@example.com", "grace@example.com");
        }
        for (Map<String, Object> row : jdbc.queryForList("SELECT * FROM ACCOUNT")) {
            assertThat(row.values().toString()).doesNotContain("ada@example.com", "grace@example.com");
        }
    }

    @Test
    void aNameQuotedInUpperCaseIsNoneH2HasAndReadsNothing() {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        assertThatThrownBy(() -> jdbc.queryForList("SELECT \"EMAIL\" FROM \"ACCOUNT\"", String.class))
                .hasMessageNotContaining("ada@example.com");
    }
}
