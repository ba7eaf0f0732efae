package io.governed.spring.boot;

import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.spring.boot.plain.PlainApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An application whose schema Liquibase makes at startup ({@code spring.liquibase.change-log}: a YAML changelog that
 * includes a formatted SQL one, with a drop, an added column backfilled by an {@code UPDATE} of every row and a rename)
 * on the application's governed data source, on H2, under the baseline, a mask of {@code account.email} and
 * {@code governed.migration.principal}: the schema is there (read through H2's own driver), Liquibase's tables hold
 * its change sets and a released lock, the audit trail holds the migration's statements as the migration principal,
 * and afterwards the application's own identity is held to the baseline and reads the e-mail masked. A changelog
 * doing what the baseline forbids a migration too (file access) fails the start and leaves nothing behind.
 */
@SpringBootTest(classes = PlainApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "spring.flyway.enabled=false",
        "spring.liquibase.enabled=true",
        "spring.liquibase.change-log=classpath:db/changelog/liquibase/master.yaml",
        "governed.policy=classpath:io/governed/policy/baseline.yaml,classpath:plain/mask-email.yaml",
        "governed.principal=accounts-app",
        "governed.kind=service",
        "governed.migration.principal=schema-owner",
})
class LiquibaseApplicationOnH2Test {
    static final String DATABASE = "jdbc:h2:mem:lqb-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    static final String SINK = "lqb-h2-" + UUID.randomUUID();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("governed.audit.sinks", () -> "memory:" + SINK);
    }

    @Autowired
    Governance governance;
    @Autowired
    JdbcTemplate jdbc;

    private static Connection raw(String url) throws SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }

    private static List<String> column(String url, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = raw(url); ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    @Test
    void theChangelogRanThroughTheGovernedDataSourceAsTheMigrationPrincipal() throws SQLException {
        assertThat(column(DATABASE, "SELECT full_name || '/' || nickname || '/' || email FROM account"))
                .containsExactly("Ada/Ada/ada@example.com");
        assertThat(column(DATABASE, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'LEGACY_NOTE'"))
                .as("dropped by change set 3").containsExactly("0");
        assertThat(column(DATABASE, "SELECT id || ':' || exectype FROM databasechangelog ORDER BY orderexecuted"))
                .containsExactly("1-account:EXECUTED", "2-legacy:EXECUTED", "3-drop-legacy:EXECUTED",
                        "4-nickname:EXECUTED", "5-rename:EXECUTED");
        assertThat(column(DATABASE, "SELECT locked FROM databasechangeloglock")).containsExactly("FALSE");

        governance.flushAudit();
        List<AuditEvent> events = MemorySink.named(SINK).events();
        assertMigrationTrail(events);
    }

    @Test
    void afterwardsTheApplicationIsGovernedAsUsual() throws SQLException {
        assertThatThrownBy(() -> jdbc.execute("DROP TABLE legacy_account"))
                .isInstanceOf(PermissionDeniedDataAccessException.class)
                .hasRootCauseInstanceOf(GovernanceException.class)
                .rootCause().satisfies(e -> {
                    assertThat(((SQLException) e).getSQLState()).isEqualTo("42501");
                    assertThat(e.getMessage()).contains("baseline-no-destructive-ddl");
                });
        assertThatThrownBy(() -> jdbc.execute("ALTER TABLE account RENAME COLUMN full_name TO name"))
                .isInstanceOf(PermissionDeniedDataAccessException.class);
        assertThat(column(DATABASE, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'FULL_NAME'"))
                .containsExactly("1");
        String email = jdbc.queryForObject("SELECT email FROM account WHERE id = 1", String.class);
        assertThat(email).as("masked for the application's identity").isNotEqualTo("ada@example.com")
                .doesNotContain("ada");
    }

    /** On the application's data source, and on one Liquibase is given of its own (spring.liquibase.url and .user). */
    @ParameterizedTest(name = "Liquibase''s own data source: {0}")
    @ValueSource(booleans = {false, true})
    void aChangeSetTheBaselineForbidsMigrationsTooFailsTheStartAndLeavesNothing(boolean ownDataSource) throws Exception {
        String database = "jdbc:h2:mem:lqb-forbidden-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection c = raw(database)) {
            c.createStatement().execute("CREATE TABLE account (id INT PRIMARY KEY, email VARCHAR(100))");
            c.createStatement().execute("INSERT INTO account VALUES (1, 'ada@example.com')");
        }
        Path written = Path.of("lqb-accounts.csv");
        Files.deleteIfExists(written);
        try {
            List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + database,
                    "--spring.flyway.enabled=false", "--spring.liquibase.enabled=true",
                    "--spring.liquibase.change-log=classpath:db/changelog/liquibase/file-access-h2.sql",
                    "--governed.principal=accounts-app", "--governed.kind=service",
                    "--governed.migration.principal=schema-owner"));
            if (ownDataSource) {
                args.addAll(List.of("--spring.liquibase.url=" + database, "--spring.liquibase.user=sa"));
            }
            assertThatThrownBy(() -> new SpringApplicationBuilder(PlainApplication.class).web(WebApplicationType.NONE)
                    .run(args.toArray(String[]::new)))
                    .hasStackTraceContaining("file-access-h2.sql::1::reports")
                    .hasStackTraceContaining("baseline-no-file-access")
                    .hasRootCauseInstanceOf(GovernanceException.class);
            assertThat(written).as("CSVWRITE did not run").doesNotExist();
            assertThat(column(database, "SELECT count(*) FROM databasechangelog")).containsExactly("0");
            assertThat(column(database, "SELECT locked FROM databasechangeloglock")).as("the lock released")
                    .containsExactly("FALSE");
        } finally {
            Files.deleteIfExists(written);
            try (Connection c = raw(database)) {
                c.createStatement().execute("SHUTDOWN");
            }
        }
    }

    private static void startOn(String database, String changeLog, String policy) {
        new SpringApplicationBuilder(PlainApplication.class).web(WebApplicationType.NONE)
                .run("--spring.datasource.url=" + database, "--spring.flyway.enabled=false",
                        "--spring.liquibase.enabled=true", "--spring.liquibase.change-log=" + changeLog,
                        "--governed.policy=classpath:io/governed/policy/baseline.yaml," + policy,
                        "--governed.principal=accounts-app", "--governed.kind=service",
                        "--governed.migration.principal=schema-owner").close();
    }

    /**
     * A backfill copying a column masked for the migration identity ({@code UPDATE account SET contact = email}, under
     * a mask exempting only support) would write the masked form over the data: it fails the start, saying to exempt
     * migrations from the mask, and with that exemption it copies the addresses in clear.
     */
    @Test
    void aBackfillCopyingAColumnMaskedForTheMigrationFailsTheStartSayingToExemptMigrationsFromTheMask() throws Exception {
        String database = "jdbc:h2:mem:lqb-backfill-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String changeLog = "classpath:db/changelog/liquibase/master-backfill.yaml";
        try {
            assertThatThrownBy(() -> startOn(database, changeLog, "classpath:plain/mask-email.yaml"))
                    .hasStackTraceContaining("backfill-from-masked.sql::6-contact::accounts")
                    .hasStackTraceContaining("mask mask-account-email hides from schema-owner")
                    .hasStackTraceContaining("unless: { purposes: [migration] }")
                    .hasRootCauseInstanceOf(GovernanceException.class);
            assertThat(column(database, "SELECT count(*) FROM account WHERE contact IS NOT NULL"))
                    .as("no masked form written").containsExactly("0");
            assertThat(column(database, "SELECT count(*) FROM databasechangelog")).containsExactly("5");
            assertThat(column(database, "SELECT locked FROM databasechangeloglock")).containsExactly("FALSE");

            try (Connection c = raw(database)) { // H2 commits the change set's ALTER before the refused UPDATE
                c.createStatement().execute("ALTER TABLE account DROP COLUMN contact");
            }
            startOn(database, changeLog, "classpath:plain/mask-email-but-migrations.yaml");
            assertThat(column(database, "SELECT contact FROM account")).containsExactly("ada@example.com");
            assertThat(column(database, "SELECT count(*) FROM databasechangelog")).containsExactly("6");
        } finally {
            try (Connection c = raw(database)) {
                c.createStatement().execute("SHUTDOWN");
            }
        }
    }

    /**
     * The trail of the changelog's migration, as both databases record it: every statement of Liquibase's run as the
     * migration identity ({@code schema-owner}, purpose {@code migration}), none denied (on PostgreSQL its probe of the
     * lock table before it creates it fails on the server, audited as an error), the drop, the rename and the change
     * log's writes among them; nothing of it as the application's identity.
     */
    static void assertMigrationTrail(List<AuditEvent> events) {
        List<AuditEvent> migration = events.stream().filter(e -> "schema-owner".equals(e.principal())).toList();
        assertThat(migration).extracting(AuditEvent::action)
                .contains("create", "insert", "drop", "alter", "update", "delete");
        assertThat(migration).allSatisfy(e -> {
            assertThat(e.purpose()).isEqualTo("migration");
            assertThat(e.decision()).as(e.statement()).isNotEqualTo(AuditDecision.DENY);
        });
        assertThat(migration).extracting(e -> e.statement().toLowerCase(Locale.ROOT))
                .anyMatch(s -> s.startsWith("drop table") && s.contains("legacy_note"))
                .anyMatch(s -> s.contains("rename column"))
                .anyMatch(s -> s.startsWith("insert into") && s.contains("databasechangelog("))
                .anyMatch(s -> s.startsWith("update") && s.contains("databasechangeloglock"));
        assertThat(events).filteredOn(e -> !"schema-owner".equals(e.principal()))
                .as("nothing of the migration ran as the application's identity")
                .noneMatch(e -> e.statement().toLowerCase(Locale.ROOT).contains("databasechangelog")
                        || e.decision() != AuditDecision.DENY && List.of("create", "drop", "alter").contains(e.action()));
    }
}
