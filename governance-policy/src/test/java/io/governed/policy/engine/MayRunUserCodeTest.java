package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.TableRef;
import io.governed.sql.names.CascadedWrite;
import io.governed.sql.names.NameResolver;
import io.governed.sql.names.Resolution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether an allowed statement may run code of the database's users ({@link Decision#mayRunUserCode}), which the driver
 * withholds the database's messages of (a routine's {@code RAISE} composes them with any value it reads): only a
 * statement the engine finds runs none is free of it; a routine call, a {@code DO} block, a {@code CALL}, a write of a
 * relation whose routines run on write (or cannot be told), and kinds of statement whose code cannot be told are not.
 */
class MayRunUserCodeTest {

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("all.yaml", """
            version: 1
            rules:
              - { id: all, effect: permit, actions: ["*"] }
            masks:
              - { id: mask-email, columns: { patterns: ["*.email"] }, function: redact, unless: { groups: [pii-readers] } }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private static final Identity CALLER = human("dora");

    /**
     * A session's catalog that says which routines writing a table runs ({@code s.audited} runs {@code s.check_row}) and
     * that no foreign key writes other tables.
     */
    private static final NameResolver CATALOG = new NameResolver() {
        private final NameResolver fixed = NameResolver.withoutInheritance(NameResolver.fixed("s"));

        @Override
        public Resolution resolve(String name) {
            return fixed.resolve(name);
        }

        @Override
        public java.util.Set<String> schemasNaming(String name) {
            return java.util.Set.of(); // no object of another schema shares a name the statements create
        }

        @Override
        public List<TableRef> routinesRunOnWrite(String schema, String name) {
            return name.equals("audited") ? List.of(new TableRef("s", "check_row")) : List.of();
        }

        @Override
        public List<CascadedWrite> cascadedWrites(String schema, String name, Action action) {
            return List.of(); // no foreign key writes another table
        }
    };

    private Decision decide(String sql, Dialect dialect, NameResolver names) {
        Decision decision = engine.decide(CALLER, analyzer.analyze(sql, dialect), DecisionContext.of(names));
        assertThat(decision.allowed()).as(sql + ": " + decision.reason()).isTrue();
        return decision;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | SELECT id, email FROM s.customers WHERE id = 1",
            "POSTGRESQL | SELECT c.id FROM s.customers c JOIN s.orders o ON o.customer_id = c.id",
            "POSTGRESQL | INSERT INTO s.orders (id, customer_id) VALUES (1, 2)",
            "POSTGRESQL | UPDATE s.orders SET customer_id = 3 WHERE id = 1",
            "POSTGRESQL | DELETE FROM s.orders WHERE id = 1",
            "MARIADB    | INSERT INTO s.orders (id, customer_id) VALUES (1, 2)",
            "POSTGRESQL | SHOW search_path",
            "H2         | SELECT id, email FROM s.customers WHERE id = 1",
    })
    void aStatementThatRunsNoUserCodeIsToldSo(Dialect dialect, String sql) {
        assertThat(decide(sql, dialect, CATALOG).mayRunUserCode()).as(sql).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | SELECT s.raise_it(1)",
            "POSTGRESQL | SELECT id FROM s.customers WHERE s.check_row(id)",
            "POSTGRESQL | SELECT * FROM s.rows_of(1)",
            "POSTGRESQL | DO $$ BEGIN RAISE NOTICE 'x'; END $$",
            "POSTGRESQL | DO $$ BEGIN RAISE EXCEPTION '%', (SELECT email FROM s.customers WHERE id = 1); END $$",
            "POSTGRESQL | CALL s.refuse(1)",
            "POSTGRESQL | INSERT INTO s.audited (id) VALUES (1)",
            "POSTGRESQL | UPDATE s.audited SET id = 2 WHERE id = 1",
            "POSTGRESQL | UPDATE s.orders SET customer_id = 2 WHERE s.check_row(id)",
            "POSTGRESQL | COMMIT",
            "POSTGRESQL | SET CONSTRAINTS ALL IMMEDIATE",
            "POSTGRESQL | CREATE TABLE s.more (id int)",
            "POSTGRESQL | EXPLAIN ANALYZE SELECT id FROM s.customers",
            "POSTGRESQL | TRUNCATE s.orders",
            "MARIADB    | CALL s.refuse(1)",
            "MARIADB    | INSERT INTO s.audited (id) VALUES (1)",
            // H2's SIGNAL(state, text) raises an error whose message is the text, bare: any value the statement reads
            "H2         | SELECT SIGNAL('22000', email) FROM s.customers WHERE id = 1",
            "H2         | SELECT id, CASE WHEN id = 4 THEN SIGNAL('22000', CONCAT('x ', email)) END FROM s.customers",
            "H2         | SELECT SIGNAL('22000', (SELECT email FROM s.customers WHERE id = 3))",
            "H2         | CALL SIGNAL('22000', 'x')",
    })
    void aStatementThatMayRunUserCodeIsToldSo(Dialect dialect, String sql) {
        assertThat(decide(sql, dialect, CATALOG).mayRunUserCode()).as(sql).isTrue();
    }

    @Test
    void aWriteWhoseRoutinesCannotBeToldMayRunUserCode() {
        // no session: which triggers, defaults and checks the table runs is not known
        assertThat(decide("INSERT INTO s.orders (id) VALUES (1)", Dialect.POSTGRESQL, NameResolver.fixed("s"))
                .mayRunUserCode()).isTrue();
        assertThat(decide("SELECT id FROM s.orders", Dialect.POSTGRESQL, NameResolver.fixed("s")).mayRunUserCode())
                .isFalse();
    }

    @Test
    void aDecisionNotMadeByTheEngineMayRunUserCodeAndObserveModeKeepsWhatTheEngineFound() {
        assertThat(Decision.allow(List.of("r"), "allowed").mayRunUserCode()).isTrue();
        assertThat(Decision.allowUnconditionally().mayRunUserCode()).isTrue();
        Decision free = decide("SELECT id FROM s.orders", Dialect.POSTGRESQL, CATALOG);
        assertThat(free.withWouldBe(Decision.deny(List.of("x"), "observed")).mayRunUserCode()).isFalse();
        assertThat(free.withoutUserCode()).isSameAs(free);
    }

    @Test
    void textThatCannotBeParsedAndIsAllowedMayRunUserCode() {
        PolicyEngine lenient = new PolicyEngine(PolicyLoader.fromString("lenient.yaml", """
                version: 1
                on-unparseable: allow
                rules:
                  - { id: all, effect: permit, actions: ["*"] }
                """));
        Decision decision = lenient.decide(CALLER, analyzer.analyze("SELEKT nonsense (((", Dialect.POSTGRESQL),
                DecisionContext.of(CATALOG));
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.mayRunUserCode()).isTrue();
    }
}
