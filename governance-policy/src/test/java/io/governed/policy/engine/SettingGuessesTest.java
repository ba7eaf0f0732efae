package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * A setting not on the dialect's safe list (a custom setting current_setting('app.key'), MariaDB's @@init_slave) holds
 * whatever an administrator or an earlier statement wrote into it, so for a caller whose kind a mask's deny-inference
 * names it is a masked value: a filter, a select-list predicate or any computation that compares it with a guess
 * answers whether the guess is right, whatever operator or function does the comparing. Each form is refused; the same
 * test of a listed built-in setting, and the plain reading of an unlisted one (which comes back redacted), are not.
 */
class SettingGuessesTest {

    private static final Identity AGENT = Identity.builder("bot").kind(IdentityKind.AGENT).groups("readers").build();

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("guesses.yaml", """
            version: 1
            default: deny
            rules:
              - { id: readers, effect: permit, principals: { groups: [readers] }, actions: [select, show], resources: ["*"] }
            masks:
              - id: mask-ssn
                columns: { patterns: ["*.ssn"] }
                function: partial
                keep-last: 4
                deny-inference: [agent]
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private Decision decide(String sql, Dialect dialect) {
        return engine.decide(AGENT, analyzer.analyze(sql, dialect), DecisionContext.of(new CatalogStub()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "SELECT 1 WHERE current_setting('app.key') = 'guess'",
        "SELECT 1 WHERE current_setting('app.key') <> 'guess'",
        "SELECT 1 WHERE current_setting('app.key') != 'guess'",
        "SELECT 1 WHERE current_setting('app.key') IN ('guess', 'other')",
        "SELECT 1 WHERE current_setting('app.key') NOT IN ('guess')",
        "SELECT 1 WHERE current_setting('app.key') BETWEEN 'a' AND 'm'",
        "SELECT 1 WHERE current_setting('app.key') > 'm'",
        "SELECT 1 WHERE current_setting('app.key') LIKE 'g%'",
        "SELECT 1 WHERE current_setting('app.key') ILIKE 'g%'",
        "SELECT 1 WHERE current_setting('app.key') SIMILAR TO 'g%'",
        "SELECT 1 WHERE current_setting('app.key') ~ '^g'",
        "SELECT 1 WHERE current_setting('app.key') ~* '^g'",
        "SELECT 1 WHERE current_setting('app.key') IS DISTINCT FROM 'guess'",
        "SELECT 1 WHERE current_setting('app.key', true) IS NULL",
        "SELECT 1 WHERE position('g' IN current_setting('app.key')) > 0",
        "SELECT 1 WHERE strpos(current_setting('app.key'), 'g') > 0",
        "SELECT 1 WHERE starts_with(current_setting('app.key'), 'g')",
        "SELECT 1 WHERE length(current_setting('app.key')) = 5",
        "SELECT 1 WHERE CASE WHEN current_setting('app.key') = 'guess' THEN true ELSE false END",
        "SELECT 1 WHERE coalesce(current_setting('app.key', true), '') = 'guess'",
        "SELECT 1 WHERE (SELECT current_setting('app.key')) = 'guess'",
        "SELECT 1 WHERE EXISTS (SELECT 1 WHERE current_setting('app.key') = 'guess')",
        "SELECT 1 FROM (SELECT current_setting('app.key') AS k) s WHERE s.k = 'guess'",
        "SELECT 1 WHERE current_setting('temp_tablespaces') = 'guess'",
        "SELECT 1 WHERE current_setting('app.' || 'key') = 'guess'",
        "SELECT current_setting('app.key') = 'guess'",
        "SELECT current_setting('app.key') <> 'guess'",
        "SELECT current_setting('app.key') IN ('guess')",
        "SELECT current_setting('app.key') LIKE 'g%'",
        "SELECT current_setting('app.key') ~ '^g'",
        "SELECT starts_with(current_setting('app.key'), 'g')",
        "SELECT position('g' IN current_setting('app.key'))",
        "SELECT strpos(current_setting('app.key'), 'g')",
        "SELECT CASE WHEN current_setting('app.key') = 'guess' THEN 1 ELSE 0 END",
        "SELECT coalesce(nullif(current_setting('app.key'), 'guess'), 'right')",
        "SELECT nullif(current_setting('app.key'), 'guess')",
        "SELECT count(*) FILTER (WHERE current_setting('app.key') = 'guess')",
        "SELECT current_setting('app.key')::int",
        "SELECT 1 / (ascii(current_setting('app.key')) - 103)",
        "SELECT 1 ORDER BY current_setting('app.key')",
        "SELECT 1 GROUP BY current_setting('app.key') HAVING current_setting('app.key') = 'guess'",
        "SELECT * FROM generate_series(1, length(current_setting('app.key')))",
        "SELECT 'guess' = current_setting('app.key')",
        "SELECT greatest(current_setting('app.key'), 'm')",
    })
    void aTestOfAnUnlistedPostgresSettingIsRefused(String sql) {
        Decision decision = decide(sql, Dialect.POSTGRESQL);
        assertThat(decision.allowed()).as(sql + ": " + decision.reason()).isFalse();
        assertThat(decision.rules()).as(sql + ": " + decision.reason()).containsExactly("mask-ssn");
        assertThat(decision.reason()).as(sql).doesNotContain("guess");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "SELECT 1 FROM DUAL WHERE @@init_slave = 'guess'",
        "SELECT 1 FROM DUAL WHERE @@global.init_slave = 'guess'",
        "SELECT 1 FROM DUAL WHERE @@init_slave <> 'guess'",
        "SELECT 1 FROM DUAL WHERE @@init_slave IN ('guess', 'x')",
        "SELECT 1 FROM DUAL WHERE @@init_slave BETWEEN 'a' AND 'm'",
        "SELECT 1 FROM DUAL WHERE @@init_slave > 'm'",
        "SELECT 1 FROM DUAL WHERE @@init_slave LIKE 'g%'",
        "SELECT 1 FROM DUAL WHERE @@init_slave REGEXP '^g'",
        "SELECT 1 FROM DUAL WHERE @@init_slave RLIKE '^g'",
        "SELECT 1 FROM DUAL WHERE @@init_slave <=> 'guess'",
        "SELECT 1 FROM DUAL WHERE locate('g', @@init_slave) > 0",
        "SELECT 1 FROM DUAL WHERE instr(@@init_slave, 'g') > 0",
        "SELECT 1 FROM DUAL WHERE strcmp(@@init_slave, 'guess') = 0",
        "SELECT 1 FROM DUAL WHERE IF(@@init_slave = 'guess', 1, 0) = 1",
        "SELECT 1 FROM DUAL WHERE CASE WHEN @@init_slave = 'guess' THEN 1 ELSE 0 END = 1",
        "SELECT 1 FROM DUAL WHERE @@hostname = 'guess'",
        "SELECT @@init_slave = 'guess'",
        "SELECT @@init_slave <> 'guess'",
        "SELECT @@init_slave LIKE 'g%'",
        "SELECT @@init_slave REGEXP '^g'",
        "SELECT @@init_slave IN ('guess')",
        "SELECT locate('g', @@init_slave)",
        "SELECT strcmp(@@init_slave, 'guess')",
        "SELECT IF(@@init_slave = 'guess', 1, 0)",
        "SELECT CASE WHEN @@init_slave = 'guess' THEN 1 END",
        "SELECT CASE @@init_slave WHEN 'guess' THEN 1 END",
        "SELECT nullif(@@init_slave, 'guess')",
        "SELECT 'guess' = @@global.init_slave",
        "SELECT 1 ORDER BY @@init_slave",
    })
    void aTestOfAnUnlistedMariaDbVariableIsRefused(String sql) {
        Decision decision = decide(sql, Dialect.MARIADB);
        assertThat(decision.allowed()).as(sql + ": " + decision.reason()).isFalse();
        assertThat(decision.rules()).as(sql + ": " + decision.reason()).containsExactly("mask-ssn");
        assertThat(decision.reason()).as(sql).doesNotContain("guess");
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "POSTGRESQL | SELECT current_setting('app.key')",
        "POSTGRESQL | SELECT upper(current_setting('app.key'))",
        "POSTGRESQL | SELECT 1 WHERE current_setting('server_version_num')::int >= 120000",
        "POSTGRESQL | SELECT current_setting('search_path') = 'public'",
        "MARIADB    | SELECT @@init_slave",
        "MARIADB    | SELECT 1 FROM DUAL WHERE @@autocommit = 1",
        "MARIADB    | SELECT @@sql_mode LIKE '%ANSI%'",
    })
    void aPlainReadingOrATestOfAListedSettingIsAllowed(Dialect dialect, String sql) {
        Decision decision = decide(sql, dialect);
        assertThat(decision.allowed()).as(sql + ": " + decision.reason()).isTrue();
    }
}
