package io.governed.spring.boot;

import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.spring.boot.plain.PlainApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

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
 * includes a formatted SQL one, with a drop, an added column backfilled by an {@code UPDATE} of every row and a
 * rename) on the local PostgreSQL server, under the baseline, a mask of {@code account.email} and
 * {@code governed.migration.principal}, in a schema of its own. One application serves the first tests: the schema
 * is there (read through pgjdbc), Liquibase's tables hold its change sets and a released lock, the audit trail holds
 * the migration's statements as the migration principal, and afterwards the application's own identity is held to
 * the baseline and reads the e-mail masked; started again, it applies nothing. The others start an application whose
 * Liquibase has a data source of its own ({@code spring.liquibase.url} and {@code .user}) and a change set defining a
 * function, which the baseline leaves to group {@code dba}: the start fails naming the setting to change and leaves
 * nothing of the change set, and with that setting it migrates.
 */
@EnabledIf("io.governed.spring.boot.BootApplicationOnPostgresIT#reachable")
class LiquibaseApplicationOnPostgresIT {
    static final String URL = BootApplicationOnPostgresIT.URL;
    static final String SCHEMA = schemaName();
    static final String SINK = "lqb-pg-" + UUID.randomUUID();
    /** The change log's five change sets, as {@link #changeSets} lists them once applied. */
    static final String FIVE_CHANGE_SETS = "1-account:EXECUTED,2-legacy:EXECUTED,3-drop-legacy:EXECUTED,"
            + "4-nickname:EXECUTED,5-rename:EXECUTED";

