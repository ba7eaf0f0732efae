package io.governed.sql;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A routine given a name the analysis lists as a built-in of the dialect ({@code nvl} on PostgreSQL, {@code IIF} on H2
 * and MariaDB, none of which has it) would run wherever the name is called, while the analysis reads each call as the
 * built-in: no call permission, no body read, its result derived from its arguments. Its definition, or a rename to
 * such a name, is refused as read otherwise, in any case, quoted or not, in any schema; other names stay definable.
 */
class RoutineNamedLikeABuiltInTest {

    /** Names on the lists that the databases lack (each reaches a user routine of the name there). */
    private static final List<String> LISTED = List.of("nvl", "iif", "getdate", "ifnull", "isnull", "md5", "initcap",
            "reverse", "listagg", "instr", "ucase", "lower", "upper", "NVL", "Iif");

    /** Listed names the servers take only quoted as a routine's name (unquoted, the definition is a syntax error). */
    private static final java.util.Set<String> KEYWORDS = java.util.Set.of("if", "table", "row", "values", "default",
            "interval", "binary", "char", "insert", "left", "right", "replace", "repeat", "database", "schema", "user",
            "current_user", "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp", "convert",
            "cast", "extract", "position", "substring", "trim", "mod", "value", "div", "time", "timestamp", "date");

    @Provide
    Arbitrary<String> definitions() {
        Arbitrary<String> name = Arbitraries.of(LISTED);
        Arbitrary<String> quoted = name.flatMap(n -> Arbitraries.of(n, "\"" + n + "\"", "public." + n, "s.\"" + n + "\""));
        return quoted.flatMap(n -> Arbitraries.of(
                "CREATE FUNCTION " + n + "(v text) RETURNS text LANGUAGE sql AS $$ SELECT v $$",
                "CREATE OR REPLACE FUNCTION " + n + "(v text) RETURNS text LANGUAGE sql AS $$ SELECT v $$",
                "CREATE PROCEDURE " + n + "() LANGUAGE sql AS $$ SELECT 1 $$",
                "CREATE AGGREGATE " + n + "(text) (SFUNC = textcat, STYPE = text)",
                "ALTER FUNCTION rt_f(text) RENAME TO " + n,
                "ALTER ROUTINE rt_f(text) RENAME TO " + n));
    }

    @Property(tries = 300)
    void aPostgresDefinitionUnderAListedNameIsRefused(@ForAll("definitions") String sql) {
        assertRefused(sql, Dialect.POSTGRESQL);
    }

    @Property(tries = 2000)
    void anH2AliasUnderAListedNameIsRefused(@ForAll("listedOnH2") String name, @ForAll boolean quoted) {
        String n = quoted || KEYWORDS.contains(name) ? "\"" + name.toUpperCase(java.util.Locale.ROOT) + "\"" : name;
        assertRefused("CREATE ALIAS " + n + " FOR \"java.lang.Math.abs\"", Dialect.H2);
        assertRefused("CREATE ALIAS IF NOT EXISTS PUBLIC." + n + " AS $$ String f() { return \"x\"; } $$", Dialect.H2);
    }

    @Property(tries = 2000)
    void aMariaDbFunctionUnderAListedNameIsRefused(@ForAll("listedOnMariaDb") String name, @ForAll boolean quoted) {
        String n = quoted || KEYWORDS.contains(name) ? "`" + name + "`" : name;
        assertRefused("CREATE FUNCTION " + n + "(v VARCHAR(40)) RETURNS VARCHAR(40) RETURN v", Dialect.MARIADB);
        assertRefused("CREATE DEFINER = CURRENT_USER FUNCTION rt_db." + n
                + "(v VARCHAR(40)) RETURNS VARCHAR(40) MODIFIES SQL DATA BEGIN INSERT INTO t VALUES (v); RETURN v; END",
                Dialect.MARIADB);
        assertRefused("CREATE AGGREGATE FUNCTION " + n + "(v INT) RETURNS INT BEGIN RETURN 1; END", Dialect.MARIADB);
    }

    @Provide
    Arbitrary<String> listed() {
        return Arbitraries.of(LISTED);
    }

    @Provide
    Arbitrary<String> listedOnH2() {
        return Arbitraries.of(BuiltInRoutines.of(Dialect.H2).names().stream().sorted().toList());
    }

    @Provide
    Arbitrary<String> listedOnMariaDb() {
        return Arbitraries.of(BuiltInRoutines.of(Dialect.MARIADB).names().stream().sorted().toList());
    }

    @Test
    void otherNamesStayDefinable() {
        for (String sql : List.of("CREATE FUNCTION rt_nvl(v text) RETURNS text LANGUAGE sql AS $$ SELECT v $$",
                "ALTER FUNCTION nvl(text) RENAME TO rt_nvl", "CREATE TRIGGER md5 AFTER INSERT ON t FOR EACH ROW"
                        + " EXECUTE FUNCTION rt_f()")) {
            SqlAnalysis analysis = Analyses.analyze(sql, Dialect.POSTGRESQL);
            assertThat(analysis.parseError()).as(sql).isNull();
            assertThat(analysis.statements().get(0).action()).as(sql).isEqualTo(Action.DEFINE_CODE);
        }
        assertThat(Analyses.analyze("CREATE ALIAS RT_IIF FOR \"java.lang.Math.abs\"", Dialect.H2).parseError()).isNull();
        assertThat(Analyses.analyze("CREATE FUNCTION rt_iif(v INT) RETURNS INT RETURN v", Dialect.MARIADB).parseError())
                .isNull();
    }

    private static void assertRefused(String sql, Dialect dialect) {
        SqlAnalysis analysis = Analyses.analyze(sql, dialect);
        assertThat(analysis.parsed()).as(sql).isFalse();
        if (analysis.parseError().startsWith(SqlAnalyzer.READ_OTHERWISE)) {
            assertThat(analysis.parseError()).as(sql).contains("built-in", "another name");
        }
    }
}
