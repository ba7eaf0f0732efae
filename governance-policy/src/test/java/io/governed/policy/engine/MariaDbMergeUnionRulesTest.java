package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ALTER TABLE (or CREATE TABLE) with MariaDB's UNION=(…) option makes the table a MERGE table, a second name for the
 * listed tables: it is judged as a read of each (select permitted, forbids) and an alter of each (its rows become the
 * MERGE table's, writable through it). A caller permitted to alter its own table only, or to read the listed table
 * only, is refused; so is one a mask naming the listed table applies to; one permitted both runs it.
 */
class MariaDbMergeUnionRulesTest {

    private static final Identity ANN = human("ann", "analysts");
    private static final Identity READER = human("rae", "readers");
    private static final Identity AGENT = human("mo", "owners");
    private static final Identity DBA = human("dba", "dbas");

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("merge.yaml", """
            version: 1
            default: deny
            rules:
              - { id: own-tables, effect: permit, actions: [select, alter, create], resources: ["app.mine", "app.t"], principals: { groups: [analysts, readers] } }
              - { id: read-orders, effect: permit, actions: [select], resources: ["app.orders"], principals: { groups: [readers] } }
              - { id: dbas, effect: permit, actions: ["*"], resources: ["*"], principals: { groups: [dbas, owners] } }
            masks:
              - id: hide-ssn
                columns: { patterns: ["app.orders.ssn"] }
                function: redact
                unless: { groups: [dbas] }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private Decision decide(Identity identity, String sql) {
        return engine.decide(identity, analyzer.analyze(sql, Dialect.MARIADB), DecisionContext.defaultSchema("app"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER TABLE mine UNION=(orders) ENGINE=MERGE",
            "ALTER TABLE mine UNION (app.orders) ENGINE=MRG_MyISAM",
            "alter table `mine` /* x */ union = (`orders`) engine=merge",
            "ALTER TABLE mine ENGINE=MERGE, UNION=(orders)",
    })
    void aCallerPermittedItsOwnTableOnlyOrToReadTheListedTableOnlyIsRefused(String sql) {
        assertThat(decide(ANN, sql).allowed()).as("not permitted orders: " + sql).isFalse();
        assertThat(decide(READER, sql).allowed()).as("permitted to read orders only: " + sql).isFalse();
        assertThat(decide(ANN, "ALTER TABLE mine ENGINE=MERGE").allowed()).as("its own table alone").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER TABLE mine ENGINE=MERGE UNION=(orders)",
            "ALTER TABLE mine ENGINE=MERGE UNION (orders) INSERT_METHOD=LAST",
            "ALTER TABLE mine UNION=orders",
            "CREATE TABLE t (id int) ENGINE=MERGE UNION=(orders)",
            "CREATE TABLE t (id int) UNION=(orders) ENGINE=MERGE",
            "CREATE OR REPLACE TABLE t (id int) ENGINE=MERGE UNION=(orders)",
    })
    void aUnionOptionTheAnalysisCannotReadIsRefusedForEveryoneEvenWhereUnparseableStatementsAreAllowed(String sql) {
        PolicyEngine lenient = new PolicyEngine(PolicyLoader.fromString("lenient.yaml", """
                version: 1
                on-unparseable: allow
                rules:
                  - { id: all, effect: permit, actions: ["*"], resources: ["*"] }
                """));
        Decision d = lenient.decide(DBA, analyzer.analyze(sql, Dialect.MARIADB), DecisionContext.defaultSchema("app"));
        assertThat(d.allowed()).as(sql).isFalse();
        assertThat(d.reason()).as(sql).contains("UNION table option");
        // a statement it cannot parse that holds no such option stays under on-unparseable
        assertThat(lenient.decide(DBA, analyzer.analyze("ALTER TABLE mine ENGINE=MERGE FROBNICATE", Dialect.MARIADB),
                DecisionContext.defaultSchema("app")).allowed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER TABLE mine UNION=(orders) ENGINE=MERGE",
            "ALTER TABLE mine UNION (app.orders) ENGINE=MRG_MyISAM",
            "ALTER TABLE mine ENGINE=MERGE, UNION=(orders)",
    })
    void aMaskOnTheListedTableRefusesItAndACallerPermittedEverythingAndUnmaskedRunsIt(String sql) {
        Decision masked = decide(AGENT, sql);
        assertThat(masked.allowed()).as(sql).isFalse();
        assertThat(masked.rules()).as(sql).contains("hide-ssn");
        assertThat(decide(DBA, sql).allowed()).as(sql).isTrue();
    }
}
