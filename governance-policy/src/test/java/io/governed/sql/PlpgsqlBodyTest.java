package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * A PL/pgSQL body read as the PostgreSQL analysis reads its statements: every table a statement or expression of the
 * body reads or writes, and every routine it calls, is among what the analysis reads from the texts given, a variable
 * is never read as a table or a column, and a body holding anything not read for certain is not known ({@code null}).
 */
class PlpgsqlBodyTest {

    private static final SqlAnalyzer ANALYZER = new SqlAnalyzer();

    /** What the analysis reads from the texts the body gives: {@code read:t}, {@code write:t}, {@code call:p}. */
    private static Set<String> effects(List<String> texts) {
        assertThat(texts).as("the body is read").isNotNull();
        Set<String> effects = new TreeSet<>();
        for (String text : texts) {
            SqlAnalysis analysis = ANALYZER.analyze(text, Dialect.POSTGRESQL);
            assertThat(analysis.parsed()).as(text).isTrue();
            for (StatementAnalysis statement : analysis.statements()) {
                statement.tablesRead().forEach(t -> effects.add("read:" + t.name()));
                statement.tablesWritten().forEach(t -> effects.add("write:" + t.name()));
                statement.routines().forEach(t -> effects.add("call:" + t.name()));
            }
        }
        return effects;
    }

    private static Set<String> effects(String body, String... parameters) {
        return effects(PlpgsqlBody.statements(body, List.of(parameters)));
    }

    private static Set<String> triggerEffects(String body) {
        return effects(PlpgsqlBody.statements(body, "audit_fn", List.of(), true));
    }

    /** The columns the analysis reads from the texts, as {@code relation.column}. */
    private static Set<String> columns(List<String> texts) {
        Set<String> columns = new TreeSet<>();
        for (String text : texts) {
            for (StatementAnalysis statement : ANALYZER.analyze(text, Dialect.POSTGRESQL).statements()) {
                statement.columns().forEach(c -> columns.add(c.table() + "." + c.column()));
            }
        }
        return columns;
    }

    private static List<String> notKnown(String body, String... parameters) {
        return PlpgsqlBody.statements(body, List.of(parameters));
    }

    @Test
    void aDeclaredDefaultIsAnExpressionThatMayReadATable() {
        assertThat(effects("DECLARE n int := (SELECT count(*) FROM customers); BEGIN RETURN n; END"))
                .containsExactly("read:customers");
        assertThat(effects("DECLARE n int DEFAULT (SELECT max(id) FROM customers); m CONSTANT int NOT NULL = 1;"
                + " BEGIN RETURN n + m; END")).containsExactly("read:customers");
    }

    @Test
    void aCursorsQueryIsReadWhereItIsDeclared() {
        assertThat(effects("DECLARE c CURSOR FOR SELECT ssn FROM customers; r record; BEGIN OPEN c; FETCH c INTO r;"
                + " CLOSE c; RETURN r.ssn; END")).containsExactly("read:customers");
        assertThat(effects("DECLARE c NO SCROLL CURSOR (k int, lim int) IS SELECT ssn FROM customers WHERE id = k"
                + " LIMIT lim; BEGIN OPEN c((SELECT min(id) FROM orders), 1); MOVE NEXT FROM c; CLOSE c; END"))
                .containsExactly("read:customers", "read:orders");
    }

    @Test
    void anAliasReadsNothing() {
        assertThat(effects("DECLARE k ALIAS FOR $1; j ALIAS FOR k; BEGIN RETURN k + j; END")).isEmpty();
    }

    @Test
    void nestedLabelledBlocksAndHandlersAreRead() {
        assertThat(effects("<<outer>> DECLARE x int; BEGIN <<inner>> DECLARE y int := (SELECT max(id) FROM customers);"
                + " BEGIN outer.x := inner.y; END inner; DECLARE z int; BEGIN z := 1; END; END outer"))
                .containsExactly("read:customers");
        assertThat(effects("BEGIN NULL; EXCEPTION WHEN division_by_zero OR SQLSTATE '22012' THEN"
                + " INSERT INTO error_log (msg, code) VALUES (SQLERRM, SQLSTATE); WHEN others THEN"
                + " PERFORM 1 FROM customers; RAISE; END")).containsExactly("read:customers", "write:error_log");
    }

    @Test
    void assignmentsAndTheirSubscriptsAreExpressions() {
        assertThat(effects("DECLARE a int[]; b int; BEGIN a[(SELECT 1 FROM s)] := (SELECT 2 FROM t);"
                + " b = (SELECT 3 FROM u); END")).containsExactly("read:s", "read:t", "read:u");
    }

