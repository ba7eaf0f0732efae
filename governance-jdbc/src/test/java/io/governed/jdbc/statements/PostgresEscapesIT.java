package io.governed.jdbc.statements;

import io.governed.jdbc.routines.PostgresRoutineCatalog;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.sql.Dialect;
import io.governed.sql.RoutineCatalog;
import io.governed.sql.TableRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL under the baseline: code definitions whose bodies destroy data, calls of user
 * functions, file and host functions, role changes and unbounded writes are refused and change
 * nothing; built-ins read from {@code pg_proc} still run.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@ServerWide("ALTER SYSTEM / server configuration, SET ROLE / SESSION AUTHORIZATION, other databases by link, other sessions, roles or users, server catalogs")
class PostgresEscapesIT extends ServerEscapesSpec {

    private final String table = UniqueNames.of("esc_orders");
    private final String wipe = UniqueNames.of("esc_wipe");

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    List<String> snapshotQueries() {
        return List.of("SELECT * FROM " + table + " ORDER BY id",
                "SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND proname LIKE 'esc_%' ORDER BY 1",
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'esc_%' ORDER BY 1",
                "SELECT rulename FROM pg_rules WHERE rulename LIKE 'esc_%' ORDER BY 1",
                "SELECT rolname FROM pg_roles WHERE rolname LIKE 'esc_%' ORDER BY 1",
                "SELECT extname FROM pg_extension ORDER BY 1",
                "SELECT count(*) FROM pg_largeobject_metadata");
    }

