package io.governed.sql;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.engine.PolicyEngine;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * CREATE OR REPLACE replaces what may exist: MariaDB drops a table, database, schema or sequence with everything in
 * it; a view loses its definition (and the condition that kept rows out). It is a drop or an alter as well as a
 * create, and is allowed only where each is: the baseline, which forbids drops, refuses the tables; a policy that
 * permits create alone refuses every form; a plain CREATE stays a create.
 */
class CreateOrReplaceTest {
    private final SqlAnalyzer analyzer = new SqlAnalyzer(0);

    private StatementAnalysis analysed(String sql, Dialect dialect) {
        SqlAnalysis analysis = analyzer.analyze(sql, dialect);
        assertThat(analysis.parsed()).as(sql).isTrue();
        return analysis.statements().get(0);
    }

    @Test
    void tablesDatabasesSchemasAndSequencesAreDropsViewsAndIndexesAlters() {
        for (String sql : new String[] {"CREATE OR REPLACE TABLE t (id int)", "CREATE OR REPLACE TABLE t AS SELECT * FROM x",
                "CREATE OR REPLACE DATABASE d", "CREATE OR REPLACE SCHEMA d", "CREATE OR REPLACE SEQUENCE s",
                "CREATE OR REPLACE TEMPORARY TABLE t (id int)"}) {
            StatementAnalysis s = analysed(sql, Dialect.MARIADB);
            assertThat(s.action()).as(sql).isEqualTo(Action.DROP);
            assertThat(s.traits()).as(sql).contains(Trait.REPLACES);
        }
        for (Dialect dialect : new Dialect[] {Dialect.MARIADB, Dialect.POSTGRESQL, Dialect.H2}) {
            StatementAnalysis view = analysed("CREATE OR REPLACE VIEW v AS SELECT 1", dialect);
            assertThat(view.action()).as(dialect.name()).isEqualTo(Action.ALTER);
            assertThat(view.traits()).as(dialect.name()).contains(Trait.REPLACES, Trait.DROPS_PART);
        }
        assertThat(analysed("CREATE OR REPLACE INDEX i ON t (a)", Dialect.MARIADB).action()).isEqualTo(Action.ALTER);
        assertThat(analysed("CREATE TABLE t (id int)", Dialect.MARIADB).action()).isEqualTo(Action.CREATE);
        assertThat(analysed("CREATE VIEW v AS SELECT 1", Dialect.POSTGRESQL).traits()).doesNotContain(Trait.REPLACES);
    }

    @Test
    void theBaselineRefusesWhatReplacesDataAndAPolicyPermittingCreateAloneRefusesEveryForm() {
        Identity alice = Identity.builder("alice").build();
        PolicyEngine baseline = new PolicyEngine(PolicyLoader.baseline());
        for (String sql : new String[] {"CREATE OR REPLACE TABLE orders (id int)", "CREATE OR REPLACE DATABASE shop",
                "CREATE OR REPLACE VIEW v AS SELECT 1"}) {
            assertThat(baseline.decide(alice, analyzer.analyze(sql, Dialect.MARIADB)).allowed()).as(sql).isFalse();
        }
        assertThat(baseline.decide(alice, analyzer.analyze("CREATE TABLE orders2 (id int)", Dialect.MARIADB)).allowed()).isTrue();
        PolicyEngine createOnly = new PolicyEngine(PolicyLoader.fromString("create-only.yaml", String.join("\n",
                "version: 1", "default: deny", "rules:", "  - id: creators", "    effect: permit",
                "    actions: [create, select]", "    resources: [\"*\"]", "")));
        for (String sql : new String[] {"CREATE OR REPLACE VIEW v AS SELECT 1", "CREATE OR REPLACE INDEX i ON t (a)",
                "CREATE OR REPLACE TABLE t (id int)"}) {
            Decision d = createOnly.decide(alice, analyzer.analyze(sql, Dialect.MARIADB));
            assertThat(d.allowed()).as(sql).isFalse();
            assertThat(d.reason()).as(sql).contains("No rule permits");
        }
        assertThat(createOnly.decide(alice, analyzer.analyze("CREATE VIEW v AS SELECT 1", Dialect.MARIADB)).allowed()).isTrue();
        PolicyEngine createAndAlter = new PolicyEngine(PolicyLoader.fromString("create-alter.yaml", String.join("\n",
                "version: 1", "default: deny", "rules:", "  - id: definers", "    effect: permit",
                "    actions: [create, alter, select]", "    resources: [\"*\"]", "")));
        assertThat(createAndAlter.decide(alice, analyzer.analyze("CREATE OR REPLACE VIEW v AS SELECT 1", Dialect.POSTGRESQL))
                .allowed()).as("where create and alter are both permitted").isTrue();
    }
}
