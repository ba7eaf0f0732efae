package io.governed.jdbc.masking;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * Server and session settings read by a caller a mask applies to. An administrator plants a secret in a setting the
 * caller's sessions get (PostgreSQL: ALTER DATABASE … SET app.key = '…', a custom setting every new session of that
 * database starts with; MariaDB: SET GLOBAL init_slave = '…', a free-text server variable), and the masked caller reads
 * it every way the servers offer: current_setting with one and two arguments, with the name as a literal, a column or an
 * expression, SHOW name, SHOW ALL, pg_show_all_settings(), pg_settings, set_config(x, current_setting(y), false), MariaDB
 * @@x, @@global.x, @@session.x, SHOW [GLOBAL] VARIABLES [LIKE], information_schema.GLOBAL_VARIABLES and
 * performance_schema.global_variables. Each reading is refused (42501, the message without the secret) or no getter of
 * any column hands the secret out. The built-in settings schema tools and drivers read at start-up (server_version,
 * search_path, TimeZone, @@max_allowed_packet, @@sql_mode, …) come back as the raw driver gives them, and a caller no
 * mask applies to reads the planted setting as it is. The database is checked raw to hold each secret.
 */
@ServerWide("databases, global variables, server catalogs")
class SettingsReadIT {
    private static final String SECRET = "sk-gsSet7QsettingSecretZ";
    private static final String POLICY = String.join("\n",
            "version: 1",
            "default: deny",
            "classification:",
            "  auto-detect: false",
            "  tags:",
            "    pii.email: [\"*.email\"]",
            "rules:",
            "  - id: read-everything",
            "    effect: permit",
            "    actions: [select, show]",
            "    resources: [\"*\"]",
            "masks:",
            "  - id: mask-email",
            "    columns: { tags: [pii.email] }",
            "    function: email",
            "    unless: { groups: [pii-readers] }",
            "");
    private static final Identity ANALYST = Identity.builder("ann").groups("analysts").build();
    private static final Identity READER = Identity.builder("pat").groups("pii-readers").build();

