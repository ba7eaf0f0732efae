package io.governed.sql;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A setting read by a statement (PostgreSQL's {@code current_setting(name)} and {@code SHOW name}, MariaDB's
 * {@code @@name}) keeps the lineage of its arguments, and so comes back in clear to a caller a mask applies to, only when
 * the name is a literal on the dialect's list of built-in settings proven to hold no freely written text
 * ({@link SafeSettings}); any other name, or a name that is not a literal, is untraceable and comes back redacted.
 */
class SettingReadsTest {

    private static ResultColumn first(String sql, Dialect dialect) {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, dialect);
        assertThat(analysis.parseError()).as(sql).isNull();
        return analysis.statements().get(0).resultColumns().get(0);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | SELECT current_setting('server_version_num')",
        "POSTGRESQL | SELECT current_setting('search_path')",
        "POSTGRESQL | SELECT current_setting('TimeZone', true)",
        "POSTGRESQL | SELECT pg_catalog.current_setting('standard_conforming_strings')",
        "POSTGRESQL | SELECT current_setting('max_identifier_length')::int",
        "POSTGRESQL | SHOW search_path",
        "POSTGRESQL | SHOW server_version",
        "POSTGRESQL | SHOW TimeZone",
        "POSTGRESQL | SHOW \"TimeZone\"",
        "POSTGRESQL | SHOW transaction_isolation",
        "MARIADB    | SELECT @@max_allowed_packet",
        "MARIADB    | SELECT @@SYSTEM_TIME_ZONE",
        "MARIADB    | SELECT @@session.time_zone",
        "MARIADB    | SELECT @@GLOBAL.sql_mode",
        "MARIADB    | SELECT @@tx_isolation",
        "MARIADB    | SELECT @@foreign_key_checks",
    })
    void aListedBuiltInSettingNamedByALiteralIsReadAsItIs(Dialect dialect, String sql) {
        ResultColumn column = first(sql, dialect);
        assertThat(column.unknownLineage()).isFalse();
        assertThat(column.sources()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | SELECT current_setting('app.api_key')",
        "POSTGRESQL | SELECT current_setting('app.api_key', true)",
        "POSTGRESQL | SELECT current_setting('application_name')",
        "POSTGRESQL | SELECT current_setting('temp_tablespaces')",
        "POSTGRESQL | SELECT current_setting(concat('search_', 'path'))",
        "POSTGRESQL | SELECT current_setting(lower('search_path'))",
        "POSTGRESQL | SELECT current_setting('app.x'), 'search_path'",
        "POSTGRESQL | SELECT current_setting(E'search_path')",
        "POSTGRESQL | SELECT current_setting(?)",
        "POSTGRESQL | SELECT current_setting(name) FROM pg_catalog.pg_settings",
        "POSTGRESQL | SELECT upper(current_setting('app.api_key'))",
        "POSTGRESQL | SELECT x FROM (SELECT current_setting('app.api_key') AS x) s",
        "POSTGRESQL | WITH c AS (SELECT current_setting('app.api_key') AS x) SELECT x FROM c",
        "POSTGRESQL | SHOW app.api_key",
        "POSTGRESQL | SHOW \"app.api_key\"",
        "POSTGRESQL | SHOW application_name",
        "POSTGRESQL | SHOW ALL",
        "MARIADB    | SELECT @@init_connect",
        "MARIADB    | SELECT @@global.init_slave",
        "MARIADB    | SELECT @@GLOBAL.INIT_SLAVE",
        "MARIADB    | SELECT @@hostname",
        "MARIADB    | SELECT @@datadir",
        "MARIADB    | SELECT @@last_insert_id",
        "MARIADB    | SELECT concat(@@init_connect, '')",
        "MARIADB    | SELECT x FROM (SELECT @@init_connect AS x) s",
    })
    void anyOtherSettingOrANameThatIsNoLiteralIsUntraceable(Dialect dialect, String sql) {
        assertThat(first(sql, dialect).unknownLineage()).isTrue();
    }

    /** A test of an unlisted system variable (WHERE @@init_connect LIKE 'k%') answers questions about it, as a user variable's. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "SELECT 1 WHERE @@init_connect LIKE 'sk%'",
        "SELECT 1 FROM DUAL WHERE @@global.init_slave LIKE 'x%'",
    })
    void anUnlistedSystemVariableInAFilterIsASessionValue(String sql) {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, Dialect.MARIADB);
        assertThat(analysis.statements().get(0).sessionValues()).containsAnyOf(Clause.WHERE, Clause.COMPARED);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {"SELECT 1 WHERE @@sql_mode LIKE '%ANSI%'", "SELECT 1 FROM DUAL WHERE @@autocommit = 1"})
    void aListedSystemVariableInAFilterIsNoSessionValue(String sql) {
        assertThat(new SqlAnalyzer().analyze(sql, Dialect.MARIADB).statements().get(0).sessionValues()).isEmpty();
    }

    /** Whatever a setting is called, it is read in clear only when it is on the list, for each way of reading it. */
    @Property(tries = 300)
    void aSettingIsReadInClearExactlyWhenListed(@ForAll("names") String name) {
        boolean pg = SafeSettings.listed(Dialect.POSTGRESQL, name);
        assertThat(first("SELECT current_setting('" + name + "')", Dialect.POSTGRESQL).unknownLineage()).as(name).isEqualTo(!pg);
        assertThat(first("SELECT current_setting('" + name + "', true)", Dialect.POSTGRESQL).unknownLineage()).as(name)
                .isEqualTo(!pg);
        boolean maria = SafeSettings.listed(Dialect.MARIADB, name);
        for (String scope : new String[] {"", "global.", "SESSION.", "local."}) {
            String sql = "SELECT @@" + scope + name;
            assertThat(first(sql, Dialect.MARIADB).unknownLineage()).as(sql).isEqualTo(!maria);
        }
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> listed = Arbitraries.of("server_version", "search_path", "timezone", "TimeZone", "sql_mode",
                "max_allowed_packet", "time_zone", "tx_isolation", "autocommit", "Server_Version_Num");
        Arbitrary<String> other = Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1).ofMaxLength(24)
                .map(n -> "v" + n);
        Arbitrary<String> freeText = Arbitraries.of("init_connect", "init_slave", "application_name", "temp_tablespaces",
                "hostname", "datadir", "report_host", "log_line_prefix", "cluster_name", "default_tablespace");
        return Arbitraries.oneOf(listed, other, freeText);
    }
}
