package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.PlpgsqlBody;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.TableRef;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * Code the database runs for a statement (a routine it calls, a DO block, a trigger's function, a default's routine)
 * is where a masked value can leave without ever being a result: the body copies it into a table anyone reads, assigns
 * it to the row a trigger writes, keeps it, or tests it. For a caller a mask applies to, such code is refused as the
 * statement itself would be, and since values pass between the body's statements through variables the analysis does
 * not follow, code that reads a masked value and also writes anything is refused too. Code a write runs (a trigger, a
 * default) is refused when it reads one at all: what it computes lands in the row. A trigger's NEW and OLD are the
 * written table's row: stored values for an update or delete, the caller's own for a plain insert.
 */
class MaskedCodeFlowTest {

    private static final Identity WRITER = human("wes", "writers");
    private static final Identity READER = human("pia", "writers", "pii-readers");
    private static final Identity AGENT = Identity.builder("bot").kind(IdentityKind.AGENT).groups("writers")
            .build();

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("code.yaml", """
            version: 1
            default: deny
            rules:
              - { id: writers, effect: permit, principals: { groups: [writers] }, actions: ["*"], resources: ["*"] }
            masks:
              - id: mask-ssn
                columns: { patterns: ["*.ssn"] }
                function: partial
                keep-last: 4
                deny-inference: [agent, human, service]
                unless: { groups: [pii-readers] }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();

    private Decision decide(Identity identity, String sql) {
        return engine.decide(identity, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
    }

    /** A PL/pgSQL body as the catalog reader hands it on: its statements, read as PL/pgSQL reads them. */
    private static String plpgsql(String name, String body, boolean trigger, String... parameters) {
        List<String> statements = PlpgsqlBody.statements(body, name, List.of(parameters), trigger);
        assertThat(statements).as(body).isNotNull();
        return String.join(";\n", statements);
    }

    private void trigger(String table, String function, String body) {
        session.writeRoutines.put(table, List.of(new TableRef("s", function)));
        session.routineBodies.put(function, plpgsql(function, body, true));
    }

    private void assertRefusedToTheMaskedOnly(String sql) {
        Decision refused = decide(WRITER, sql);
        assertThat(refused.allowed()).as(sql + ": " + refused.reason()).isFalse();
        assertThat(refused.rules()).as(sql + ": " + refused.reason()).containsExactly("mask-ssn");
        assertThat(refused.reason()).as(sql).contains("code the database runs for it");
        assertThat(decide(AGENT, sql).allowed()).as(sql).isFalse();
        Decision exempt = decide(READER, sql);
        assertThat(exempt.allowed()).as(sql + ": " + exempt.reason()).isTrue();
    }

    // ---- a routine the statement calls

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO s.pub (v) SELECT ssn FROM s.customers WHERE id = $1",
            "UPDATE s.pub SET v = (SELECT ssn FROM s.customers WHERE id = $1) WHERE id = 1",
            "INSERT INTO s.pub SELECT * FROM s.customers",
            "CREATE TABLE s.copied AS SELECT ssn FROM s.customers",
            "SELECT count(*) FROM s.customers WHERE ssn LIKE '1%'",
            "SELECT CASE WHEN ssn LIKE '1%' THEN 1 ELSE 0 END FROM s.customers WHERE id = $1",
    })
    void aCalledRoutineWhoseBodyCopiesOrTestsAMaskedColumnIsRefusedToAMaskedCaller(String body) {
        session.routineBodies.put("leak", body);
        for (String sql : List.of("SELECT s.leak(1)", "CALL s.leak(1)", "SELECT id, s.leak(id) FROM s.orders")) {
            assertRefusedToTheMaskedOnly(sql);
        }
    }

    @Test
    void aPlpgsqlRoutinePassingAMaskedValueThroughAVariableToAWriteIsRefused() {
        session.routineBodies.put("leak", plpgsql("leak", """
                DECLARE v text;
                BEGIN
                  SELECT ssn INTO v FROM s.customers WHERE id = p_id;
                  INSERT INTO s.pub (v) VALUES (v);
                  RETURN 1;
                END""", false, "p_id"));
        assertRefusedToTheMaskedOnly("SELECT s.leak(1)");
        // the same through a routine it calls, whose result is the masked value
        session.routineBodies.put("fetch_ssn", "SELECT ssn FROM s.customers WHERE id = $1");
        session.routineBodies.put("leak", plpgsql("leak", """
                DECLARE v text;
                BEGIN
                  v := s.fetch_ssn(p_id);
                  UPDATE s.pub SET v = v WHERE id = 1;
                  RETURN 1;
                END""", false, "p_id"));
        assertRefusedToTheMaskedOnly("SELECT s.leak(1)");
        // a value kept where another session reads it: pg_notify's payload
        session.routineBodies.put("leak", plpgsql("leak", """
                DECLARE v text;
                BEGIN
                  SELECT ssn INTO v FROM s.customers WHERE id = p_id;
                  PERFORM pg_notify('c', v);
                  RETURN 1;
                END""", false, "p_id"));
        assertRefusedToTheMaskedOnly("SELECT s.leak(1)");
    }

    @Test
    void aMaskedValuePassedAsAnArgumentToCodeThatWritesIsRefused() {
        session.routineBodies.put("log_value", plpgsql("log_value", """
                BEGIN
                  INSERT INTO s.pub (v) VALUES (p_value);
                  RETURN 1;
                END""", false, "p_value"));
        // a mask that lets every kind infer: a function's arguments are no inference then, only what the code does
        PolicyEngine inferring = new PolicyEngine(PolicyLoader.fromString("inferring.yaml", """
                version: 1
                default: deny
                rules:
                  - { id: writers, effect: permit, principals: { groups: [writers] }, actions: ["*"], resources: ["*"] }
                masks:
                  - { id: mask-ssn, columns: { patterns: ["*.ssn"] }, function: partial, keep-last: 4,
                      deny-inference: [], unless: { groups: [pii-readers] } }
                """));
        for (String sql : List.of("SELECT s.log_value(ssn) FROM s.customers", "SELECT s.log_value(upper(c.ssn)) FROM"
                + " s.customers c WHERE id = 1", "CALL s.log_value((SELECT ssn FROM s.customers WHERE id = 1))")) {
            for (Identity identity : List.of(WRITER, AGENT)) {
                Decision refused = inferring.decide(identity, analyzer.analyze(sql, Dialect.POSTGRESQL),
                        DecisionContext.of(session));
                assertThat(refused.allowed()).as(sql + ": " + refused.reason()).isFalse();
                assertThat(refused.reason()).as(sql).contains("code the database runs for it", "routine's arguments");
            }
            assertThat(inferring.decide(READER, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session))
                    .allowed()).as(sql).isTrue();
        }
        // values no mask covers may be passed
        for (String sql : List.of("SELECT s.log_value(name) FROM s.customers", "SELECT s.log_value('viewed')")) {
            assertThat(inferring.decide(WRITER, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session))
                    .allowed()).as(sql).isTrue();
        }
    }

    @Test
    void aMaskedValuePassedToCodeThatWritesByAViewsDefinitionIsRefused() {
        session.routineBodies.put("log_value", plpgsql("log_value", """
                BEGIN
                  INSERT INTO s.pub (v) VALUES (p_value);
                  RETURN 1;
                END""", false, "p_value"));
        // reading the view runs s.log_value on every row's ssn: the clear values land in s.pub
        session.views.put("logged", "SELECT c.id, s.log_value(c.ssn) AS logged FROM s.customers c");
        session.views.put("logged_upper", "SELECT c.id, s.log_value(upper(c.ssn)) AS logged FROM s.customers c");
        for (String sql : List.of("SELECT * FROM s.logged", "SELECT id FROM s.logged", "SELECT count(*) FROM"
                + " s.logged_upper")) {
            assertRefusedToTheMaskedOnly(sql);
            assertThat(decide(WRITER, sql).reason()).as(sql).contains("the definition of view s.logged");
        }
        // refreshing a materialized view runs its definition's query, and so its calls, over every row
        session.views.put("logged_mv", "SELECT c.id, s.log_value(c.ssn) AS logged FROM s.customers c");
        for (String sql : List.of("REFRESH MATERIALIZED VIEW s.logged_mv", "REFRESH MATERIALIZED VIEW CONCURRENTLY"
                + " s.logged_mv")) {
            assertRefusedToTheMaskedOnly(sql);
        }
        // a view calling it on a column no mask covers stays allowed
        session.views.put("logged_name", "SELECT c.id, s.log_value(c.name) AS logged FROM s.customers c");
        assertThat(decide(WRITER, "SELECT * FROM s.logged_name").allowed()).isTrue();
    }

    @Test
    void aConditionOnAMaskedValueInARoutineIsInference() {
        session.routineBodies.put("probe", plpgsql("probe", """
                BEGIN
                  IF (SELECT ssn FROM s.customers WHERE id = p_id) LIKE '1%' THEN
                    RETURN 1;
                  END IF;
                  RETURN 0;
                END""", false, "p_id"));
        assertRefusedToTheMaskedOnly("SELECT s.probe(1)");
    }

    @Test
    void aRoutineThatOnlyReadsAMaskedValueBackStaysAllowedItsResultIsRedacted() {
        session.routineBodies.put("fetch_ssn", "SELECT ssn FROM s.customers WHERE id = $1");
        assertThat(decide(WRITER, "SELECT s.fetch_ssn(1)").allowed()).isTrue();
        session.routineBodies.put("fetch_ssn", plpgsql("fetch_ssn", """
                DECLARE v text;
                BEGIN
                  SELECT ssn INTO v FROM s.customers WHERE id = p_id;
                  RETURN v;
                END""", false, "p_id"));
        assertThat(decide(WRITER, "SELECT s.fetch_ssn(1)").allowed()).isTrue();
        // a query choosing its rows by an OFFSET or a sample puts no value anywhere either
        session.routineBodies.put("fetch_ssn", "SELECT ssn FROM s.customers ORDER BY id LIMIT 1 OFFSET $1");
        assertThat(decide(WRITER, "SELECT s.fetch_ssn(1)").allowed()).isTrue();
        session.routineBodies.put("fetch_ssn", "SELECT ssn FROM s.customers TABLESAMPLE BERNOULLI (10) LIMIT 1");
        assertThat(decide(WRITER, "SELECT s.fetch_ssn(1)").allowed()).isTrue();
        // code that writes but reads nothing masked
        session.routineBodies.put("log_name", plpgsql("log_name", """
                BEGIN
                  INSERT INTO s.pub (v) SELECT name FROM s.customers WHERE id = p_id;
                  PERFORM nextval('s.seq');
                  RETURN 1;
                END""", false, "p_id"));
        assertThat(decide(WRITER, "SELECT s.log_name(1)").allowed()).isTrue();
    }

    @Test
    void keepingAMaskedValueInARoutineIsRefusedToEveryCaller() {
        session.routineBodies.put("lock_on", "SELECT pg_advisory_lock(hashtext(ssn)) FROM s.customers WHERE id = $1");
        for (Identity identity : List.of(WRITER, READER)) {
            Decision refused = decide(identity, "SELECT s.lock_on(1)");
            assertThat(refused.allowed()).as(identity.describe() + ": " + refused.reason()).isFalse();
            assertThat(refused.reason()).contains("code the database runs for it");
        }
    }

    // ---- a DO block

    @ParameterizedTest
    @ValueSource(strings = {
            "DO $$ BEGIN INSERT INTO s.pub (v) SELECT ssn FROM s.customers; END $$",
            "DO $$ DECLARE v text; BEGIN SELECT ssn INTO v FROM s.customers WHERE id = 1; INSERT INTO s.pub (v) VALUES (v); END $$",
            "DO $$ DECLARE r record; BEGIN FOR r IN SELECT ssn FROM s.customers LOOP UPDATE s.pub SET v = r.ssn; END LOOP; END $$",
            "DO $$ BEGIN IF EXISTS (SELECT 1 FROM s.customers WHERE ssn LIKE '1%') THEN DELETE FROM s.pub WHERE id = 1; END IF; END $$",
    })
    void aDoBlockMovingAMaskedValueIsRefusedToAMaskedCaller(String sql) {
        assertRefusedToTheMaskedOnly(sql);
    }

    // ---- code a write runs

    @Test
    void aTriggerAssigningAMaskedValueToTheRowItWritesIsRefused() {
        trigger("orders", "stamp", """
                BEGIN
                  NEW.status := (SELECT ssn FROM s.customers WHERE id = NEW.customer_id);
                  RETURN NEW;
                END""");
        assertRefusedToTheMaskedOnly("INSERT INTO s.orders (id, customer_id) VALUES (1, 1)");
        assertRefusedToTheMaskedOnly("UPDATE s.orders SET customer_id = 2 WHERE id = 1");
    }

    @Test
    void aDefaultCallingARoutineThatReadsAMaskedValueIsRefused() {
        session.writeRoutines.put("pub", List.of(new TableRef("s", "default_v")));
        session.routineBodies.put("default_v", "SELECT ssn FROM s.customers ORDER BY id LIMIT 1");
        assertRefusedToTheMaskedOnly("INSERT INTO s.pub (id) VALUES (1)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "BEGIN INSERT INTO s.pub (v) VALUES (NEW.ssn); RETURN NEW; END",
            "BEGIN INSERT INTO s.pub (v) VALUES (OLD.ssn); RETURN OLD; END",
            "BEGIN NEW.name := NEW.ssn; RETURN NEW; END",
            "BEGIN INSERT INTO s.pub (v) VALUES (row_to_json(NEW)::text); RETURN NEW; END",
            "<<t>> BEGIN INSERT INTO s.pub (v) VALUES (\"new\".ssn); RETURN NEW; END",
            "BEGIN IF NEW.ssn LIKE '1%' THEN INSERT INTO s.pub (v) VALUES ('x'); END IF; RETURN NEW; END",
    })
    void aTriggerCopyingOrTestingTheStoredMaskedColumnOfItsRowIsRefusedOnUpdateAndDelete(String body) {
        trigger("customers", "copy_row", body);
        assertRefusedToTheMaskedOnly("UPDATE s.customers SET name = 'x' WHERE id = 1");
        assertRefusedToTheMaskedOnly("DELETE FROM s.customers WHERE id = 1");
        assertRefusedToTheMaskedOnly("INSERT INTO s.customers (id, name) VALUES (1, 'x') ON CONFLICT (id) DO UPDATE SET"
                + " name = 'y'");
    }

    @Test
    void aTriggerKeepingItsRowsStoredMaskedValueIsRefusedToEveryCaller() {
        trigger("customers", "announce", "BEGIN PERFORM pg_notify('changes', NEW.ssn); RETURN NEW; END");
        for (Identity identity : List.of(WRITER, READER)) {
            Decision refused = decide(identity, "UPDATE s.customers SET name = 'x' WHERE id = 1");
            assertThat(refused.allowed()).as(identity.describe() + ": " + refused.reason()).isFalse();
            assertThat(refused.reason()).contains("copies ssn into a value kept past the statement");
        }
        // a plain insert's row holds what the caller gave
        assertThat(decide(READER, "INSERT INTO s.customers (id, ssn) VALUES (1, '1')").allowed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "BEGIN PERFORM pg_notify('changes', s.describe(NEW.id)); RETURN NEW; END",
            "BEGIN PERFORM pg_notify('changes', 'id ' || s.describe(OLD.id)); RETURN OLD; END",
            "BEGIN PERFORM pg_advisory_lock(s.key_of(NEW.id)); RETURN NEW; END",
    })
    void aTriggerKeepingAFunctionsResultItCannotTraceIsRefusedToEveryCaller(String body) {
        // s.describe(NEW.id) may return the row's ssn: its body is not known to derive from its argument only
        trigger("customers", "announce", body);
        for (Identity identity : List.of(WRITER, READER)) {
            for (String sql : List.of("UPDATE s.customers SET name = 'x' WHERE id = 1",
                    "INSERT INTO s.customers (id, name) VALUES (1, 'x')", "DELETE FROM s.customers WHERE id = 1")) {
                Decision refused = decide(identity, sql);
                assertThat(refused.allowed()).as(identity.describe() + ", " + sql + ": " + refused.reason()).isFalse();
                assertThat(refused.reason()).as(sql).contains("keeps the result of a function not known");
            }
        }
    }

    @Test
    void aTriggerKeepingItsRowsUnmaskedColumnStaysAllowed() {
        trigger("customers", "announce", "BEGIN PERFORM pg_notify('changes', NEW.id::text); RETURN NEW; END");
        for (Identity identity : List.of(WRITER, READER)) {
            Decision decision = decide(identity, "UPDATE s.customers SET name = 'x' WHERE id = 1");
            assertThat(decision.allowed()).as(identity.describe() + ": " + decision.reason()).isTrue();
        }
    }

    @Test
    void aTriggerReadingTheRowAPlainInsertWritesReadsTheCallersOwnValues() {
        trigger("customers", "normalise", "BEGIN NEW.ssn := upper(NEW.ssn); RETURN NEW; END");
        assertThat(decide(WRITER, "INSERT INTO s.customers (id, ssn) VALUES (1, '123-45-6789')").allowed()).isTrue();
        // on update the row holds the stored value when the statement does not set it
        assertThat(decide(WRITER, "UPDATE s.customers SET name = 'x' WHERE id = 1").allowed()).isFalse();
    }

    @Test
    void triggersThatReadNoMaskedValueStayAllowed() {
        trigger("customers", "audit_change", """
                BEGIN
                  NEW.updated_at := now();
                  INSERT INTO s.audit (customer_id, op, at) VALUES (NEW.id, TG_OP, now());
                  RETURN NEW;
                END""");
        for (String sql : List.of("UPDATE s.customers SET name = 'x' WHERE id = 1", "DELETE FROM s.customers WHERE id = 1",
                "INSERT INTO s.customers (id, name) VALUES (1, 'x')")) {
            Decision decision = decide(WRITER, sql);
            assertThat(decision.allowed()).as(sql + ": " + decision.reason()).isTrue();
        }
    }

    // ---- a routine a relation's expressions call, with its stored rows' values

    private void expressionRoutine(String table, String function, String body) {
        session.writeRoutines.put(table, List.of(new TableRef("s", function)));
        session.givenRows.put(table, List.of(new TableRef("s", function)));
        session.routineBodies.put(function, body);
    }

    @Test
    void aRoutineOfAChecksOrAnIndexsExpressionThatMayPutItsArgumentsOutIsRefusedForStoredRows() {
        // CREATE INDEX ON s.customers (s.log_value(ssn)), or CHECK (s.log_value(ssn) = 1): an update of another column,
        // a rebuild of the table or of its indexes, runs s.log_value with each stored ssn
        expressionRoutine("customers", "log_value", plpgsql("log_value", """
                BEGIN
                  PERFORM pg_notify('c', p_value);
                  RETURN 1;
                END""", false, "p_value"));
        for (String sql : List.of("UPDATE s.customers SET name = 'x' WHERE id = 1",
                "INSERT INTO s.customers (id, name) VALUES (1, 'x') ON CONFLICT (id) DO UPDATE SET name = 'y'",
                "REINDEX TABLE s.customers", "REINDEX TABLE CONCURRENTLY s.customers", "VACUUM FULL s.customers",
                "VACUUM s.customers", "CLUSTER s.customers", "ANALYZE s.customers", "VACUUM ANALYZE s.customers",
                "ALTER TABLE s.customers VALIDATE CONSTRAINT logged", "ALTER TABLE s.customers ALTER COLUMN id TYPE bigint")) {
            assertRefusedToTheMaskedOnly(sql);
            assertThat(decide(WRITER, sql).reason()).as(sql).contains("every column of s.customers",
                    "index expression of it calls the routine");
        }
        // the row a plain insert writes holds what its caller gave
        assertThat(decide(WRITER, "INSERT INTO s.customers (id, ssn) VALUES (1, '1')").allowed()).isTrue();
    }

    @Test
    void aRoutineOfARelationsExpressionsThatOnlyComputesStaysAllowed() {
        expressionRoutine("customers", "norm", plpgsql("norm", "BEGIN RETURN lower(p_value); END", false, "p_value"));
        for (String sql : List.of("UPDATE s.customers SET name = 'x' WHERE id = 1", "REINDEX TABLE s.customers")) {
            Decision decision = decide(WRITER, sql);
            assertThat(decision.allowed()).as(sql + ": " + decision.reason()).isTrue();
        }
    }

    @Test
    void whichRoutinesTakeTheStoredRowsNotKnownEveryRoutineAWriteRunsDoes() {
        // a trigger's function reads its row as NEW and OLD; where the catalog cannot tell it from a check's routine,
        // it may be given any column of the row
        trigger("customers", "audit_change", "BEGIN INSERT INTO s.audit (customer_id) VALUES (NEW.id); RETURN NEW; END");
        assertThat(decide(WRITER, "UPDATE s.customers SET name = 'x' WHERE id = 1").allowed()).isTrue();
        session.givenRows.put("customers", null);
        assertRefusedToTheMaskedOnly("UPDATE s.customers SET name = 'x' WHERE id = 1");
    }

    // ---- an event trigger's function, which DDL fires

    @Test
    void anEventTriggerCopyingAMaskedValueIsRefusedToAMaskedCallersDdl() {
        // CREATE EVENT TRIGGER on_ddl ON ddl_command_end EXECUTE FUNCTION s.on_ddl(): any DDL runs it
        session.eventTriggers = List.of(new TableRef("s", "on_ddl"));
        session.routineBodies.put("on_ddl", plpgsql("on_ddl", """
                BEGIN
                  INSERT INTO s.pub (v) SELECT ssn FROM s.customers;
                END""", true));
        for (String sql : List.of("CREATE TABLE s.scratch (id int)", "CREATE SEQUENCE s.numbers",
                "ALTER TABLE s.orders ADD COLUMN note text", "DROP TABLE s.old", "COMMENT ON TABLE s.orders IS 'x'",
                "CREATE INDEX orders_status ON s.orders (status)")) {
            assertRefusedToTheMaskedOnly(sql);
            assertThat(decide(WRITER, sql).reason()).as(sql).contains("s.on_ddl, an event trigger's function");
        }
        // a query or a write fires none
        for (String sql : List.of("SELECT id FROM s.orders", "UPDATE s.orders SET status = 'x' WHERE id = 1")) {
            assertThat(decide(WRITER, sql).allowed()).as(sql).isTrue();
        }
    }

    @Test
    void anEventTriggersFunctionNeedsACallPermit() {
        session.eventTriggers = List.of(new TableRef("s", "log_ddl"));
        session.routineBodies.put("log_ddl", plpgsql("log_ddl", "BEGIN INSERT INTO s.ddl_log (tag) VALUES (TG_TAG); END",
                true));
        String rules = """
                version: 1
                default: deny
                rules:
                  - { id: ddl, effect: permit, principals: { groups: [writers] }, actions: [create, insert],
                      resources: ["s.*"] }
                """;
        String sql = "CREATE TABLE s.scratch (id int)";
        Decision refused = new PolicyEngine(PolicyLoader.fromString("ddl.yaml", rules)).decide(WRITER,
                analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
        assertThat(refused.allowed()).as(refused.reason()).isFalse();
        assertThat(refused.reason()).contains("call on s.log_ddl, which the database runs for the statement's DDL");
        String permitted = rules + """
                  - { id: log, effect: permit, principals: { groups: [writers] }, actions: [call], resources: ["s.log_ddl"] }
                """;
        Decision allowed = new PolicyEngine(PolicyLoader.fromString("ddl.yaml", permitted)).decide(WRITER,
                analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
        assertThat(allowed.allowed()).as(allowed.reason()).isTrue();
        // what its body does is the statement's: a permit of the insert it makes is needed too
        Decision body = new PolicyEngine(PolicyLoader.fromString("ddl.yaml", permitted.replace("actions: [create, insert]",
                "actions: [create]"))).decide(WRITER, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
        assertThat(body.allowed()).as(body.reason()).isFalse();
        assertThat(body.reason()).contains("insert on s.ddl_log");
        // which functions run not known: any routine
        session.eventTriggers = null;
        Decision unknown = new PolicyEngine(PolicyLoader.fromString("ddl.yaml", permitted)).decide(WRITER,
                analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
        assertThat(unknown.allowed()).as(unknown.reason()).isFalse();
        assertThat(unknown.reason()).contains("call on any routine", "event triggers");
    }

    // ---- a routine the table's row security runs

    @Test
    void aRowSecurityRoutineThatWritesIsRefusedToAMaskedReaderOfTheTable() {
        // CREATE POLICY p ON s.customers USING (s.log_value(ssn) = 1): every row read hands its ssn to s.log_value
        session.routineBodies.put("log_value", plpgsql("log_value", """
                BEGIN
                  INSERT INTO s.pub (v) VALUES (p_value);
                  RETURN 1;
                END""", false, "p_value"));
        session.rowSecurityRoutines.put("customers", List.of(new TableRef("s", "log_value")));
        for (String sql : List.of("SELECT name FROM s.customers WHERE id = 1", "SELECT count(*) FROM s.customers",
                "UPDATE s.customers SET name = 'x' WHERE id = 1", "DELETE FROM s.customers WHERE id = 1",
                "INSERT INTO s.customers (id, name) VALUES (1, 'x')", "SELECT o.id FROM s.orders o JOIN s.customers c"
                        + " ON c.id = o.customer_id")) {
            assertRefusedToTheMaskedOnly(sql);
            assertThat(decide(WRITER, sql).reason()).as(sql).contains("row security of s.customers",
                    "every column of s.customers");
        }
        // a table whose row security runs no routine of the application's is read as before
        assertThat(decide(WRITER, "SELECT id FROM s.orders").allowed()).isTrue();
    }

    @Test
    void aRowSecurityRoutineThatOnlyReadsStaysAllowed() {
        session.routineBodies.put("current_tenant", "SELECT current_setting('app.tenant')");
        session.rowSecurityRoutines.put("customers", List.of(new TableRef("s", "current_tenant")));
        for (Identity identity : List.of(WRITER, AGENT, READER)) {
            Decision decision = decide(identity, "SELECT name, ssn FROM s.customers");
            assertThat(decision.allowed()).as(identity.describe() + ": " + decision.reason()).isTrue();
        }
    }

    @Test
    void aRowSecurityRoutineNeedsACallPermitAsAViewsOrATriggersDoes() {
        session.routineBodies.put("current_tenant", "SELECT current_setting('app.tenant')");
        session.rowSecurityRoutines.put("customers", List.of(new TableRef("s", "current_tenant")));
        String narrowRules = """
                version: 1
                default: deny
                rules:
                  - { id: customers, effect: permit, principals: { groups: [writers] }, actions: [select],
                      resources: ["s.customers"] }
                """;
        String sql = "SELECT name FROM s.customers";
        Decision refused = new PolicyEngine(PolicyLoader.fromString("narrow.yaml", narrowRules)).decide(WRITER,
                analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
        assertThat(refused.allowed()).as(refused.reason()).isFalse();
        assertThat(refused.reason()).contains("call on s.current_tenant", "row-level security policy of it");
        Decision permitted = new PolicyEngine(PolicyLoader.fromString("narrow.yaml", narrowRules + """
                  - { id: tenant, effect: permit, principals: { groups: [writers] }, actions: [call],
                      resources: ["s.current_tenant"] }
                """)).decide(WRITER, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
        assertThat(permitted.allowed()).as(permitted.reason()).isTrue();
        // which routines it runs not known: any routine, which only a permit of call on every routine permits
        session.rowSecurityRoutines.put("customers", null);
        Decision unknown = new PolicyEngine(PolicyLoader.fromString("narrow.yaml", narrowRules + """
                  - { id: tenant, effect: permit, principals: { groups: [writers] }, actions: [call],
                      resources: ["s.current_tenant"] }
                """)).decide(WRITER, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
        assertThat(unknown.allowed()).as(unknown.reason()).isFalse();
        assertThat(unknown.reason()).contains("call on any routine", "row security of s.customers");
    }

    @Test
    void theTriggerRowNeedsNoPermitOfItsOwn() {
        trigger("customers", "audit_change", "BEGIN INSERT INTO s.audit (customer_id) VALUES (NEW.id); RETURN NEW; END");
        PolicyEngine narrow = new PolicyEngine(PolicyLoader.fromString("narrow.yaml", """
                version: 1
                default: deny
                rules:
                  - { id: customers, effect: permit, principals: { groups: [writers] }, actions: [update],
                      resources: ["s.customers"] }
                  - { id: audit, effect: permit, principals: { groups: [writers] }, actions: [insert], resources: ["s.audit"] }
                  - { id: trigger, effect: permit, principals: { groups: [writers] }, actions: [call], resources: ["s.audit_change"] }
                """));
        Decision decision = narrow.decide(WRITER, analyzer.analyze("UPDATE s.customers SET name = 'x' WHERE id = 1",
                Dialect.POSTGRESQL), DecisionContext.of(session));
        assertThat(decision.allowed()).as(decision.reason()).isTrue();
    }

    @Test
    void onMariaDbATriggersNewAndOldAreTheWrittenRowToo() {
        session.writeRoutines.put("customers", List.of(new TableRef("s", "keep_ssn")));
        List<String> texts = io.governed.sql.MariaDbRoutineBody.statements(
                "BEGIN INSERT INTO s.pub (v) VALUES (NEW.ssn); SET NEW.name = upper(NEW.name); END", List.of(), true);
        assertThat(texts).isNotNull();
        session.routineBodies.put("keep_ssn", String.join(";\n", texts));
        String sql = "UPDATE s.customers SET name = 'x' WHERE id = 1";
        Decision refused = engine.decide(WRITER, analyzer.analyze(sql, Dialect.MARIADB), DecisionContext.of(session));
        assertThat(refused.allowed()).as(refused.reason()).isFalse();
        assertThat(refused.reason()).contains("code the database runs for it").contains("ssn");
        assertThat(engine.decide(READER, analyzer.analyze(sql, Dialect.MARIADB), DecisionContext.of(session)).allowed())
                .isTrue();
        // a plain insert's row is the caller's own
        assertThat(engine.decide(WRITER, analyzer.analyze("INSERT INTO s.customers (id, ssn) VALUES (1, '1')",
                Dialect.MARIADB), DecisionContext.of(session)).allowed()).isTrue();
    }

    @Test
    void onMariaDbAProcedurePassingAMaskedValueThroughAVariableIsRefused() {
        List<String> texts = io.governed.sql.MariaDbRoutineBody.statements("BEGIN DECLARE val VARCHAR(20);"
                + " SELECT ssn INTO val FROM s.customers WHERE id = k; INSERT INTO s.pub (v) VALUES (val); END",
                List.of("k"), false);
        assertThat(texts).isNotNull();
        session.routineBodies.put("copy_ssn", String.join(";\n", texts));
        Decision refused = engine.decide(WRITER, analyzer.analyze("CALL s.copy_ssn(1)", Dialect.MARIADB),
                DecisionContext.of(session));
        assertThat(refused.allowed()).as(texts + ": " + refused.reason()).isFalse();
        assertThat(refused.reason()).contains("routine s.copy_ssn").contains("writes");
    }

    @Test
    void codeThatCannotBeReadMayMoveAMaskedValueAnywhere() {
        // no body from a catalog that reads them: dynamic SQL, another language, a body the session may not see;
        // permitted by the rules (* on *)
        session.readsRoutines = true;
        for (String sql : List.of("SELECT s.hidden(1)", "CALL s.hidden(1)", "DO $$ BEGIN EXECUTE 'SELECT 1'; END $$")) {
            assertRefusedToTheMaskedOnly(sql);
        }
        session.writeRoutines.put("pub", List.of(new TableRef("s", "hidden_default")));
        assertRefusedToTheMaskedOnly("INSERT INTO s.pub (id) VALUES (1)");
    }

    @Test
    void codeTheDeclarationsSayOnlyReadsStaysAllowedAndOneThatAlsoWritesIsRefused() {
        session.readsRoutines = true; // the catalog shows no body of s.report or s.archive
        PolicyEngine declaring = new PolicyEngine(PolicyLoader.fromString("declared.yaml", """
                version: 1
                default: deny
                rules:
                  - { id: writers, effect: permit, principals: { groups: [writers] }, actions: ["*"], resources: ["*"] }
                masks:
                  - { id: mask-ssn, columns: { patterns: ["*.ssn"] }, function: partial, keep-last: 4,
                      unless: { groups: [pii-readers] } }
                routines:
                  - { id: report-does, routines: ["s.report"], does: [ { actions: [select], resources: ["s.customers"] } ] }
                  - { id: archive-does, routines: ["s.archive"], does: [ { actions: [select], resources: ["s.customers"] },
                                                                       { actions: [insert], resources: ["s.pub"] } ] }
                """));
        assertThat(declaring.decide(WRITER, analyzer.analyze("SELECT s.report(1)", Dialect.POSTGRESQL),
                DecisionContext.of(session)).allowed()).isTrue();
        Decision refused = declaring.decide(WRITER, analyzer.analyze("SELECT s.archive(1)", Dialect.POSTGRESQL),
                DecisionContext.of(session));
        assertThat(refused.allowed()).as(refused.reason()).isFalse();
        assertThat(refused.rules()).containsExactly("mask-ssn");
        assertThat(declaring.decide(READER, analyzer.analyze("SELECT s.archive(1)", Dialect.POSTGRESQL),
                DecisionContext.of(session)).allowed()).isTrue();
    }

    /*
     * Any number of assignments between the read and the write: the masked value reaches the write through variables
     * the analysis does not follow, whatever their names and however many hops.
     */
    @Property(tries = 60)
    void aMaskedValueReachesAWriteThroughAnyChainOfVariables(@ForAll("chains") List<String> names,
                                                             @ForAll("writes") String write) {
        StringBuilder body = new StringBuilder("DECLARE ");
        for (String name : names) {
            body.append(name).append(" text; ");
        }
        body.append("BEGIN SELECT ssn INTO ").append(names.get(0)).append(" FROM s.customers WHERE id = 1; ");
        for (int i = 1; i < names.size(); i++) {
            body.append(names.get(i)).append(" := ").append(i % 2 == 0 ? "upper(" + names.get(i - 1) + ")"
                    : names.get(i - 1) + " || ''").append("; ");
        }
        body.append(write.replace("$v", names.get(names.size() - 1))).append(" END");
        String sql = "DO $body$ " + body + " $body$";
        Decision decision = decide(WRITER, sql);
        assertThat(decision.allowed()).as(sql + ": " + decision.reason()).isFalse();
        assertThat(decide(READER, sql).allowed()).as(sql).isTrue();
    }

    @Provide
    Arbitrary<List<String>> chains() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(6)
                .filter(n -> !List.of("do", "if", "in", "is", "or", "as", "by", "on", "to", "and", "not", "end", "for",
                        "all", "any", "set", "new", "old", "row", "ssn", "null", "true", "loop", "then", "else", "case",
                        "when", "from", "into", "with", "like", "pub", "begin", "elsif", "exit", "while", "text",
                        "limit", "order", "group", "where", "select", "insert", "update", "delete", "values", "declare",
                        "return", "perform", "raise", "open", "close", "fetch", "move", "get", "execute", "found",
                        "strict", "union", "user", "table", "array", "upper", "both", "only", "cast", "desc", "asc",
                        "using", "default", "constant", "collate", "alias", "cursor", "some", "offset", "window",
                        "having", "lateral", "natural", "join", "full", "left", "right", "inner", "cross", "outer",
                        "analyse", "analyze", "do", "else", "fetch", "foreign", "grant", "initially", "leading",
                        "placing", "primary", "references", "returning", "symmetric", "trailing", "unique", "variadic",
                        "verbose", "authorization", "binary", "concurrently", "freeze", "ilike", "isnull", "notnull",
                        "overlaps", "similar", "tablesample", "current", "session", "check", "column", "create",
                        "deferrable", "distinct", "except", "false", "intersect", "localtime", "localtimestamp",
                        "current_date", "current_time", "current_user", "session_user", "current_role", "current_catalog",
                        "current_schema", "current_timestamp", "assert", "call", "commit", "rollback", "continue",
                        "foreach", "next", "query", "reverse", "slice", "stacked", "diagnostics", "debug", "log",
                        "info", "notice", "warning", "exception", "elseif", "vid", "id", "at").contains(n))
                .list().ofMinSize(1).ofMaxSize(5).uniqueElements();
    }

    @Provide
    Arbitrary<String> writes() {
        return Arbitraries.of(
                "INSERT INTO s.pub (v) VALUES ($v);",
                "UPDATE s.pub SET v = $v WHERE id = 1;",
                "INSERT INTO s.pub (v) SELECT $v;",
                "PERFORM pg_notify('c', $v);",
                "MERGE INTO s.pub p USING (SELECT 1 AS id) d ON p.id = d.id WHEN MATCHED THEN UPDATE SET v = $v;",
                "IF $v LIKE '1%' THEN DELETE FROM s.pub WHERE id = 1; END IF;");
    }
}