    @Test
    void conditionsAndBranchesAreRead() {
        assertThat(effects("BEGIN IF EXISTS (SELECT 1 FROM a) THEN DELETE FROM b WHERE id = k;"
                + " ELSIF (SELECT count(*) FROM c) > 1 THEN UPDATE d SET x = 1 WHERE id = k;"
                + " ELSEIF k > 2 THEN NULL; ELSE INSERT INTO e VALUES (k); END IF; END", "k"))
                .containsExactly("read:a", "read:c", "write:b", "write:d", "write:e");
        assertThat(effects("BEGIN CASE (SELECT kind FROM a LIMIT 1) WHEN 1, (SELECT 2 FROM b) THEN PERFORM 1;"
                + " ELSE PERFORM 2 FROM c; END CASE; CASE WHEN k IN (SELECT id FROM d) THEN RETURN 1;"
                + " WHEN k > 1 THEN DELETE FROM e WHERE id = k; END CASE; END", "k"))
                .containsExactly("read:a", "read:b", "read:c", "read:d", "write:e");
    }

    @Test
    void loopsTheirConditionsBoundsAndQueriesAreRead() {
        assertThat(effects("BEGIN <<l>> LOOP EXIT l WHEN (SELECT count(*) FROM a) > 0;"
                + " CONTINUE WHEN EXISTS (SELECT 1 FROM b); EXIT; END LOOP l;"
                + " WHILE (SELECT count(*) FROM c) < 10 LOOP INSERT INTO c VALUES (1); END LOOP; END"))
                .containsExactly("read:a", "read:b", "read:c", "write:c");
        assertThat(effects("BEGIN FOR i IN REVERSE (SELECT max(id) FROM a)..1 BY (SELECT 1 FROM b) LOOP"
                + " PERFORM i; END LOOP; FOR i IN 1..10 LOOP DELETE FROM c WHERE id = i; END LOOP; END"))
                .containsExactly("read:a", "read:b", "write:c");
        assertThat(effects("DECLARE r record; BEGIN FOR r IN SELECT * FROM customers LOOP"
                + " INSERT INTO copies VALUES (r.id, r.ssn); END LOOP; END"))
                .containsExactly("read:customers", "write:copies");
        assertThat(effects("DECLARE c CURSOR (k int) FOR SELECT * FROM customers WHERE id = k; BEGIN"
                + " FOR r IN c((SELECT 1 FROM orders)) LOOP RETURN NEXT r; END LOOP; END"))
                .containsExactly("read:customers", "read:orders");
        assertThat(effects("DECLARE x int; BEGIN FOREACH x SLICE 1 IN ARRAY (SELECT array_agg(id) FROM customers)"
                + " LOOP RETURN NEXT x; END LOOP; END")).containsExactly("read:customers");
    }

    @Test
    void returnsAndPerformsAreRead() {
        assertThat(effects("BEGIN RETURN (SELECT ssn FROM customers WHERE id = k); END", "k"))
                .containsExactly("read:customers");
        assertThat(effects("BEGIN RETURN NEXT (SELECT 1 FROM a); RETURN QUERY SELECT * FROM b;"
                + " RETURN QUERY WITH x AS (SELECT * FROM c) SELECT * FROM x; PERFORM f(id) FROM d; RETURN NEXT;"
                + " RETURN; END")).containsExactly("call:f", "read:a", "read:b", "read:c", "read:d");
    }

    @Test
    void aPlpgsqlIntoIsNoTableWritten() {
        List<String> texts = PlpgsqlBody.statements("DECLARE r record; n int; m int; BEGIN"
                + " SELECT * INTO STRICT r FROM customers WHERE id = 1; SELECT id, id INTO n, m FROM orders;"
                + " INSERT INTO log (id) VALUES (1) RETURNING id INTO n;"
                + " DELETE FROM old_rows RETURNING id INTO STRICT m; UPDATE u SET x = 1 RETURNING x INTO n; END",
                List.of());
        assertThat(effects(texts)).containsExactly("read:customers", "read:orders", "write:log", "write:old_rows",
                "write:u");
        assertThat(texts).noneMatch(t -> t.toLowerCase().contains(" into r") || t.toLowerCase().contains("into n"));
    }