    @BeforeEach
    void fixture() throws Exception {
        try (Connection c = raw()) {
            execute(c, "CREATE TABLE " + table + " (id int PRIMARY KEY, status text NOT NULL, total int)",
                    "INSERT INTO " + table + " VALUES (1, 'new', 10), (2, 'shipped', 20), (3, 'new', 30)",
                    "CREATE FUNCTION " + wipe + "() RETURNS int LANGUAGE sql AS $$ DELETE FROM " + table
                            + "; SELECT 1 $$");
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        try (Connection c = raw()) {
            execute(c, "DROP FUNCTION IF EXISTS " + wipe + "()", "DROP TABLE IF EXISTS " + table + " CASCADE");
        }
    }

    @Test
    void aFunctionWhoseBodyDropsATableIsNotCreated() throws Exception {
        String evil = UniqueNames.of("esc_evil");
        assertRefused("CREATE FUNCTION " + evil + "() RETURNS int LANGUAGE sql AS $$ DROP TABLE " + table
                + "; SELECT 1 $$", "baseline-no-code-definitions");
        assertRefused("CREATE OR REPLACE FUNCTION " + wipe + "() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$",
                "baseline-no-code-definitions");
        assertRefused("CREATE PROCEDURE " + evil + "() LANGUAGE sql AS $$ TRUNCATE " + table + " $$",
                "baseline-no-code-definitions");
        assertRefused("CREATE TRIGGER esc_trg BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + wipe + "()",
                "baseline-no-code-definitions");
        assertRefused("CREATE RULE esc_rule AS ON INSERT TO " + table + " DO INSTEAD DELETE FROM " + table,
                "baseline-no-code-definitions");
        assertRefused("CREATE EXTENSION IF NOT EXISTS dblink", "baseline-no-code-definitions");
        assertRefused("DO $$ BEGIN DELETE FROM " + table + "; END $$", "baseline-no-code-definitions");
    }

    @Test
    void callingAUserFunctionIsRefusedAndItsBodyNeverRuns() throws Exception {
        // the body (a DELETE without WHERE) is judged as the statement's own: the baseline's forbid names it first
        String unbounded = "baseline-no-unbounded-writes";
        assertRefused("SELECT " + wipe + "()", unbounded);
        assertRefused("SELECT id FROM " + table + " WHERE total > " + wipe + "()", unbounded);
        assertRefused("SELECT public." + wipe + "()", unbounded);
        assertRefused("{? = call " + wipe + "()}", unbounded);
    }

    @Test
    void fileAndHostFunctionsAreRefused() throws Exception {
        assertRefused("SELECT pg_ls_dir('.')", "baseline-no-file-access");
        assertRefused("SELECT * FROM pg_stat_file('postgresql.conf')", "baseline-no-file-access");
        assertRefused("SELECT pg_read_file('/etc/hostname')", "baseline-no-file-access");
        assertRefused("SELECT pg_read_binary_file('/etc/hostname')", "baseline-no-file-access");
        assertRefused("SELECT lo_import('/etc/hostname')", "baseline-no-file-access");
        assertRefused("SELECT lo_export(1, '/tmp/governed-jdbc-pwned')", "baseline-no-file-access");
        assertRefused("COPY " + table + " TO '/tmp/governed-jdbc-pwned'", "baseline-no-file-access");
        assertRefused("COPY " + table + " TO PROGRAM 'touch /tmp/governed-jdbc-pwned'", "baseline-no-program-execution");
        assertThat(new java.io.File("/tmp/governed-jdbc-pwned")).doesNotExist();
    }

    @Test
    void roleChangesAreNotSessionSettings() throws Exception {
        assertRefused("SET ROLE postgres", "baseline-no-role-changes");
        assertRefused("SET SESSION AUTHORIZATION postgres", "baseline-no-role-changes");
        assertRefused("RESET ALL", "baseline-no-role-changes");
        assertRefused("RESET ROLE", "baseline-no-role-changes");
        assertRefused("SELECT set_config('role', 'postgres', false)", "baseline-no-role-changes");
        assertRefused("CREATE ROLE esc_mallory SUPERUSER", "baseline-no-role-changes");
        assertRefused("ALTER SYSTEM SET work_mem = '1GB'", "baseline-no-server-settings");
        assertRefused("SET session_replication_role = replica", "baseline-no-unlisted-settings");
        assertRefused("SET row_security = off", "baseline-no-unlisted-settings");
        assertRefused("SET log_statement = 'none'", "baseline-no-unlisted-settings");
        assertRefused("ALTER TABLE " + table + " OWNER TO postgres", "baseline-no-role-changes");
    }

    @Test
    void unboundedWritesAreRefused() throws Exception {
        assertRefused("DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table + ")", "baseline-no-unbounded-writes");
        assertRefused("UPDATE " + table + " SET total = 0 WHERE status IS NOT NULL", "baseline-no-unbounded-writes");
        assertRefused("INSERT INTO " + table + " SELECT * FROM " + table + " ON CONFLICT (id) DO UPDATE SET total = 0",
                "baseline-no-unbounded-writes");
        assertRefused("DELETE FROM " + table + " WHERE " + "(".repeat(300) + "id = 1" + ")".repeat(300),
                "unanalysable");
        assertRefused("SELECT * FROM U&\"" + table + "\"", "Unicode-escaped identifier");
    }

    @Test
    void builtInsRunAndSessionSettingsStillWork() throws Exception {
        try (Connection c = governed(); Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = 10000");
            // to_regnamespace and pg_catalog.quote_ident come from pg_proc: stable built-ins off the analyser's own list
            try (ResultSet r = s.executeQuery("SELECT upper(status), pg_catalog.quote_ident(status), "
                    + "to_regnamespace('public')::text, count(*) FROM " + table + " GROUP BY status ORDER BY 1")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("NEW");
                assertThat(r.getString(3)).isEqualTo("public");
            }
        }
    }

    @Test
    void theCatalogKnowsStableBuiltInsButNotVolatileOnesOrUserCode() throws Exception {
        try (Connection c = raw()) {
            RoutineCatalog catalog = PostgresRoutineCatalog.of(c, Dialect.POSTGRESQL);
            assertThat(catalog.isBuiltIn(new TableRef(null, "to_regnamespace"))).isTrue();
            assertThat(catalog.isBuiltIn(new TableRef("pg_catalog", "quote_ident"))).isTrue();
            // a stable built-in may read tables (table_to_xml reads the one its argument names); an immutable one does not
            assertThat(catalog.mayReadTables(new TableRef(null, "table_to_xml"))).isTrue();
            assertThat(catalog.mayReadTables(new TableRef(null, "quote_ident"))).isFalse();
            assertThat(catalog.mayReadTables(new TableRef(null, "setval"))).isFalse();
            assertThat(catalog.isBuiltIn(new TableRef(null, "setval"))).isFalse();
            assertThat(catalog.isBuiltIn(new TableRef(null, "pg_terminate_backend"))).isFalse();
            assertThat(catalog.isBuiltIn(new TableRef(null, "lo_unlink"))).isFalse();
            assertThat(catalog.isBuiltIn(new TableRef(null, wipe))).isFalse();
            assertThat(catalog.isBuiltIn(new TableRef("public", "quote_ident"))).isFalse();
            assertThat(catalog.isBuiltIn(new TableRef(null, "QUOTE_IDENT"))).isFalse();
            assertThat(PostgresRoutineCatalog.of(c, Dialect.MARIADB)).isSameAs(RoutineCatalog.NONE);
        }
    }
}
