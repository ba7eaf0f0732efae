package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.policy.masking.PlannedColumn;
import io.governed.sql.Dialect;
import io.governed.sql.ResultColumn;
import io.governed.sql.RowFilterRewriter;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forms of PostgreSQL 16, 17 and 18 (and SQL/JSON forms of PostgreSQL 16 and 17) the test server (15) cannot run, decided
 * for an analyst a mask applies to and an agent (acting for the analyst) a mask with {@code deny-inference} applies to,
 * both restricted by a row filter on {@code customers}: each form is refused, or read so that what it takes from the
 * masked column comes out masked and the filtered table's rows come through its filter. A form the parser cannot read
 * is refused, never passed.
 *
 * <p>The outcome is {@code refused} (the decision denies, or the row filter cannot be applied), {@code masked} (allowed,
 * every result column hidden as the driver hides it when the database names no base column for it: a traced column
 * with a mask, an untraced one, a {@code *} over something masked or untraced) or {@code clear} (allowed, some column
 * shown as it is), followed by {@code +filtered} when the statement runs rewritten with the row filter.
 */
class PostgresNewerFormsTest {

    private static final Identity ANALYST = human("ann", "analysts");
    private static final Identity AGENT = agent("bot", ANALYST);
    private static final Set<String> MASKED_TABLES = Set.of("customers", "accounts");

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("newer-forms.yaml", """
            version: 1
            rules:
              - { id: work, effect: permit, actions: [select, insert, update, delete, merge, copy, call], resources: ["*"] }
            masks:
              - id: mask-ids
                columns: { patterns: ["public.customers.ssn", "public.accounts.card_number"] }
                function: partial
                keep-last: 4
            row-filters:
              - { id: lyon-only, tables: ["public.customers"], filter: "city = 'Lyon'" }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private String why;

    private String outcome(Identity identity, String sql) {
        SqlAnalysis analysis = analyzer.analyze(sql, Dialect.POSTGRESQL);
        Decision decision = engine.decide(identity, analysis, DecisionContext.of(new CatalogStub()));
        why = decision.reason();
        if (!decision.allowed()) {
            return "refused";
        }
        RowFilterRewriter.Rewrite rewrite;
        try {
            rewrite = RowFilterRewriter.rewrite(sql, Dialect.POSTGRESQL, engine.rowFiltersFor(identity, Dialect.POSTGRESQL), identity);
        } catch (RowFilterRewriter.RefusedException e) {
            why = e.getMessage();
            return "refused";
        }
        boolean hidden = true;
        for (StatementAnalysis statement : analysis.statements()) {
            for (PlannedColumn planned : engine.maskPlanner().plan(identity, statement, "public", Dialect.POSTGRESQL).columns()) {
                hidden &= hiddenWithoutABaseColumn(planned);
            }
        }
        boolean filtered = rewrite != null && rewrite.filters().contains("lyon-only");
        return (hidden ? "masked" : "clear") + (filtered ? "+filtered" : "");
    }

    /** Whether the driver hides the column when the database names no base column for it (a computed column, a record's field). */
    private static boolean hiddenWithoutABaseColumn(PlannedColumn planned) {
        ResultColumn column = planned.column();
        return switch (planned.resolution()) {
            case TRACED, UNTRACED -> planned.mask() != null;
            case EXPANDS -> planned.mask() != null || column.unknownLineage()
                    || column.allColumnsOf().stream().map(TableRef::name).anyMatch(MASKED_TABLES::contains);
        };
    }

    /**
     * {@code (f(…)).*} was read as a {@code *} over the FROM's relations: the function's call and the tables its
     * arguments' subqueries read went unseen, so a forbid on such a table, or on calling a routine, did not apply.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "SELECT (unnest(ARRAY(SELECT s FROM salaries s))).*                   | no-salaries",
        "SELECT (unnest(ARRAY(SELECT s FROM salaries s))).* FROM orders       | no-salaries",
        "SELECT (json_populate_record(NULL::orders, (SELECT row_to_json(s) FROM salaries s LIMIT 1))).* | no-salaries",
        "SELECT (app.leak_everything()).*                                      | ",
        "SELECT (app.leak_everything()).* FROM orders                          | ",
    })
    void whatAFunctionsRecordReadsAndCallsIsDecided(String sql, String rule) {
        PolicyEngine readers = new PolicyEngine(PolicyLoader.fromString("readers.yaml", """
                version: 1
                rules:
                  - { id: read, effect: permit, actions: [select], resources: ["*"] }
                  - { id: no-salaries, effect: forbid, actions: [select], resources: ["public.salaries"] }
                """));
        Decision decision = readers.decide(ANALYST, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(new CatalogStub()));
        assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.DENY);
        if (rule != null) {
            assertThat(decision.rules()).as(sql).contains(rule);
        }
        assertThat(readers.decide(ANALYST, analyzer.analyze("SELECT (ROW(1, 'a')).* FROM orders", Dialect.POSTGRESQL),
                DecisionContext.of(new CatalogStub())).effect()).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        // JSON_TABLE (PostgreSQL 17) is read as a call of a routine json_table, refused as an unlisted routine
        "SELECT jt.s FROM customers c, JSON_TABLE(jsonb_build_object('s', c.ssn), '$' COLUMNS (s text PATH '$.s')) AS jt | refused | refused",
        "SELECT * FROM customers c, JSON_TABLE(to_jsonb(c), '$' COLUMNS (s text PATH '$.ssn')) AS jt | refused | refused",
        "SELECT jt.* FROM customers c, JSON_TABLE(to_jsonb(c), '$' COLUMNS (s text PATH '$.ssn')) AS jt | refused | refused",
        "SELECT * FROM JSON_TABLE((SELECT jsonb_agg(ssn) FROM customers), '$[*]' COLUMNS (s text PATH '$')) AS jt | refused | refused",
        // MERGE … RETURNING (PostgreSQL 17)
        "MERGE INTO orders o USING customers c ON o.customer_id = c.id WHEN MATCHED THEN UPDATE SET status = 'x' RETURNING c.ssn | masked+filtered | masked+filtered",
        "MERGE INTO orders o USING customers c ON o.customer_id = c.id WHEN MATCHED THEN UPDATE SET status = 'x' RETURNING upper(c.ssn) | masked+filtered | masked+filtered",
        "MERGE INTO orders o USING customers c ON o.customer_id = c.id WHEN MATCHED THEN UPDATE SET status = 'x' RETURNING * | masked+filtered | masked+filtered",
        "MERGE INTO orders o USING customers c ON o.customer_id = c.id WHEN MATCHED THEN UPDATE SET status = 'x' RETURNING merge_action(), c.* | refused | refused",
        "MERGE INTO orders o USING (SELECT id, ssn FROM customers) c ON o.customer_id = c.id WHEN MATCHED THEN UPDATE SET status = c.ssn | refused | refused",
        "MERGE INTO orders o USING customers c ON o.customer_id = c.id AND c.ssn LIKE '1%' WHEN MATCHED THEN DELETE | masked+filtered | refused",
        // WHEN NOT MATCHED BY SOURCE (PostgreSQL 17)
        "MERGE INTO orders o USING customers c ON o.customer_id = c.id WHEN NOT MATCHED BY SOURCE THEN DELETE | masked+filtered | masked+filtered",
        "MERGE INTO orders o USING customers c ON o.customer_id = c.id WHEN NOT MATCHED BY SOURCE AND o.total > 0 THEN UPDATE SET status = 'gone' | masked+filtered | masked+filtered",
        "MERGE INTO customers c USING orders o ON o.customer_id = c.id WHEN NOT MATCHED BY SOURCE THEN UPDATE SET name = 'x' | refused | refused",
        "MERGE INTO customers c USING orders o ON o.customer_id = c.id WHEN NOT MATCHED BY SOURCE THEN DELETE | refused | refused",
        // SQL/JSON constructors, aggregates and queries (PostgreSQL 16, 17): JSON_SERIALIZE, JSON and JSON_SCALAR are
        // read as calls of unlisted routines; JSON_OBJECT's and JSON_OBJECTAGG's 'k': v form is not rewritten for the filter
        "SELECT JSON_OBJECT('k' VALUE ssn) FROM customers | masked+filtered | refused",
        "SELECT JSON_OBJECT('k': ssn) FROM customers | refused | refused",
        "SELECT JSON_OBJECT(ssn VALUE id) FROM customers | masked+filtered | refused",
        "SELECT JSON_ARRAY(ssn, name) FROM customers | masked+filtered | refused",
        "SELECT JSON_ARRAY(SELECT ssn FROM customers) | masked+filtered | refused",
        "SELECT JSON_ARRAYAGG(ssn) FROM customers | masked+filtered | refused",
        "SELECT JSON_ARRAYAGG(ssn ORDER BY id) FROM customers | masked+filtered | refused",
        "SELECT JSON_OBJECTAGG(ssn VALUE id) FROM customers | masked+filtered | refused",
        "SELECT JSON_OBJECTAGG(name : ssn) FROM customers | refused | refused",
        "SELECT JSON_EXISTS(JSON_OBJECT('k' VALUE ssn), '$.k ? (@ starts with \"1\")') FROM customers | masked+filtered | refused",
        "SELECT id FROM customers WHERE JSON_EXISTS(JSON_OBJECT('k' VALUE ssn), '$.k ? (@ starts with \"1\")') | clear+filtered | refused",
        "SELECT JSON_QUERY(JSON_ARRAY(ssn), '$[0]') FROM customers | masked+filtered | refused",
        "SELECT JSON_VALUE(JSON_ARRAY(ssn), '$[0]') FROM customers | masked+filtered | refused",
        "SELECT JSON_VALUE(JSON_ARRAY(ssn), '$[0]' RETURNING text) FROM customers | masked+filtered | refused",
        "SELECT JSON_SERIALIZE(JSON_ARRAY(ssn)) FROM customers | refused | refused",
        "SELECT JSON_SERIALIZE(JSON_ARRAY(ssn) RETURNING bytea) FROM customers | refused | refused",
        "SELECT JSON(ssn) FROM customers | refused | refused",
        "SELECT JSON_SCALAR(ssn) FROM customers | refused | refused",
        // IS JSON (PostgreSQL 16): not read
        "SELECT ssn IS JSON FROM customers | refused | refused",
        "SELECT id FROM customers WHERE ssn IS JSON | refused | refused",
        "SELECT id FROM customers WHERE ssn IS NOT JSON OBJECT | refused | refused",
        // FETCH FIRST … WITH TIES
        "SELECT id, ssn FROM customers ORDER BY id FETCH FIRST 1 ROWS WITH TIES | clear+filtered | clear+filtered",
        "SELECT ssn FROM customers ORDER BY id FETCH FIRST 1 ROWS WITH TIES | masked+filtered | masked+filtered",
        "SELECT id FROM customers ORDER BY ssn FETCH FIRST 1 ROWS WITH TIES | clear+filtered | refused",
        // ANY_VALUE (PostgreSQL 16)
        "SELECT ANY_VALUE(ssn) FROM customers | masked+filtered | refused",
        "SELECT city, ANY_VALUE(ssn) FROM customers GROUP BY city | clear+filtered | refused",
        // COPY … FROM … WITH (ON_ERROR ignore) (PostgreSQL 17)
        "COPY orders FROM STDIN WITH (ON_ERROR ignore) | masked | masked",
        "COPY customers FROM STDIN WITH (ON_ERROR ignore) | refused | refused",
        "COPY customers FROM STDIN WITH (FORMAT csv, ON_ERROR ignore, LOG_VERBOSITY verbose) | refused | refused",
        // RETURNING old.*, new.* (PostgreSQL 18)
        "UPDATE orders SET status = 'x' WHERE id = 1 RETURNING old.*, new.* | refused | refused",
        "UPDATE customers SET name = 'x' WHERE id = 1 RETURNING old.*, new.* | refused | refused",
        "UPDATE customers SET name = 'x' WHERE id = 1 RETURNING old.ssn, new.ssn | masked+filtered | masked+filtered",
        "DELETE FROM customers WHERE id = 1 RETURNING old.ssn | masked+filtered | masked+filtered",
        "UPDATE customers SET name = 'x' WHERE id = 1 RETURNING WITH (OLD AS o, NEW AS n) o.ssn, n.ssn | masked+filtered | masked+filtered",
        // virtual generated columns (PostgreSQL 18), WITHOUT OVERLAPS and PERIOD keys (PostgreSQL 18)
        "ALTER TABLE customers ADD COLUMN ssn_tail text GENERATED ALWAYS AS (right(ssn, 4)) VIRTUAL | refused | refused",
        "CREATE TABLE sf2_b (id int, during tstzrange, PRIMARY KEY (id, during WITHOUT OVERLAPS)) | refused | refused",
        "ALTER TABLE customers ADD CONSTRAINT k UNIQUE (ssn, city WITHOUT OVERLAPS) | refused | refused",
        "CREATE TABLE sf2_c (id int, during tstzrange, FOREIGN KEY (id, PERIOD during) REFERENCES sf2_b (id, PERIOD during)) | refused | refused",
        // a function's record expanded with (f(…)).*: what the function reads is read, the function is called (an
        // unlisted one refused)
        "SELECT (unnest(ARRAY(SELECT c FROM customers c))).* | masked+filtered | refused",
        "SELECT (unnest(ARRAY[c])).* FROM customers c | masked+filtered | refused",
        "SELECT (jsonb_populate_record(c, '{}')).* FROM customers c | refused | refused",
        "SELECT (unnest(ARRAY(SELECT ROW(id, ssn) FROM customers))).* | masked+filtered | refused",
        "SELECT (json_populate_record(NULL::orders, (SELECT json_build_object('status', ssn) FROM customers LIMIT 1))).* | refused | refused",
        "SELECT (ROW(1, 'a')).* | clear | clear",
    })
    void eachFormIsRefusedOrReadWithItsMaskAndFilter(String sql, String analyst, String agent) {
        assertThat(outcome(ANALYST, sql)).as(() -> "analyst: " + sql + ": " + why).isEqualTo(analyst);
        assertThat(outcome(AGENT, sql)).as(() -> "agent: " + sql + ": " + why).isEqualTo(agent);
    }

    @Test
    void anyValueIsRefusedToTheAgentAsAComputationNotAsASetReturningFunction() {
        for (String sql : List.of("SELECT ANY_VALUE(ssn) FROM customers",
                "SELECT city, ANY_VALUE(ssn) FROM customers GROUP BY city")) {
            assertThat(outcome(AGENT, sql)).isEqualTo("refused");
            assertThat(why).as(sql).contains("ssn").doesNotContain("set-returning");
        }
    }

    @Test
    void returningOldOrNewStarIsRefusedAsAFormNotRead() {
        for (String sql : List.of("UPDATE orders SET status = 'x' WHERE id = 1 RETURNING old.*, new.*",
                "INSERT INTO orders (id) VALUES (1) RETURNING new.*", "DELETE FROM customers WHERE id = 1 RETURNING old.*")) {
            String error = analyzer.analyze(sql, Dialect.POSTGRESQL).parseError();
            assertThat(error).as(sql).startsWith(SqlAnalyzer.UNREAD_FORM).contains("RETURNING old.a, new.a")
                    .doesNotContain("Exception");
            assertThat(outcome(ANALYST, sql)).isEqualTo("refused");
        }
        // the columns named one by one are read as the target's (the analyst's masked column stays masked)
        assertThat(outcome(ANALYST, "UPDATE customers SET ssn = 'x' WHERE id = 1 RETURNING old.ssn, new.ssn"))
                .isEqualTo("masked+filtered");
    }
}
