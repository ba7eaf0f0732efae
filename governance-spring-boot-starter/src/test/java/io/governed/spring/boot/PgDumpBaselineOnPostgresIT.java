package io.governed.spring.boot;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.identity.IdentityResolution;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An application adopting Flyway on an existing PostgreSQL database starts from {@code pg_dump --schema-only}'s output
 * as its baseline migration. {@code pgdump/migration/V1__baseline.sql} is that output, unedited, of the schema in
 * {@code pgdump/source-schema.sql.txt} (serial and identity columns, sequences owned by columns, defaults calling
 * {@code nextval}, keys, checks, partial and expression indexes, a view, a materialized view, a SQL and a PL/pgSQL
 * function with a trigger, comments, an enum, a domain, a partitioned table with a partition, an inheriting table,
 * grants). Flyway splits it with its own PostgreSQL parser and runs it through the governed data source as the
 * migration identity under the baseline policy on a fresh database; {@code pg_dump} of the result, read through the
 * server's own tool, equals the baseline (but for the history table Flyway adds and psql's {@code \restrict} key).
 */
@EnabledIf("io.governed.spring.boot.BootApplicationOnPostgresIT#reachable")
class PgDumpBaselineOnPostgresIT {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String DATABASE = "pgd_fresh";

    @BeforeEach
    void freshDatabase() throws SQLException {
        dropDatabase();
        try (Connection c = DriverManager.getConnection(SERVER + "test", "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + DATABASE);
            st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgd_reader')"
                    + " THEN CREATE ROLE pgd_reader NOLOGIN; END IF; END $$");
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "test", "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            st.execute("DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgd_reader')"
                    + " AND NOT EXISTS (SELECT FROM pg_shdepend d JOIN pg_roles r ON r.oid = d.refobjid"
                    + " WHERE r.rolname = 'pgd_reader') THEN DROP ROLE pgd_reader; END IF; END $$");
        }
    }

    private static GovernedDataSource governed() throws SQLException {
        PGSimpleDataSource raw = new PGSimpleDataSource();
        raw.setUrl(SERVER + DATABASE);
        raw.setUser("postgres");
        raw.setPassword("");
        Properties settings = new Properties();
        settings.setProperty("governed.policy",
                "classpath:io/governed/policy/baseline.yaml, classpath:pgdump/app-additions.yaml");
        settings.setProperty("governed.principal", "app-service");
        settings.setProperty("governed.kind", "service");
        return new GovernedDataSource(raw, settings);
    }

    private static Identity migrationIdentity() {
        return Identity.builder("app-schema-owner").kind(IdentityKind.SERVICE).groups("dba")
                .purpose(IdentityResolution.MIGRATION_PURPOSE).build();
    }

    @Test
    void pgDumpsTextAsWrittenIsRefusedAtItsPsqlMetaCommandWithWhatToDo() throws Exception {
        GovernedDataSource governed = governed();
        assertThatThrownBy(() -> IdentityContext.runAs(migrationIdentity(), () -> Flyway.configure()
                .dataSource(governed).locations("classpath:pgdump/migration").load().migrate()))
                .hasStackTraceContaining("42501")
                .hasStackTraceContaining("psql meta-command")
                .hasStackTraceContaining("delete those lines from the script");
        assertThat(rawString("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'")).isEqualTo("0");
    }

    @Test
    void theMigrationIdentityRunsPgDumpsBaselineAndTheCatalogIsTheOriginal() throws Exception {
        MigrateResult result = migrateWithoutPsqlLines();

        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isEqualTo(1);
        assertThat(comparable(dump(DATABASE))).isEqualTo(comparable(resource("pgdump/migration/V1__baseline.sql")));
    }

    /**
     * After the baseline, migrations copying pg_dump's forms next to the forms the parser always read: a function whose
     * {@code $$} body reads the redacted {@code ssn}, over several lines; a check calling a user routine on it added
     * through {@code ALTER TABLE ONLY}; a default calling a user routine that reads it. Each pg_dump form gets the same
     * outcome as its equivalent (each run in a transaction rolled back); the check is refused, and the catalog, read
     * through a raw connection, shows none of them.
     */
    @Test
    void laterMigrationsInPgDumpsFormsAreJudgedAsTheirEquivalents() throws Exception {
        assertThat(migrateWithoutPsqlLines().success).isTrue();
        try (Connection raw = DriverManager.getConnection(SERVER + DATABASE, "postgres", "");
             Statement st = raw.createStatement()) {
            st.execute("CREATE FUNCTION app.leak(v text) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$");
            st.execute("CREATE FUNCTION app.leak_default() RETURNS text LANGUAGE sql"
                    + " AS $$ SELECT ssn FROM app.customers LIMIT 1 $$");
        }
        List<List<String>> pairs = List.of(
                List.of("CREATE FUNCTION app.peek(c integer) RETURNS text\n    LANGUAGE sql STABLE\n"
                                + "    AS $$ SELECT ssn FROM app.customers WHERE id = c $$",
                        "CREATE FUNCTION app.peek(c integer) RETURNS text LANGUAGE sql STABLE"
                                + " AS $$ SELECT ssn FROM app.customers WHERE id = c $$"),
                List.of("ALTER TABLE ONLY app.customers\n    ADD CONSTRAINT customers_leak CHECK (app.leak(ssn))",
                        "ALTER TABLE app.customers ADD CONSTRAINT customers_leak CHECK (app.leak(ssn))"),
                List.of("ALTER TABLE ONLY app.customers ALTER COLUMN name SET DEFAULT app.leak_default()",
                        "ALTER TABLE app.customers ALTER COLUMN name SET DEFAULT app.leak_default()"));
        IdentityContext.runAs(migrationIdentity(), () -> {
            try (Connection c = governed().getConnection(); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                for (List<String> pair : pairs) {
                    String form = outcome(c, st, pair.get(0));
                    assertThat(form).as(pair.get(0)).isEqualTo(outcome(c, st, pair.get(1)))
                            .doesNotContain("could not be parsed");
                }
                assertThat(outcome(c, st, pairs.get(1).get(0))).startsWith("42501");
            }
            return null;
        });
        assertThat(rawString("SELECT count(*) FROM pg_proc WHERE proname = 'peek'")).isEqualTo("0");
        assertThat(rawString("SELECT count(*) FROM pg_constraint WHERE conname = 'customers_leak'")).isEqualTo("0");
        assertThat(rawString("SELECT count(*) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid"
                + " AND a.attnum = d.adnum WHERE d.adrelid = 'app.customers'::regclass AND a.attname = 'name'"))
                .isEqualTo("0");
    }

    /** {@code ran}, or the refusal's SQLState and message, of the statement run in a transaction then rolled back. */
    private static String outcome(Connection c, Statement st, String sql) throws SQLException {
        try {
            st.execute(sql);
            return "ran";
        } catch (SQLException e) {
            return e.getSQLState() + " " + e.getMessage();
        } finally {
            c.rollback();
        }
    }

    /** Flyway runs pg_dump's text less psql's meta-commands, as the refusal of them says to. */
    private static MigrateResult migrateWithoutPsqlLines() throws Exception {
        Path dir = Files.createTempDirectory("pgd-migration");
        String text = resource("pgdump/migration/V1__baseline.sql").lines()
                .filter(l -> !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict"))
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(dir.resolve("V1__baseline.sql"), text);
        GovernedDataSource governed = governed();
        return IdentityContext.runAs(migrationIdentity(), () -> Flyway.configure()
                .dataSource(governed).locations("filesystem:" + dir).load().migrate());
    }

    private static String rawString(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + DATABASE, "postgres", "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The dump without psql's {@code \restrict} key lines (random per run) and without comment lines. */
    static String comparable(String dump) {
        return dump.lines().filter(l -> !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict")
                && !l.startsWith("--")).collect(Collectors.joining("\n")).strip();
    }

    static String resource(String name) throws IOException {
        try (InputStream in = PgDumpBaselineOnPostgresIT.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** {@code pg_dump --schema-only} of the database, through the server's own tool, without Flyway's table. */
    static String dump(String database) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("pg_dump", "-h", "127.0.0.1", "-U", "postgres", "--schema-only",
                "--exclude-table=public.flyway_schema_history", database)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
