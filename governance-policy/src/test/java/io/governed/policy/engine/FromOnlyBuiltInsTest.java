package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.ResultColumn;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.names.NameResolver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * MariaDB's JSON_TABLE and H2's SYSTEM_RANGE are the servers' own only as a table of the FROM clause: called in an
 * expression (a select list, a condition, a SET, CALL), each server runs a stored function or alias of that name when the
 * database holds one. Such a call is a call of a user routine, judged as any other: a `call` the policy must permit, its
 * result's lineage unknown, and a masked value given to it refused. Their use in FROM needs no permit and keeps the
 * lineage of the arguments, as before.
 */
class FromOnlyBuiltInsTest {

    /** May read and update every table, call nothing. */
    private static final Identity READER = human("rita", "readers");
    /** May do anything; the SSN mask applies. */
    private static final Identity ANALYST = human("ann", "analysts");

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("from-only.yaml", """
            version: 1
            default: deny
            classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: readers-read, effect: permit, principals: { groups: [readers] }, actions: [select, update], resources: ["*"] }
              - { id: analysts-all, effect: permit, principals: { groups: [analysts] }, actions: ["*"], resources: ["*"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [pii-readers] } }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private Decision decide(Identity identity, String sql, Dialect dialect) {
        return engine.decide(identity, analyzer.analyze(sql, dialect), DecisionContext.of(NameResolver.unknown()));
    }

    private static String name(Dialect dialect) {
        return dialect == Dialect.MARIADB ? "json_table" : "system_range";
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "MARIADB | SELECT id, json_table(ssn) FROM jt_customers",
        "MARIADB | SELECT id, JSON_TABLE(id) FROM jt_customers",
        "MARIADB | SELECT id FROM jt_customers WHERE json_table(ssn) IS NOT NULL",
        "MARIADB | SELECT id FROM jt_customers ORDER BY json_table(ssn)",
        "MARIADB | UPDATE jt_customers SET name = json_table(name) WHERE id = 1",
        "MARIADB | SELECT * FROM JSON_TABLE(json_table(1), '$[*]' COLUMNS (x INT PATH '$')) AS t",
        "H2      | SELECT id, system_range(ssn) FROM jt_customers",
        "H2      | SELECT id, SYSTEM_RANGE(id) FROM jt_customers",
        "H2      | SELECT id FROM jt_customers WHERE system_range(ssn) IS NOT NULL",
        "H2      | UPDATE jt_customers SET name = system_range(name) WHERE id = 1",
        "H2      | CALL system_range(1, 2)",
        "H2      | SELECT * FROM SYSTEM_RANGE(1, system_range(2))",
    })
    void anExpressionCallIsACallOfAUserRoutine(Dialect dialect, String sql) {
        SqlAnalysis analysis = analyzer.analyze(sql, dialect);
        assertThat(analysis.parseError()).as(sql).isNull();
        StatementAnalysis statement = analysis.statements().get(0);
        assertThat(statement.routines()).as(sql).extracting(TableRef::name)
                .anySatisfy(n -> assertThat(n.toLowerCase(Locale.ROOT)).isEqualTo(name(dialect)));

        Decision reader = decide(READER, sql, dialect);
        assertThat(reader.allowed()).as(sql + ": " + reader.reason()).isFalse();
        assertThat(reader.reason().toLowerCase(Locale.ROOT)).as(sql).contains(name(dialect), "call");
    }

    /**
     * The routine's body, as the catalog gives it, writes a table: a masked value given to it is refused to the masked,
     * exactly as it is given to a routine of a name off the list ({@code jt_copy}), and the result's lineage is unknown.
     */
    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "MARIADB | SELECT id, json_table(ssn) FROM jt_customers",
        "MARIADB | SELECT id, JSON_TABLE(ssn) AS v FROM jt_customers",
        "H2      | SELECT id, system_range(ssn) FROM jt_customers",
        "H2      | SELECT id, SYSTEM_RANGE(ssn) AS v FROM jt_customers",
    })
    void aMaskedValueGivenToAnExpressionCallIsJudgedAsGivenToAnyRoutine(Dialect dialect, String sql) {
        ResultColumn result = analyzer.analyze(sql, dialect).statements().get(0).resultColumns().get(1);
        assertThat(result.unknownLineage()).as(sql + ": the routine's result may hold anything it read").isTrue();

        CatalogStub catalog = new CatalogStub();
        catalog.readsRoutines = true;
        for (String routine : new String[] {name(dialect), "jt_copy"}) {
            catalog.routineBodies.put(routine, "INSERT INTO jt_loot (v) VALUES ('x')");
        }
        String other = sql.replaceAll("(?i)" + name(dialect), "jt_copy");
        Decision analyst = engine.decide(ANALYST, analyzer.analyze(sql, dialect), DecisionContext.of(catalog));
        Decision asOther = engine.decide(ANALYST, analyzer.analyze(other, dialect), DecisionContext.of(catalog));
        assertThat(analyst.allowed()).as(sql + ": " + analyst.reason()).isFalse();
        assertThat(analyst.rules()).as(sql + ": " + analyst.reason()).contains("mask-ssn");
        assertThat(analyst.rules()).as(sql).isEqualTo(asOther.rules());
        assertThat(analyst.reason().replaceAll("(?i)" + name(dialect), "jt_copy")).as(sql).isEqualToIgnoringCase(asOther.reason());
        Decision exempt = engine.decide(human("pia", "analysts", "pii-readers"), analyzer.analyze(sql, dialect),
                DecisionContext.of(catalog));
        assertThat(exempt.allowed()).as(sql + ": " + exempt.reason()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "MARIADB | SELECT * FROM JSON_TABLE('[1, 2]', '$[*]' COLUMNS (x INT PATH '$')) AS t",
        "MARIADB | SELECT c.id, t.x FROM jt_customers c, JSON_TABLE(c.ssn, '$[*]' COLUMNS (x VARCHAR(20) PATH '$')) AS t",
        "MARIADB | SELECT c.id, t.x FROM jt_customers c JOIN json_table(JSON_ARRAY(c.ssn), '$[*]' COLUMNS (x VARCHAR(20) PATH '$')) t ON 1 = 1",
        "MARIADB | SELECT (SELECT MAX(x) FROM JSON_TABLE(c.ssn, '$[*]' COLUMNS (x INT PATH '$')) t) FROM jt_customers c",
        "H2      | SELECT * FROM SYSTEM_RANGE(1, 10)",
        "H2      | SELECT X FROM system_range(1, 10) r WHERE X > 2",
        "H2      | SELECT c.id, r.X FROM jt_customers c LEFT JOIN SYSTEM_RANGE(1, 3) r ON r.X = c.id",
        "H2      | SELECT c.ssn FROM jt_customers c, SYSTEM_RANGE(1, c.id) r",
    })
    void theFromClauseFormIsTheServersOwnAsBefore(Dialect dialect, String sql) {
        SqlAnalysis analysis = analyzer.analyze(sql, dialect);
        assertThat(analysis.parseError()).as(sql).isNull();
        assertThat(analysis.statements().get(0).routines()).as(sql).isEmpty();
        for (Identity who : new Identity[] {READER, ANALYST}) {
            Decision decision = decide(who, sql, dialect);
            assertThat(decision.allowed()).as(who.principal() + ": " + sql + ": " + decision.reason()).isTrue();
        }
    }
}