    @Test
    void raiseAndAssertExpressionsAreRead() {
        assertThat(effects("BEGIN RAISE NOTICE 'found %', (SELECT ssn FROM customers LIMIT 1);"
                + " RAISE EXCEPTION USING MESSAGE = (SELECT 1 FROM a), HINT := (SELECT 2 FROM b);"
                + " RAISE division_by_zero USING DETAIL = (SELECT 3 FROM c); RAISE SQLSTATE '22012';"
                + " RAISE 'plain'; ASSERT (SELECT count(*) FROM d) > 0, (SELECT 'm' FROM e); END"))
                .containsExactly("read:a", "read:b", "read:c", "read:customers", "read:d", "read:e");
    }

    @Test
    void cursorsOpenedForAQueryReadIt() {
        assertThat(effects("DECLARE c refcursor; BEGIN OPEN c SCROLL FOR SELECT * FROM customers;"
                + " FETCH ABSOLUTE 2 FROM c; MOVE BACKWARD ALL IN c; CLOSE c; RETURN c; END"))
                .containsExactly("read:customers");
    }

    @Test
    void statementsThatReadNoTableGiveNothing() {
        assertThat(effects("DECLARE n int; BEGIN GET DIAGNOSTICS n = ROW_COUNT; GET STACKED DIAGNOSTICS"
                + " n := PG_EXCEPTION_DETAIL; NULL; COMMIT; ROLLBACK AND NO CHAIN; COMMIT AND CHAIN; END")).isEmpty();
    }

    @Test
    void callsAndOtherSqlStatementsAreGivenAsWritten() {
        assertThat(effects("BEGIN CALL archive(k, (SELECT max(id) FROM a)); TRUNCATE b; LOCK TABLE c;"
                + " DROP TABLE d; CREATE TEMP TABLE e AS SELECT * FROM g; END", "k"))
                .contains("call:archive", "read:a", "read:g");
        List<String> texts = PlpgsqlBody.statements("BEGIN TRUNCATE b; DROP TABLE d; END", List.of());
        assertThat(texts).containsExactly("TRUNCATE b", "DROP TABLE d");
    }

    @Test
    void dynamicSqlIsNotKnown() {
        assertThat(notKnown("BEGIN EXECUTE 'DELETE FROM ' || t; END", "t")).isNull();
        assertThat(notKnown("BEGIN RETURN QUERY EXECUTE 'SELECT * FROM customers'; END")).isNull();
        assertThat(notKnown("DECLARE c refcursor; BEGIN OPEN c FOR EXECUTE 'SELECT 1'; END")).isNull();
        assertThat(notKnown("DECLARE r record; BEGIN FOR r IN EXECUTE 'SELECT 1' LOOP END LOOP; END")).isNull();
        assertThat(notKnown("BEGIN IF true THEN EXECUTE format('DROP TABLE %I', t); END IF; END", "t")).isNull();
    }

    @Test
    void directivesThatChangeHowNamesResolveAreNotKnown() {
        assertThat(notKnown("#variable_conflict use_column\nBEGIN RETURN (SELECT ssn FROM customers); END")).isNull();
        assertThat(notKnown("#variable_conflict use_variable\nBEGIN RETURN 1; END")).isNull();
        assertThat(effects("#print_strict_params on\nBEGIN RETURN (SELECT ssn FROM customers); END"))
                .containsExactly("read:customers");
    }

    @Test
    void unbalancedOrUnrecognisedBodiesAreNotKnown() {
        assertThat(notKnown("BEGIN PERFORM 1 FROM customers;")).isNull();
        assertThat(notKnown("BEGIN IF true THEN PERFORM 1 FROM customers; END; END")).isNull();
        assertThat(notKnown("BEGIN PERFORM (1 FROM customers; END")).isNull();
        assertThat(notKnown("BEGIN LOOP PERFORM 1; END IF; END")).isNull();
        assertThat(notKnown("BEGIN RETURN 1; END; SELECT * FROM customers")).isNull();
        assertThat(notKnown("BEGIN (SELECT 1); END")).isNull();
        assertThat(notKnown("BEGIN <<l>> PERFORM 1; END")).isNull();
        assertThat(notKnown("BEGIN EXIT nowhere; END")).isNull();
        assertThat(notKnown("BEGIN NULL; END wrong")).isNull();
        assertThat(notKnown("BEGIN RETURN 1 END")).isNull();
        assertThat(notKnown("")).isNull();
        assertThat(PlpgsqlBody.statements(null, List.of())).isNull();
    }

