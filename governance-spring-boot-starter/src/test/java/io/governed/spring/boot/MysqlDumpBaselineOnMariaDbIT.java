package io.governed.spring.boot;

import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.spring.boot.plain.PlainApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.mariadb.jdbc.MariaDbDataSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An application adopting Flyway on an existing MariaDB database starts from {@code mariadb-dump --no-data --routines
 * --triggers --events} (mysqldump) as its baseline migration. A realistic source schema ({@code
 * mysqldump/source-schema.sql.txt}: AUTO_INCREMENT, ENGINE/CHARSET/COLLATE options, keys, a foreign key, generated
 * columns, checks, views with DEFINER and SQL SECURITY, triggers, a procedure, a function, an event, a sequence, a
 * system-versioned table) is made in {@code md_src} and dumped by the server's own tool; that text, as the tool wrote
 * it, is {@code V1__baseline.sql}, which Flyway splits with its own MariaDB parser (DELIMITER lines included) and runs
 * through the starter's governed HikariCP pool, as the migration principal in group dba, under the baseline policy and
 * the application's additions, into the empty {@code md_dst}. A second dump of {@code md_dst} equals the first (but for
 * its comment lines: host, database name, date). Statements hidden in version comments never run unanalysed.
 */
@EnabledIf("io.governed.spring.boot.BootApplicationOnMariaDbIT#reachable")
class MysqlDumpBaselineOnMariaDbIT {
    private static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/";
    private static final String SOURCE = "md_src";
    private static final String TARGET = "md_dst";
    private static final String ADVERSARIAL = "md_adv";
    private final String sink = "md-" + UUID.randomUUID();

