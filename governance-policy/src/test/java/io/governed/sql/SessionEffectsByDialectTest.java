package io.governed.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * Whether a query or row change may change how the session resolves names is decided per dialect, as the rest of the
 * analysis tells a built-in from a user routine (BuiltInRoutines): a name of the pure functions' list that the
 * dialect's server has no built-in of may be an H2 alias, a PostgreSQL or MariaDB function that runs SET SCHEMA or
 * SET search_path, so a text calling it counts as one that may change the session.
 */
class SessionEffectsByDialectTest {

    private static final SqlAnalyzer ANALYZER = new SqlAnalyzer();

    private static boolean mayChange(String sql, Dialect dialect) {
        SqlAnalysis analysis = ANALYZER.analyze(sql, dialect);
        assertThat(analysis.parsed()).as(sql).isTrue();
        return SessionEffects.mayChangeNameResolution(analysis);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            // H2 has no built-in of these: CREATE ALIAS takes the name, and an unqualified call runs the alias
            "H2|SELECT MD5('x')", "H2|SELECT VERSION()", "H2|SELECT INITCAP(NAME) FROM T", "H2|SELECT SCOPE_IDENTITY()",
            "H2|SELECT IDENTITY()", "H2|SELECT TO_DATE('x')", "H2|INSERT INTO T VALUES (SHA256('x'))",
            // FROM-only: a built-in only as a table of the FROM clause
            "H2|SELECT SYSTEM_RANGE(1, 3)", "H2|SELECT * FROM T, SYSTEM_RANGE(1, 3)",
            "H2|SELECT PG_CATALOG.LOWER('x')",
            // PostgreSQL: names pg_catalog does not hold are a user function of some schema
            "POSTGRESQL|SELECT mask('x')", "POSTGRESQL|SELECT crc32('x')", "POSTGRESQL|SELECT random_uuid()",
            "POSTGRESQL|SELECT newid()", "POSTGRESQL|SELECT formatdatetime(now(), 'y')", "POSTGRESQL|SELECT identity()",
            "POSTGRESQL|UPDATE t SET v = base64(v)",
            // MariaDB: names it has no built-in of run a stored function of the name
            "MARIADB|SELECT INITCAP('x')", "MARIADB|SELECT split_part('a', 'b', 1)", "MARIADB|SELECT to_hex(1)",
            "MARIADB|DELETE FROM t WHERE strpos(v, 'a') > 0", "MARIADB|SELECT JSON_TABLE('[]', '$[*]')",
            "MARIADB|SELECT pg_catalog.concat('a')",
    })
    void aListedNameTheDialectHasNoBuiltInOfMayChangeTheSession(Dialect dialect, String sql) {
        assertThat(mayChange(sql, dialect)).as(dialect + ": " + sql).isTrue();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "H2|SELECT LOWER(NAME), CONCAT('a', 'b') FROM T", "H2|SELECT * FROM SYSTEM_RANGE(1, 3)",
            "H2|SELECT X FROM T JOIN SYSTEM_RANGE(1, 3) R ON R.X = T.ID", "H2|SELECT RANDOM_UUID()",
            "POSTGRESQL|SELECT md5(name), lower(name) FROM t", "POSTGRESQL|SELECT pg_catalog.md5('x')",
            "POSTGRESQL|SELECT nextval('s'), current_setting('x')", "POSTGRESQL|SELECT * FROM generate_series(1, 3)",
            "MARIADB|SELECT CONCAT('a', 'b'), MD5('x'), LAST_INSERT_ID()", "MARIADB|SELECT UUID(), LOWER(v) FROM t",
    })
    void aBuiltInOfTheDialectLeavesTheSessionAlone(Dialect dialect, String sql) {
        assertThat(mayChange(sql, dialect)).as(dialect + ": " + sql).isFalse();
    }

    /** Each name of the pure functions' list counts unless the dialect's list takes its call in an expression for a built-in. */
    @Test
    void everyPureNameCountsWhereTheDialectHasNoBuiltInOfIt() {
        for (Dialect dialect : new Dialect[] {Dialect.H2, Dialect.POSTGRESQL, Dialect.MARIADB}) {
            BuiltInRoutines listed = BuiltInRoutines.of(dialect);
            for (String name : new String[] {"md5", "version", "initcap", "scope_identity", "identity", "sha256", "concat",
                    "lower", "system_range", "json_table", "to_date", "split_part", "mask", "crc32", "random_uuid", "newid",
                    "uuid", "trunc", "translate", "reverse", "getdate", "iif"}) {
                boolean builtIn = listed.isBuiltIn(new TableRef(null, dialect.normalizeIdentifier(name)));
                String sql = "SELECT " + name.toUpperCase(Locale.ROOT) + "('x')";
                if (!builtIn) {
                    assertThat(mayChange(sql, dialect)).as(dialect + ": " + sql).isTrue();
                }
                if (builtIn && (KnownFunctions.derivesOnlyFromArguments(name))) {
                    assertThat(mayChange(sql, dialect)).as(dialect + ": " + sql).isFalse();
                }
            }
        }
    }

    @Test
    void columnDefaultsAndViewsAreReadPerDialectToo() {
        assertThat(SessionEffects.expressionMayLeaveSomething("MD5(NAME)", Dialect.H2)).isTrue();
        assertThat(SessionEffects.expressionMayLeaveSomething("md5(name)", Dialect.POSTGRESQL)).isFalse();
        assertThat(SessionEffects.textMayLeaveSomething("SELECT INITCAP(v) FROM t", Dialect.MARIADB)).isTrue();
        assertThat(SessionEffects.textMayLeaveSomething("SELECT initcap(v) FROM t", Dialect.POSTGRESQL)).isFalse();
    }
}
