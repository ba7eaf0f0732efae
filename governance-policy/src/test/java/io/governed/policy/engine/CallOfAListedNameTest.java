package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.TableRef;
import io.governed.sql.names.NameResolver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * CALL runs a stored procedure on MariaDB, never one of the server's built-in functions, whatever its name:
 * `CALL concat(…)` runs a procedure named concat when the database holds one (made past governance, say), and fails
 * otherwise. So the name a CALL gives is a user routine's there, also when the analysis lists a built-in
 * function of that name: a `call` the policy must permit on it, its body read where the driver reads bodies (what it does with a masked
 * value is judged as for any procedure: MariaDbCallOfAListedNameIT). H2's CALL evaluates an expression, where a listed
 * name is H2's own function; pgjdbc runs a JDBC {call f(…)} escape (read as CALL) as SELECT * FROM f(…).
 */
class CallOfAListedNameTest {

    /** May call the routine reader_proc only, and read every table. */
    private static final Identity READER = human("rita", "readers");

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("call-listed.yaml", """
            version: 1
            default: deny
            classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: readers-read, effect: permit, principals: { groups: [readers] }, actions: [select], resources: ["*"] }
              - { id: readers-call, effect: permit, principals: { groups: [readers] }, actions: [call], resources: ["*.reader_proc"] }
              - { id: analysts-all, effect: permit, principals: { groups: [analysts] }, actions: ["*"], resources: ["*"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [pii-readers] } }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private Decision decide(Identity identity, String sql, Dialect dialect) {
        return engine.decide(identity, analyzer.analyze(sql, dialect), DecisionContext.of(NameResolver.unknown()));
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "MARIADB    | CALL concat('a') | concat",
        "MARIADB    | CALL CONCAT('a', 'b') | concat",
        "MARIADB    | CALL `left`('a', 1) | left",
        "MARIADB    | CALL lower('a') | lower",
        "MARIADB    | CALL now() | now",
    })
    void aCallStatementRunsAProcedureWhateverItsName(Dialect dialect, String sql, String name) {
        SqlAnalysis analysis = analyzer.analyze(sql, dialect);
        assertThat(analysis.parseError()).as(sql).isNull();
        assertThat(analysis.statements().get(0).routines()).as(sql).extracting(TableRef::name)
                .anySatisfy(n -> assertThat(n.toLowerCase(Locale.ROOT)).isEqualTo(name));

        Decision reader = decide(READER, sql, dialect);
        assertThat(reader.allowed()).as(sql + ": " + reader.reason()).isFalse();
        assertThat(reader.reason().toLowerCase(Locale.ROOT)).as(sql).contains(name, "call");
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "H2         | CALL concat('a', 'b')",
        "H2         | CALL lower('A')",
        "POSTGRESQL | CALL lower('A')",
    })
    void elsewhereAListedNameInCallIsTheServersOwn(Dialect dialect, String sql) {
        SqlAnalysis analysis = analyzer.analyze(sql, dialect);
        assertThat(analysis.parseError()).as(sql).isNull();
        assertThat(analysis.statements().get(0).routines()).as(sql).isEmpty();
    }
}