    @BeforeEach
    void freshDatabases() throws Exception {
        dropDatabases();
        try (Connection c = DriverManager.getConnection(SERVER + "test", "root", ""); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + SOURCE);
            st.execute("CREATE DATABASE " + TARGET);
            st.execute("CREATE DATABASE " + ADVERSARIAL);
        }
        try (Connection c = DriverManager.getConnection(SERVER + SOURCE, "root", ""); Statement st = c.createStatement()) {
            for (String statement : PgDumpBaselineOnPostgresIT.resource("mysqldump/source-schema.sql.txt")
                    .split("\n--;\n")) {
                st.execute(statement);
            }
        }
        try (Connection c = DriverManager.getConnection(SERVER + ADVERSARIAL, "root", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE victims (id INT PRIMARY KEY)");
            st.execute("CREATE TABLE customers (id INT PRIMARY KEY, ssn CHAR(11))");
        }
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "test", "root", ""); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + SOURCE);
            st.execute("DROP DATABASE IF EXISTS " + TARGET);
            st.execute("DROP DATABASE IF EXISTS " + ADVERSARIAL);
        }
    }

    /**
     * What the server runs of a version comment is analysed as the SQL it is, and a comment whose running depends on the
     * server's version (or mariadb-dump's sandbox line) makes the statement refused: through the governed driver as
     * the application's service identity, none of these runs, checked through a raw connection.
     */
    @Test
    void aStatementHiddenInAVersionCommentNeverRunsUnanalysed() throws Exception {
        List<String> hidden = List.of(
                "/*!40101 DROP TABLE victims */",
                "/*!DROP TABLE victims */",
                "SELECT 1 /*!99999 ; DROP TABLE victims */",
                "SELECT 1 /*!40101 ; DROP TABLE victims */",
                "/*M!100100 DROP TABLE victims */",
                "/*M!999999 DROP TABLE victims */",
                "/*!100100 DROP TABLE victims */",
                "/*M!999999\\- enable the sandbox mode */ DROP TABLE victims",
                "/*!40101 SET NAMES utf8mb4 */ ; DROP TABLE victims",
                "/*!40000 ALTER TABLE `victims` DISABLE KEYS */ ; DROP TABLE victims",
                "DO 1 /*!99999 , (SELECT 1 FROM victims FOR UPDATE) */ ; DROP TABLE victims",
                "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER md_wipe AFTER INSERT ON"
                        + " customers FOR EACH ROW DELETE FROM victims */",
                "/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */"
                        + " /*!50001 VIEW md_peek AS SELECT ssn FROM customers */",
                "CREATE DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW md_peek AS SELECT ssn FROM customers");
        MariaDbDataSource raw = new MariaDbDataSource(SERVER + ADVERSARIAL);
        raw.setUser("root");
        raw.setPassword("");
        Properties settings = new Properties();
        settings.setProperty("governed.policy",
                "classpath:io/governed/policy/baseline.yaml, classpath:mysqldump/app-additions.yaml");
        settings.setProperty("governed.principal", "app-service");
        settings.setProperty("governed.kind", "service");
        GovernedDataSource governed = new GovernedDataSource(raw, settings);
        try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
            for (String sql : hidden) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql).isEqualTo("42501"));
            }
            assertThatThrownBy(() -> st.execute("/*M!999999\\- enable the sandbox mode */"))
                    .hasMessageContaining("sandbox").hasMessageContaining("delete that line");
        }
        assertThat(rawString(ADVERSARIAL, "SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                + ADVERSARIAL + "'")).as("victims and customers, no view").isEqualTo("2");
        assertThat(rawString(ADVERSARIAL, "SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = '"
                + ADVERSARIAL + "'")).isEqualTo("0");
    }

    @Test
    void theDumpAsWrittenIsRefusedAtItsSandboxLineSayingToDeleteIt() throws Exception {
        Path dir = migration(dump(SOURCE));
        assertThatThrownBy(() -> start(dir).close())
                .hasStackTraceContaining("42501")
                .hasStackTraceContaining("sandbox")
                .hasStackTraceContaining("delete that line from the script");
        assertThat(rawString(TARGET, "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + TARGET
                + "' AND table_name <> 'flyway_schema_history'")).isEqualTo("0");
    }

    @Test
    void theMigrationPrincipalRunsTheDumpAndASecondDumpEqualsTheFirst() throws Exception {
        String first = dump(SOURCE);
        assertThat(first).contains("DELIMITER ;;", "/*!50003 CREATE*/ /*!50017 DEFINER=", "/*!50013 DEFINER=",
                "WITH SYSTEM VERSIONING", "CREATE SEQUENCE", "/*!50106 CREATE*/", "DROP TABLE IF EXISTS");
        Path dir = migration(withoutSandboxLine(first));
        try (ConfigurableApplicationContext app = start(dir)) {
            Governance governance = app.getBean(Governance.class);
            governance.flushAudit();
            assertThat(rawString(TARGET, "SELECT count(*) FROM flyway_schema_history WHERE success AND version = '1'"))
                    .isEqualTo("1");
            assertThat(comparable(dump(TARGET))).isEqualTo(comparable(first));

            List<AuditEvent> events = MemorySink.named(sink).events().stream()
                    .filter(e -> "schema-owner".equals(e.principal())).toList();
            assertThat(events).allSatisfy(e -> {
                assertThat(e.decision()).as(e.statement() + " " + e.error()).isEqualTo(AuditDecision.ALLOW);
                assertThat(e.purpose()).isEqualTo("migration");
                assertThat(e.statement()).doesNotContain("2030-01-01", "purges the log", "marks an order paid");
            });
            assertThat(events).extracting(AuditEvent::action)
                    .contains("drop", "create", "define-code", "set", "select");
            assertThat(events).filteredOn(e -> e.action().equals("define-code")
                            && e.statement().toLowerCase().contains("orders_logged"))
                    .singleElement().satisfies(e -> assertThat(e.rules()).contains("app-migration-definers"));
            assertThat(events).filteredOn(e -> e.action().equals("create")
                            && e.statement().toLowerCase().contains("customer_totals"))
                    .as("the view's stand-in, then the view for its definer").hasSize(2)
                    .filteredOn(e -> e.rules().contains("app-migration-definers")).hasSize(1);
        }
    }

    private ConfigurableApplicationContext start(Path migrations) {
        return new SpringApplicationBuilder(PlainApplication.class).web(WebApplicationType.NONE).properties(
                "spring.datasource.url=" + SERVER + TARGET,
                "spring.datasource.username=root",
                "spring.datasource.password=",
                "spring.flyway.locations=filesystem:" + migrations,
                "spring.jpa.hibernate.ddl-auto=none",
                "spring.sql.init.mode=never",
                "governed.policy=classpath:io/governed/policy/baseline.yaml,classpath:mysqldump/app-additions.yaml",
                "governed.principal=app-service",
                "governed.kind=service",
                "governed.migration.principal=schema-owner",
                "governed.migration.groups=dba",
                "governed.audit.sinks=memory:" + sink).run();
    }

    private static Path migration(String text) throws Exception {
        Path dir = Files.createTempDirectory("md-migration");
        Files.writeString(dir.resolve("V1__baseline.sql"), text);
        return dir;
    }

    /** The dump less its first line, mariadb-dump's sandbox-mode command, as the refusal of it says to. */
    private static String withoutSandboxLine(String dump) {
        return dump.lines().filter(l -> !l.startsWith("/*M!999999\\-")).collect(Collectors.joining("\n", "", "\n"));
    }

    /** The dump without its comment lines (host, database name, date) and sandbox line. */
    private static String comparable(String dump) {
        return withoutSandboxLine(dump).lines().filter(l -> !l.startsWith("--"))
                .collect(Collectors.joining("\n")).strip();
    }

    /** {@code mariadb-dump --no-data --routines --triggers --events} of the database, without Flyway's table. */
    private static String dump(String database) throws Exception {
        String tool = Files.isExecutable(Path.of("/usr/bin/mariadb-dump")) ? "/usr/bin/mariadb-dump" : "/usr/bin/mysqldump";
        Process p = new ProcessBuilder(List.of(tool, "-h", "127.0.0.1", "-P", "3306", "-u", "root", "--no-data",
                "--routines", "--triggers", "--events", "--ignore-table=" + database + ".flyway_schema_history",
                database)).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        return out;
    }

    private static String rawString(String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + database, "root", "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