    /** A schema name of its own for a run ({@code lqb_} and twelve hex digits), dropped by the test that made it. */
    static String schemaName() {
        return "lqb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
    static ConfigurableApplicationContext context;

    static ConfigurableApplicationContext start(String schema, String sink, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + URL,
                "--spring.datasource.username=postgres",
                "--spring.datasource.hikari.schema=" + schema,
                "--spring.flyway.enabled=false",
                "--spring.sql.init.mode=never",
                "--spring.liquibase.enabled=true",
                "--spring.liquibase.change-log=classpath:db/changelog/liquibase/master.yaml",
                "--spring.liquibase.default-schema=" + schema,
                "--spring.liquibase.liquibase-schema=" + schema,
                "--governed.policy=classpath:io/governed/policy/baseline.yaml,classpath:plain/mask-email.yaml",
                "--governed.principal=accounts-app",
                "--governed.kind=service",
                "--governed.migration.principal=schema-owner",
                "--governed.audit.sinks=memory:" + sink));
        for (String m : more) { // a property given again replaces the one above: repeated, Spring would join them
            String key = "--" + m.substring(0, m.indexOf('=') + 1);
            args.removeIf(a -> a.startsWith(key));
            args.add("--" + m);
        }
        return new SpringApplicationBuilder(PlainApplication.class).web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
    }

    @BeforeAll
    static void startTheApplication() throws SQLException {
        execute("CREATE SCHEMA " + SCHEMA);
        context = start(SCHEMA, SINK);
    }

    @AfterAll
    static void dropTheSchema() throws SQLException {
        if (context != null) {
            context.close();
        }
        execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.createStatement().execute(sql);
        }
    }

    private static List<String> column(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(URL, "postgres", "");
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static List<AuditEvent> events(ConfigurableApplicationContext application, String sink) {
        application.getBean(Governance.class).flushAudit();
        return MemorySink.named(sink).events();
    }

    private static String changeSets(String schema) throws SQLException {
        return String.join(",", column("SELECT id || ':' || exectype FROM " + schema
                + ".databasechangelog ORDER BY orderexecuted"));
    }

    @Test
    void theChangelogRanThroughTheGovernedDataSourceAsTheMigrationPrincipal() throws SQLException {
        assertThat(column("SELECT full_name || '/' || nickname || '/' || email FROM " + SCHEMA + ".account"))
                .containsExactly("Ada/Ada/ada@example.com");
        assertThat(column("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + SCHEMA
                + "' AND table_name = 'legacy_note'")).as("dropped by change set 3").containsExactly("0");
        assertThat(changeSets(SCHEMA)).isEqualTo(FIVE_CHANGE_SETS);
        assertThat(column("SELECT locked FROM " + SCHEMA + ".databasechangeloglock")).containsExactly("f");

        List<AuditEvent> events = events(context, SINK);
        LiquibaseApplicationOnH2Test.assertMigrationTrail(events);
    }

    @Test
    void afterwardsTheApplicationIsGovernedAsUsual() throws SQLException {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        assertThatThrownBy(() -> jdbc.execute("DROP TABLE account"))
                .isInstanceOf(PermissionDeniedDataAccessException.class)
                .rootCause().isInstanceOf(GovernanceException.class).satisfies(e -> {
                    assertThat(((SQLException) e).getSQLState()).isEqualTo("42501");
                    assertThat(e.getMessage()).contains("baseline-no-destructive-ddl");
                });
        assertThatThrownBy(() -> jdbc.execute("ALTER TABLE account RENAME COLUMN full_name TO name"))
                .isInstanceOf(PermissionDeniedDataAccessException.class);
        assertThat(column("SELECT column_name FROM information_schema.columns WHERE table_schema = '" + SCHEMA
                + "' AND table_name = 'account' ORDER BY ordinal_position"))
                .containsExactly("id", "full_name", "email", "nickname");
        String email = jdbc.queryForObject("SELECT email FROM account WHERE id = 1", String.class);
        assertThat(email).as("masked for the application's identity").isNotEqualTo("ada@example.com")
                .doesNotContain("ada");
    }

    @Test
    void startedAgainItAppliesNothing() throws SQLException {
        String sink = "lqb-pg-again-" + UUID.randomUUID();
        try (ConfigurableApplicationContext again = start(SCHEMA, sink)) {
            List<AuditEvent> migration = events(again, sink).stream()
                    .filter(e -> "schema-owner".equals(e.principal())).toList();
            assertThat(migration).isNotEmpty().allSatisfy(e -> {
                assertThat(e.purpose()).isEqualTo("migration");
                assertThat(e.decision()).as(e.statement()).isNotEqualTo(AuditDecision.DENY);
            });
            assertThat(migration).extracting(AuditEvent::action).doesNotContain("create", "drop", "alter");
        }
        assertThat(changeSets(SCHEMA)).isEqualTo(FIVE_CHANGE_SETS);
        assertThat(column("SELECT locked FROM " + SCHEMA + ".databasechangeloglock")).containsExactly("f");
    }

    /** Liquibase's data source of its own, and the change set that defines a function. */
    private static String[] ownDataSourceDefiningCode() {
        return new String[] {
                "spring.liquibase.url=" + URL, "spring.liquibase.user=postgres", "spring.liquibase.password=",
                "spring.liquibase.change-log=classpath:db/changelog/liquibase/define-code-postgres.sql"};
    }

    @Test
    void aChangeSetDefiningCodeOnLiquibasesOwnDataSourceFailsTheStartSayingWhatToChangeAndLeavesNothing()
            throws SQLException {
        String schema = schemaName();
        execute("CREATE SCHEMA " + schema);
        try {
            assertThatThrownBy(() -> start(schema, "lqb-pg-code-" + UUID.randomUUID(), ownDataSourceDefiningCode()))
                    .hasStackTraceContaining("define-code-postgres.sql::1::reports")
                    .hasStackTraceContaining("baseline-no-code-definitions")
                    .hasStackTraceContaining("governed.migration.groups=dba")
                    .hasRootCauseInstanceOf(GovernanceException.class);
            assertThat(column("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema
                    + "' AND table_name = 'report'")).as("the change set's table rolled back with it").containsExactly("0");
            assertThat(column("SELECT count(*) FROM pg_proc WHERE proname = 'report_count'")).containsExactly("0");
            assertThat(column("SELECT count(*) FROM " + schema + ".databasechangelog")).containsExactly("0");
            assertThat(column("SELECT locked FROM " + schema + ".databasechangeloglock")).as("the lock released")
                    .containsExactly("f");
        } finally {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void aChangeSetDefiningCodeOnLiquibasesOwnDataSourceMigratesWithTheSettingTheMessageNames() throws SQLException {
        String schema = schemaName();
        String sink = "lqb-pg-dba-" + UUID.randomUUID();
        execute("CREATE SCHEMA " + schema);
        List<String> more = new ArrayList<>(List.of(ownDataSourceDefiningCode()));
        more.add("governed.migration.groups=dba");
        more.add("governed.policy=classpath:io/governed/policy/baseline.yaml,classpath:plain/mask-email.yaml,"
                + "classpath:plain/migration-code.yaml");
        try (ConfigurableApplicationContext dba = start(schema, sink, more.toArray(String[]::new))) {
            assertThat(changeSets(schema)).isEqualTo("1:EXECUTED");
            assertThat(column("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                    + "WHERE n.nspname = '" + schema + "' AND p.proname = 'report_count'")).containsExactly("1");
            List<AuditEvent> migration = events(dba, sink).stream()
                    .filter(e -> "schema-owner".equals(e.principal())).toList();
            assertThat(migration).filteredOn(e -> e.statement().toLowerCase(Locale.ROOT).startsWith("create function"))
                    .singleElement().satisfies(e -> {
                        assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
                        assertThat(e.purpose()).isEqualTo("migration");
                    });
        } finally {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /**
     * A backfill copying a column masked for the migration identity ({@code UPDATE account SET contact = email}) would
     * write the masked form over the data: the start fails saying how to exempt migrations from the mask, and the change
     * set rolls back whole (its {@code ALTER TABLE} included) while the five before it stay applied.
     */
    @Test
    void aBackfillCopyingAColumnMaskedForTheMigrationFailsTheStartAndRollsItsChangeSetBack() throws SQLException {
        String schema = schemaName();
        execute("CREATE SCHEMA " + schema);
        try {
            assertThatThrownBy(() -> start(schema, "lqb-pg-backfill-" + UUID.randomUUID(),
                    "spring.liquibase.change-log=classpath:db/changelog/liquibase/master-backfill.yaml"))
                    .hasStackTraceContaining("backfill-from-masked.sql::6-contact::accounts")
                    .hasStackTraceContaining("unless: { purposes: [migration] }")
                    .hasRootCauseInstanceOf(GovernanceException.class);
            assertThat(column("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + schema
                    + "' AND table_name = 'account' AND column_name = 'contact'")).as("rolled back").containsExactly("0");
            assertThat(changeSets(schema)).isEqualTo(FIVE_CHANGE_SETS);
            assertThat(column("SELECT locked FROM " + schema + ".databasechangeloglock")).containsExactly("f");
        } finally {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
