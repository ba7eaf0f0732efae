package io.governed.jdbc.connect;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * What the URL and the properties of a {@code jdbc:governed:} connection may tell the database driver: settings the
 * driver acts on at connect time, past the gate (H2's INIT, MariaDB's initSql and sessionVariables, pgjdbc's
 * options), refuse the connection with 08001 and a message naming the setting, never its value. On embedded H2 the
 * attack's outcome is read through a raw connection.
 */
class ConnectSettingsTest {
    /** A value no refusal may repeat: it could be a secret. */
    private static final String SECRET = "s3cr3t-value";

    private H2Victim victim;
    private String database;

    @BeforeEach
    void createVictim() throws SQLException {
        victim = new H2Victim("connect_settings");
        database = victim.database;
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        victim.close();
    }

    @Test
    void theGateRefusesTheDropThatTheAttacksBelowTryToRunAtConnectTime() throws SQLException {
        try (Connection governed = DriverManager.getConnection("jdbc:governed:" + database, mallory());
             Statement s = governed.createStatement()) {
            assertThatThrownBy(() -> s.execute("DROP TABLE victim")).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
        }
        assertThat(victimExists()).isTrue();
    }

    @Test
    void h2InitThatDropsATableIsRefusedAndTheTableStays() throws SQLException {
        SQLException refusal = attempt("jdbc:governed:" + database + ";INIT=DROP TABLE victim", mallory());
        assertThat(victimExists()).as("the table after a governed connect whose URL has INIT=DROP TABLE").isTrue();
        assertRefused(refusal, "INIT", "runs statements at connect time");
    }

    @Test
    void h2DatabaseSettingsGivenAsSystemPropertiesAreHeldToTheList() throws SQLException {
        for (String[] property : new String[][] {{"h2.caseInsensitiveIdentifiers", "true", "'CASE_INSENSITIVE_IDENTIFIERS'"},
                {"h2.urlMap", "/tmp/governed-url-map.properties", "'h2.urlMap'"}}) {
            System.setProperty(property[0], property[1]);
            try {
                SQLException refusal = attempt("jdbc:governed:" + database, mallory());
                if (refusal == null) {
                    fail("the connect under the system property " + property[0] + " was not refused");
                }
                assertThat(refusal.getSQLState()).isEqualTo("08001");
                assertThat(refusal.getMessage()).contains(property[2]).doesNotContain(property[1]);
            } finally {
                System.clearProperty(property[0]);
            }
        }
        System.setProperty("h2.bindAddress", "127.0.0.1"); // the JVM's, not a database setting
        try {
            assertThat(attempt("jdbc:governed:" + database, mallory()) == null).as("connected").isTrue();
        } finally {
            System.clearProperty("h2.bindAddress");
        }
    }