    static boolean holdsSecret(String text) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(SECRET.substring(3).toLowerCase(Locale.ROOT));
    }

    abstract static class OnServer {
        Connection raw;
        GovernedDataSource governed;

        /** A raw connection to the database the governed caller uses, as the administrator. */
        abstract Connection administrator() throws SQLException;

        abstract DataSource dataSource();

        abstract void plant() throws SQLException;

        abstract void remove() throws SQLException;

        /** Statements that each read a planted secret, raw. */
        abstract List<String> secretReadings();

        /** Statements that read built-in settings schema tools and drivers read, which a masked caller sees in clear. */
        abstract List<String> listedReadings();

        /** One statement reading the planted secret, which a caller no mask applies to reads in clear. */
        abstract String plainReading();

        @BeforeEach
        void plantSecrets() throws Exception {
            plant();
            raw = administrator();
            governed = new GovernedDataSource(dataSource(), Governance.builder().withoutAudit()
                    .policy(PolicyLoader.fromString("settings-read.yaml", POLICY)).build());
        }

        @AfterEach
        void removeSecrets() throws SQLException {
            if (raw != null) {
                raw.close();
            }
            remove();
        }

        @Test
        void noReadingOfASettingHandsThePlantedSecretToAMaskedCaller() throws Exception {
            List<String> leaks = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (String sql : secretReadings()) {
                assertThat(all(raw, sql).stream().anyMatch(SettingsReadIT::holdsSecret))
                        .as("the raw driver reads the planted secret: " + sql).isTrue();
                List<String> seen;
                try {
                    seen = readAs(ANALYST, sql);
                } catch (SQLException e) {
                    assertThat(ExceptionTexts.of(e).stream().anyMatch(SettingsReadIT::holdsSecret)).as("refusal of " + sql).isFalse();
                    if ("42501".equals(e.getSQLState())) {
                        refused.add(sql);
                    } else {
                        failures.add(sql + ": " + e.getSQLState() + " " + e.getMessage());
                    }
                    continue;
                }
                if (seen.stream().anyMatch(SettingsReadIT::holdsSecret)) {
                    leaks.add(sql);
                }
            }
            System.out.println("[" + getClass().getSimpleName() + "] readings: " + secretReadings().size() + ", leaked: "
                    + leaks.size() + " " + leaks + "; refused: " + refused + "; failed otherwise: " + failures);
            assertThat(leaks).as("readings of a setting that hand the planted secret to a masked caller").isEmpty();
            assertThat(failures).as("readings that failed otherwise than refused").isEmpty();
        }

        @Test
        void builtInSettingsToolsReadAtStartUpComeBackAsTheRawDriverGivesThem() throws Exception {
            for (String sql : listedReadings()) {
                List<String> expected = firstColumn(raw, sql);
                List<String> seen = new ArrayList<>();
                List<SQLException> failed = new ArrayList<>();
                IdentityContext.runAs(ANALYST, () -> {
                    try (Connection c = governed.getConnection()) {
                        seen.addAll(firstColumn(c, sql));
                    } catch (SQLException e) {
                        failed.add(e);
                    }
                });
                assertThat(failed).as(sql).isEmpty();
                assertThat(expected).as("the raw reading of " + sql).isNotEmpty().doesNotContain("****");
                assertThat(seen).as(sql).isEqualTo(expected);
            }
        }

        @Test
        void aCallerNoMaskAppliesReadsThePlantedSettingAsItIs() throws Exception {
            assertThat(readAs(READER, plainReading()).stream().anyMatch(SettingsReadIT::holdsSecret)).isTrue();
            assertThat(readAs(ANALYST, plainReading()).stream().anyMatch(SettingsReadIT::holdsSecret)).isFalse();
        }

        List<String> readAs(Identity identity, String sql) throws Exception {
            List<String> out = new ArrayList<>();
            List<Exception> failed = new ArrayList<>();
            IdentityContext.runAs(identity, () -> {
                try (Connection c = governed.getConnection()) {
                    out.addAll(all(c, sql));
                } catch (SQLException e) {
                    failed.add(e);
                }
            });
            if (!failed.isEmpty()) {
                throw failed.get(0);
            }
            return out;
        }

        /** Every getter's text of every column of every row. */
        static List<String> all(Connection c, String sql) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                return EveryGetter.ofAllRows(rs);
            }
        }

        static List<String> firstColumn(Connection c, String sql) throws SQLException {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    out.add(rs.getString(columns));
                }
            }
            return out;
        }
    }

    @Nested
    @RequiresDatabase(TestDatabase.POSTGRESQL)
    class PostgreSql extends OnServer {
        private final String database = UniqueNames.of("gs_set_db");
        private final String key = "app." + UniqueNames.of("gs_set_key");

        private String url() {
            return TestDatabase.POSTGRESQL.rawUrl(database);
        }

        @Override
        Connection administrator() throws SQLException {
            return DriverManager.getConnection(url(), TestDatabase.POSTGRESQL.user(), TestDatabase.POSTGRESQL.password());
        }

        @Override
        DataSource dataSource() {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(url());
            pg.setUser(TestDatabase.POSTGRESQL.user());
            return pg;
        }

        @Override
        void plant() throws SQLException {
            try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database);
                s.execute("ALTER DATABASE " + database + " SET " + key + " = '" + SECRET + "'");
                // a built-in setting of free text: names of tablespaces, taken on faith when none exists
                s.execute("ALTER DATABASE " + database + " SET temp_tablespaces = '" + SECRET.substring(3) + "'");
            }
        }

        @Override
        void remove() throws SQLException {
            try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }

        @Override
        List<String> secretReadings() {
            String k = "'" + key + "'";
            return List.of(
                    "SELECT current_setting(" + k + ")",
                    "SELECT current_setting(" + k + ", true)",
                    "SELECT current_setting(" + k + ", false) AS search_path",
                    "SELECT pg_catalog.current_setting(" + k + ")",
                    "SELECT current_setting(" + k.toUpperCase(Locale.ROOT) + ")",
                    "SELECT current_setting('app.' || '" + key.substring(4) + "')",
                    "SELECT current_setting(n) FROM (VALUES (" + k + ")) v(n)",
                    "SELECT upper(current_setting(" + k + "))",
                    "SELECT x FROM (SELECT current_setting(" + k + ") AS x) s",
                    "WITH c AS (SELECT current_setting(" + k + ") AS x) SELECT x FROM c",
                    "SELECT current_setting(" + k + ") || '' UNION ALL SELECT 'a'",
                    "SELECT ARRAY[current_setting(" + k + ")]",
                    "SHOW " + key,
                    "SHOW \"" + key + "\"",
                    "SHOW temp_tablespaces",
                    "SHOW ALL",
                    "SELECT current_setting('temp_tablespaces')",
                    "SELECT current_setting(name) FROM pg_catalog.pg_settings WHERE name = 'temp_tablespaces'",
                    "SELECT setting FROM pg_catalog.pg_settings WHERE name = 'temp_tablespaces'",
                    "SELECT * FROM pg_catalog.pg_settings WHERE name = 'temp_tablespaces'",
                    "SELECT * FROM pg_catalog.pg_show_all_settings() s WHERE s.name = 'temp_tablespaces'",
                    "SELECT set_config('app.gs_set_copy', current_setting(" + k + "), false)",
                    "SELECT setconfig FROM pg_catalog.pg_db_role_setting");
        }

        @Override
        List<String> listedReadings() {
            return List.of("SHOW search_path", "SHOW server_version", "SHOW TimeZone", "SHOW transaction_isolation",
                    "SHOW standard_conforming_strings", "SHOW transaction_read_only", "SHOW DateStyle",
                    "SELECT current_setting('server_version_num')", "SELECT current_setting('search_path')",
                    "SELECT current_setting('max_identifier_length')::int", "SELECT current_setting('server_encoding')",
                    "SELECT current_setting('is_superuser')", "SELECT current_schema()",
                    "SELECT current_setting('TimeZone', true)");
        }

        @Override
        String plainReading() {
            return "SHOW " + key;
        }
    }

    @Nested
    @RequiresDatabase(TestDatabase.MARIADB)
    class MariaDb extends OnServer {
        private String before;

        @Override
        Connection administrator() throws SQLException {
            return TestDatabase.MARIADB.connectRaw();
        }

        @Override
        DataSource dataSource() {
            try {
                MariaDbDataSource maria = new MariaDbDataSource(TestDatabase.MARIADB.rawUrl());
                maria.setUser(TestDatabase.MARIADB.user());
                maria.setPassword(TestDatabase.MARIADB.password());
                return maria;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        void plant() throws SQLException {
            try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.init_slave")) {
                    rs.next();
                    before = rs.getString(1);
                }
                // the SQL text a replica runs when its SQL thread starts: free text an administrator writes
                s.execute("SET GLOBAL init_slave = 'SET @gs_set_x = ''" + SECRET + "'''");
            }
        }

        @Override
        void remove() throws SQLException {
            try (Connection c = TestDatabase.MARIADB.connectRaw();
                 java.sql.PreparedStatement s = c.prepareStatement("SET GLOBAL init_slave = ?")) {
                s.setString(1, before == null ? "" : before);
                s.execute();
            }
        }

        @Override
        List<String> secretReadings() {
            return List.of(
                    "SELECT @@init_slave",
                    "SELECT @@global.init_slave",
                    "SELECT @@GLOBAL.INIT_SLAVE AS max_allowed_packet",
                    "SELECT upper(@@init_slave)",
                    "SELECT concat(@@global.init_slave, '')",
                    "SELECT x FROM (SELECT @@init_slave AS x) s",
                    "SELECT @@init_slave UNION ALL SELECT 'a'",
                    "SHOW VARIABLES LIKE 'init_slave'",
                    "SHOW GLOBAL VARIABLES LIKE 'init_slave'",
                    "SHOW SESSION VARIABLES LIKE 'init%'",
                    "SHOW VARIABLES",
                    "SHOW GLOBAL VARIABLES",
                    "SHOW VARIABLES WHERE Variable_name = 'init_slave'",
                    "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME = 'INIT_SLAVE'",
                    "SELECT * FROM information_schema.SESSION_VARIABLES WHERE VARIABLE_NAME = 'INIT_SLAVE'",
                    "SELECT GLOBAL_VALUE FROM information_schema.SYSTEM_VARIABLES WHERE VARIABLE_NAME = 'INIT_SLAVE'");
        }

        @Override
        List<String> listedReadings() {
            return List.of("SELECT @@max_allowed_packet", "SELECT @@system_time_zone", "SELECT @@time_zone",
                    "SELECT @@auto_increment_increment", "SELECT @@tx_isolation", "SELECT @@session.tx_isolation",
                    "SELECT @@foreign_key_checks", "SELECT @@sql_mode",
                    "SELECT @@GLOBAL.sql_mode", "SELECT @@sql_safe_updates", "SELECT @@version", "SELECT @@version_comment",
                    "SELECT @@lower_case_table_names", "SELECT @@character_set_server", "SELECT @@collation_server",
                    "SELECT @@autocommit", "SELECT @@session.tx_read_only", "SELECT @@innodb_lock_wait_timeout",
                    "SELECT @@GLOBAL.wsrep_on");
        }

        @Override
        String plainReading() {
            return "SELECT @@init_slave";
        }
    }
}