    @Test
    void anExpressionEndsWhereTheServerEndsItNotAtTheEndOfItsCase() {
        // PL/pgSQL ends the condition at the first THEN, inside the CASE; it does not compile, and is not read
        assertThat(notKnown("BEGIN IF CASE WHEN (SELECT 1 FROM customers) = 1 THEN true END THEN NULL; END IF; END"))
                .isNull();
    }

    @Test
    void anIntoTwiceOrIntoWhatIsNoVariableIsNotKnown() {
        assertThat(notKnown("DECLARE a int; BEGIN SELECT 1 INTO a FROM t INTO a; END")).isNull();
        assertThat(notKnown("BEGIN SELECT ssn INTO stolen FROM customers; END")).isNull();
    }

    @Test
    void stringsAndCommentsHidingEndsOrDollarsDoNotEndTheBody() {
        assertThat(effects("BEGIN RAISE NOTICE 'END; $$'; -- END; $$\n /* END; /* nested END; */ $$ */"
                + " PERFORM 1 FROM customers; RETURN 'END IF;'; END")).containsExactly("read:customers");
        assertThat(effects("DECLARE s text := $q$ END; $$ ' $q$; BEGIN PERFORM $x$END;$x$, ssn FROM customers;"
                + " END")).containsExactly("read:customers");
    }

    @Test
    void backslashesThatASessionCouldReadAsEscapesAreNotKnown() {
        assertThat(notKnown("BEGIN RAISE NOTICE 'x\\'; DELETE FROM customers; --'; END")).isNull();
    }

    @Test
    void aVariableNamedLikeATableIsNotKnown() {
        // the server reads customers as the table in FROM: a variable's name there is not replaced for certain
        assertThat(notKnown("DECLARE customers int; BEGIN RETURN (SELECT count(*) FROM customers); END")).isNull();
        assertThat(notKnown("BEGIN DELETE FROM orders; END", "orders")).isNull();
    }

    @Test
    void aVariableIsReadAsNoTableAndNoColumn() {
        List<String> texts = PlpgsqlBody.statements("DECLARE r record; BEGIN NEW.total := NEW.qty * 2;"
                + " INSERT INTO audit (op, tab, who, row_id, arg) VALUES (TG_OP, TG_TABLE_NAME, audit_fn.k, r.id,"
                + " TG_ARGV[0]); IF FOUND THEN RETURN NEW; END IF; UPDATE stock SET qty = qty - NEW.qty"
                + " WHERE id = OLD.id; RETURN OLD; END", "audit_fn", List.of("k"), true);
        // the trigger's NEW and OLD are the row written, read as the marker relation: their fields are its columns
        assertThat(effects(texts)).containsExactly("read:row", "write:audit", "write:stock");
        assertThat(columns(texts)).allMatch(c -> c.startsWith("audit.") || c.startsWith("stock.")
                || c.startsWith(PlpgsqlBody.TRIGGER_ROW + "."));
        assertThat(columns(texts)).contains("stock.qty", "stock.id", PlpgsqlBody.TRIGGER_ROW + ".qty",
                PlpgsqlBody.TRIGGER_ROW + ".id");
        assertThat(columns(texts)).doesNotContain("stock.r", "audit.k", "audit.tg_op");
        assertThat(triggerEffects("BEGIN INSERT INTO history SELECT now(), NEW.*; RETURN NEW; END"))
                .containsExactly("read:row", "write:history");
    }

    @Test
    void aTriggersRowIsReadFieldByFieldAndReturningItReadsNothing() {
        List<String> texts = PlpgsqlBody.statements("BEGIN INSERT INTO pub (v) VALUES (NEW.ssn); IF \"old\".name"
                + " IS NULL THEN NULL; END IF; RETURN NEW; END", "t", List.of(), true);
        assertThat(columns(texts)).contains(PlpgsqlBody.TRIGGER_ROW + ".ssn", PlpgsqlBody.TRIGGER_ROW + ".name");
        assertThat(PlpgsqlBody.statements("BEGIN RETURN NEW; END", "t", List.of(), true)).isEmpty();
        assertThat(PlpgsqlBody.statements("BEGIN RETURN OLD; END", "t", List.of(), true)).isEmpty();
        // a whole row is every column
        assertThat(columns(PlpgsqlBody.statements("BEGIN PERFORM pg_notify('c', row_to_json(NEW)::text); RETURN NULL;"
                + " END", "t", List.of(), true))).contains(PlpgsqlBody.TRIGGER_ROW + ".*");
        // outside a trigger function NEW is no variable, and a body naming the marker itself is not read
        assertThat(PlpgsqlBody.statements("BEGIN RETURN (SELECT v FROM \"governed trigger\".\"row\"); END", "t",
                List.of(), true)).isNull();
    }