    @Test
    void h2InitThatRunsAScriptIsRefusedAndTheTableStays(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("setup.sql"), "DROP TABLE victim;\n");
        SQLException refusal = attempt("jdbc:governed:" + database + ";init=RUNSCRIPT FROM '"
                + script.toString().replace("'", "''") + "'", mallory());
        assertThat(victimExists()).as("the table after a governed connect whose URL runs a script").isTrue();
        assertRefused(refusal, "init", "runs statements at connect time");
    }

    @Test
    void h2InitInThePropertiesInAnyCaseIsRefusedAndTheTableStays() throws SQLException {
        Properties p = mallory();
        p.setProperty("Init", "DROP TABLE victim");
        SQLException refusal = attempt("jdbc:governed:" + database, p);
        assertThat(victimExists()).as("the table after a governed connect whose properties have Init").isTrue();
        assertRefused(refusal, "Init", "in the properties");
    }

    @ParameterizedTest(name = "H2 {0}")
    @CsvSource({
            "MODE=MySQL, MODE, compatibility mode",
            "DATABASE_TO_LOWER=YES, DATABASE_TO_LOWER, TRUE or FALSE",
            "DATABASE_TO_UPPER=FALSE, DATABASE_TO_UPPER, folded",
            "CASE_INSENSITIVE_IDENTIFIERS=TRUE, CASE_INSENSITIVE_IDENTIFIERS, compared",
            "IGNORECASE=TRUE, IGNORECASE, row filters",
            "NON_KEYWORDS=SELECT, NON_KEYWORDS, reads statement texts",
            "BUILTIN_ALIAS_OVERRIDE=TRUE, BUILTIN_ALIAS_OVERRIDE, built-ins",
            "SCHEMA_SEARCH_PATH=INFORMATION_SCHEMA, SCHEMA_SEARCH_PATH, search path",
            "IGNORE_UNKNOWN_SETTINGS=TRUE, IGNORE_UNKNOWN_SETTINGS, cannot be checked",
            "DATABASE_EVENT_LISTENER=org.example.Listener, DATABASE_EVENT_LISTENER, loads",
            "TRACE_LEVEL_FILE=3, TRACE_LEVEL_FILE, literal values",
            "QUERY_STATISTICS=TRUE, QUERY_STATISTICS, other sessions",
            "AUTO_RECONNECT=TRUE, AUTO_RECONNECT, session state",
            "NO_SUCH_SETTING=1, NO_SUCH_SETTING, known to leave governance alone",
    })
    void h2SettingsThatChangeWhatTheGateReliesOnAreRefused(String setting, String key, String why) {
        assertRefused(attempt("jdbc:governed:" + database + ";" + setting, mallory()), key, why);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "postgresql://127.0.0.1:5432/test?options=-c%20role%3D" + SECRET + "| options | -c role",
            "postgresql://127.0.0.1:5432/test?connectTimeout=5&options=-c%20session_authorization%3D" + SECRET + "| options | session_authorization",
            "postgresql://127.0.0.1:5432/test?options=-c%20default_transaction_read_only%3Doff%20" + SECRET + "| options | past the gate",
            "postgresql://127.0.0.1:5432/test?preferQueryMode=simple&x=" + SECRET + "| preferQueryMode | simple mode",
            "postgresql://127.0.0.1:5432/test?assumeMinServerVersion=9.4&p=" + SECRET + "| assumeMinServerVersion | server version",
            "postgresql://127.0.0.1:5432/test?replication=database&p=" + SECRET + "| replication | replication",
            "postgresql://127.0.0.1:5432/test?socketFactory=" + SECRET + "| socketFactory | loads",
            "mariadb://127.0.0.1:3306/test?sessionVariables=sql_mode%3D" + SECRET + "| sessionVariables | session variables",
            "mariadb://127.0.0.1:3306/test?connectTimeout=5000&initSql=DROP TABLE " + SECRET + "| initSql | runs statements",
            "mariadb://127.0.0.1:3306/test?INITSQL=DROP TABLE " + SECRET + "| INITSQL | runs statements",
            "mariadb://127.0.0.1:3306/test?createDatabaseIfNotExist=true&p=" + SECRET + "| createDatabaseIfNotExist | creates a database",
            "mariadb://127.0.0.1:3306/test?allowLocalInfile=true&p=" + SECRET + "| allowLocalInfile | LOAD DATA LOCAL",
            "mysql://127.0.0.1:3306/test?permitMysqlScheme&initSql=" + SECRET + "| initSql | runs statements",
    })
    void pgjdbcAndMariaDbUrlSettingsThatRunStatementsOrChangeTheSessionAreRefused(String url, String key, String why) {
        // refused before the driver is asked to connect: no server is needed to see it
        assertRefused(attempt("jdbc:governed:" + url.strip(), mallory()), key.strip(), why.strip());
    }

    @ParameterizedTest(name = "{0} in the properties")
    @CsvSource({
            "postgresql://127.0.0.1:5432/test, options, past the gate",
            "postgresql://127.0.0.1:5432/test, OPTIONS, past the gate",
            "postgresql://127.0.0.1:5432/test, service, pg_service.conf",
            "postgresql://127.0.0.1:5432/test, currentschema_and_more, known to leave governance alone",
            "mariadb://127.0.0.1:3306/test, sessionvariables, session variables",
            "mariadb://127.0.0.1:3306/test, InitSql, runs statements",
    })
    void theSameSettingsInThePropertiesAreRefused(String url, String key, String why) {
        Properties p = mallory();
        p.setProperty(key, SECRET);
        assertRefused(attempt("jdbc:governed:" + url, p), key, why);
    }

    @Test
    void everyRefusedSettingIsNamedOnce() {
        Properties p = mallory();
        p.setProperty("init", SECRET);
        SQLException refusal = attempt("jdbc:governed:" + database + ";INIT=" + SECRET + ";MODE=" + SECRET, p);
        assertRefused(refusal, "INIT", "runs statements");
        assertThat(refusal.getMessage()).contains("'MODE'").contains("Remove them")
                .containsOnlyOnce("setting 'INIT'").doesNotContain("'init'");
    }

    @Test
    void settingsKnownToLeaveGovernanceAloneConnect() throws SQLException {
        Properties p = mallory();
        p.setProperty("LOCK_TIMEOUT", "5000");
        try (Connection c = DriverManager.getConnection("jdbc:governed:" + database + ";Cache_Size=8192;QUERY_TIMEOUT=0", p);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM victim")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void aPgjdbcQueryModeThatKeepsParametersOutOfTheTextPasses() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("preferQueryMode", "extendedForPrepared");
        p.setProperty("currentSchema", "app");
        p.put("defaultRowFetchSize", 100); // a typed value, as pools pass them
        DelegateSettings.check(new org.postgresql.Driver(),
                "jdbc:postgresql://db/app?ApplicationName=x&sslmode=require&connectTimeout=5", p, false);
        p.setProperty("preferQueryMode", "simple");
        assertThatThrownBy(() -> DelegateSettings.check(new org.postgresql.Driver(), "jdbc:postgresql://db/app", p, false))
                .hasMessageContaining("'preferQueryMode'").hasMessageNotContaining("simple'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "postgresql://127.0.0.1:5432/test?governed.principal=" + SECRET + "| governed.principal",
            "postgresql://127.0.0.1:5432/test?sslmode=disable&Governed.Kind=" + SECRET + "| Governed.Kind",
            "mariadb://127.0.0.1:3306/test?connectTimeout=5000&governed.audit=jsonl:" + SECRET + "| governed.audit",
            "H2| governed.principal",
    })
    void aGovernedSettingWrittenInTheDatabaseUrlIsRefusedWithWhereItBelongs(String url, String key) throws SQLException {
        String target = url.strip().equals("H2") ? database + ";governed.principal=" + SECRET : url.strip();
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        SQLException refusal = attempt("jdbc:governed:" + target, p);
        if (refusal == null) {
            fail("the connect was not refused");
        }
        assertThat(refusal.getSQLState()).isEqualTo("08001");
        assertThat(refusal.getMessage())
                .contains("'" + key.strip() + "'")
                .contains("Governed JDBC setting")
                .contains("connection properties")
                .doesNotContain(SECRET);
        assertThat(victimExists()).isTrue();
    }

    @Test
    void pgjdbcsOwnSslFactoriesPassAndAnyOtherClassIsRefused() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "app");
        for (String factory : new String[] {"org.postgresql.ssl.NonValidatingFactory", "org.postgresql.ssl.DefaultJavaSSLFactory",
                "org.postgresql.ssl.LibPQFactory", "org.postgresql.ssl.jdbc4.LibPQFactory",
                "org.postgresql.ssl.SingleCertValidatingFactory"}) {
            DelegateSettings.check(new org.postgresql.Driver(),
                    "jdbc:postgresql://db/app?sslmode=require&sslfactory=" + factory + "&sslfactoryarg=classpath:ca.pem", p, false);
        }
        p.setProperty("sslfactory", "org.postgresql.ssl.NonValidatingFactory");
        DelegateSettings.check(new org.postgresql.Driver(), "jdbc:postgresql://db/app", p, false);
        for (String other : new String[] {"org.example.TrustingFactory", "org.postgresql.ssl.NonValidatingFactory$NonValidatingTM",
                "org.postgresql.ssl.NonValidatingFactoryX"}) {
            p.setProperty("sslfactory", other);
            assertThatThrownBy(() -> DelegateSettings.check(new org.postgresql.Driver(), "jdbc:postgresql://db/app", p, false))
                    .hasMessageContaining("'sslfactory'").hasMessageContaining("loads and runs")
                    .hasMessageNotContaining(other);
        }
    }

    @Test
    void connectorJsLegacyTlsSettingsPassAndKeysItKeepsForHiddenOptionsAreRefused() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "app");
        // Connector/J 3 maps these (written for 2.x and MySQL's driver) onto sslMode
        DelegateSettings.check(new org.mariadb.jdbc.Driver(),
                "jdbc:mariadb://db/app?useSSL=true&trustServerCertificate=true&disableSslHostnameVerification=true", p, false);
        DelegateSettings.check(new org.mariadb.jdbc.Driver(), "jdbc:mariadb://db/app?useSsl=false", p, false);
        // LOAD DATA LOCAL is on by default in Connector/J 3: turning it off is harmless
        DelegateSettings.check(new org.mariadb.jdbc.Driver(), "jdbc:mariadb://db/app?allowLocalInfile=false", p, false);
        // a key with blanks around it is a key of its own for the driver, and none the check knows
        assertThatThrownBy(() -> DelegateSettings.check(new org.mariadb.jdbc.Driver(),
                "jdbc:mariadb://db/app?%20connectTimeout=5& sslMode=disable", p, false))
                .hasMessageContaining("' sslMode'");
        // keys Connector/J does not define are kept for its hidden options and plugins (forceTransactionEnd, …)
        for (String key : new String[] {"forceTransactionEnd", "useUnicode", "serverTimezone"}) {
            assertThatThrownBy(() -> DelegateSettings.check(new org.mariadb.jdbc.Driver(),
                    "jdbc:mariadb://db/app?" + key + "=true", p, false))
                    .hasMessageContaining("'" + key + "'").hasMessageContaining("not a setting MariaDB Connector/J defines")
                    .hasMessageContaining("can simply go");
        }
    }

    private static Properties mallory() {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        p.setProperty("governed.principal", "mallory");
        p.setProperty("governed.kind", "service");
        return p;
    }

    /** The refusal of a connect, or {@code null} (and the connection closed) when it connected. */
    private static SQLException attempt(String url, Properties properties) {
        try (Connection ignored = DriverManager.getConnection(url, properties)) {
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    private static void assertRefused(SQLException refusal, String key, String why) {
        if (refusal == null) {
            fail("the connect was not refused");
        }
        assertThat(refusal.getSQLState()).isEqualTo("08001");
        assertThat(refusal.getMessage())
                .contains("Connection refused")
                .contains("'" + key + "'")
                .contains(why)
                .contains("through the governed connection")
                .doesNotContain(SECRET)
                .doesNotContain("DROP TABLE");
    }

    private boolean victimExists() throws SQLException {
        return victim.exists();
    }
}