    @Test
    void aNameIsAVariableOnlyWhereItIsInScope() {
        List<String> texts = PlpgsqlBody.statements("BEGIN DECLARE ssn text; BEGIN ssn := 'x'; END;"
                + " RETURN (SELECT ssn FROM customers LIMIT 1); END", List.of());
        assertThat(columns(texts)).contains("customers.ssn");
        // a declared name is no variable in its own default yet
        texts = PlpgsqlBody.statements("DECLARE ssn text := (SELECT ssn FROM customers LIMIT 1); BEGIN RETURN ssn; END",
                List.of());
        assertThat(columns(texts)).contains("customers.ssn");
        // an integer loop's variable is the loop's own
        texts = PlpgsqlBody.statements("BEGIN FOR id IN 1..2 LOOP NULL; END LOOP; RETURN (SELECT id FROM customers"
                + " LIMIT 1); END", List.of());
        assertThat(columns(texts)).contains("customers.id");
    }

    @Test
    void columnsOfAWrittenTableNamedLikeVariablesStayColumns() {
        List<String> texts = PlpgsqlBody.statements("BEGIN INSERT INTO customers (name, id) VALUES (name, id);"
                + " UPDATE customers SET name = name, id = id + 1 WHERE customers.id = id; END", List.of("name", "id"));
        assertThat(effects(texts)).containsExactly("write:customers");
        assertThat(texts.get(0)).startsWith("INSERT INTO customers (name, id) VALUES");
    }

    @Test
    void commonTriggerAndRoutineBodiesAreRead() {
        assertThat(triggerEffects("""
                DECLARE
                  previous customers%ROWTYPE;
                  changed int := 0;
                BEGIN
                  IF TG_OP = 'UPDATE' AND NOT FOUND THEN RETURN NULL; END IF;
                  CASE TG_OP
                    WHEN 'INSERT' THEN NEW.created_at := now();
                    WHEN 'UPDATE', 'DELETE' THEN SELECT INTO previous * FROM customers WHERE id = OLD.id;
                    ELSE NULL;
                  END CASE;
                  INSERT INTO audit (table_name, op, data, at)
                    VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP, row_to_json(NEW), now());
                  GET DIAGNOSTICS changed = ROW_COUNT;
                  PERFORM pg_notify('changes', NEW.id::text);
                  RETURN COALESCE(NEW, OLD);
                EXCEPTION WHEN unique_violation THEN
                  RAISE EXCEPTION 'duplicate %', NEW.id USING ERRCODE = 'P0001';
                END
                """)).containsExactly("call:pg_notify", "read:customers", "read:row", "write:audit");
    }

    @Test
    void aBodyChangingASettingIsNotKnown() {
        // after it, customers is evil.customers, which the caller's search path would not find
        assertThat(notKnown("BEGIN SET LOCAL search_path = evil, public; RETURN (SELECT ssn FROM customers); END"))
                .isNull();
        assertThat(notKnown("BEGIN RESET search_path; RETURN 1; END")).isNull();
        assertThat(notKnown("BEGIN PERFORM set_config('search_path', 'evil', true);"
                + " RETURN (SELECT ssn FROM customers); END")).isNull();
        assertThat(effects("BEGIN UPDATE customers SET ssn = NULL WHERE id = 1; END")).containsExactly("write:customers");
    }

    @Test
    void aCursorsCurrentRowIsWrittenThroughItsName() {
        assertThat(effects("DECLARE c CURSOR FOR SELECT * FROM customers FOR UPDATE; r record; BEGIN OPEN c;"
                + " FETCH c INTO r; UPDATE customers SET name = 'x' WHERE CURRENT OF c; CLOSE c; END"))
                .containsExactly("read:customers", "write:customers");
    }

    @Test
    void aDeclaredTypeHoldsNamesAndConstantsOnly() {
        assertThat(effects("DECLARE a numeric(10, 2); b int[3][]; c customers.id%TYPE; d customers%ROWTYPE;"
                + " e CONSTANT text COLLATE \"C\" NOT NULL := 'x'; f public.customers%ROWTYPE; BEGIN NULL; END"))
                .isEmpty();
        assertThat(notKnown("DECLARE a varchar((SELECT count(*) FROM customers)); BEGIN NULL; END")).isNull();
    }
}
