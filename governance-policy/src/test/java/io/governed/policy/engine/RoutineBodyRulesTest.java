package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.TableRef;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * A call of a user routine whose body is SQL does what its body does: its reads and writes need permits as the
 * statement's own would, and forbids cover them, also through a routine calling another. A permit of call on the
 * routine is no permit on what its body reads. A body that is not analysed (another language) may do anything, unless
 * the policy declares what it does; its result is masked as a value that may hold any column (see the masks planner).
 * The routines the database runs for a statement (a trigger's function, one a view's definition calls) are followed
 * into their bodies the same way.
 */
class RoutineBodyRulesTest {

    private static final Identity ANALYST = human("ann", "analysts");

    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();

    private static PolicyEngine engine(String yaml) {
        return new PolicyEngine(PolicyLoader.fromString("routines.yaml", "version: 1\n" + yaml));
    }

    private Decision decide(PolicyEngine engine, String sql) {
        return engine.decide(ANALYST, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
    }

    private static final String ORDERS_AND_CALLS = """
            default: deny
            rules:
              - { id: read-orders, effect: permit, actions: [select], resources: ["public.orders"] }
              - { id: call-any, effect: permit, actions: [call], resources: ["*"] }
            """;

    @Test
    void aCallReadsWhatItsSqlBodyReadsAndNeedsAPermitForIt() {
        session.routineBodies.put("get_ssn", "SELECT ssn FROM customers WHERE id = $1");
        Decision decision = decide(engine(ORDERS_AND_CALLS), "SELECT get_ssn(customer_id) FROM orders");
        assertThat(decision.allowed()).as(decision.reason()).isFalse();
        assertThat(decision.reason()).contains("select on public.customers, which the body of routine public.get_ssn");
        Decision permitted = decide(engine(ORDERS_AND_CALLS + """
                  - { id: read-customers, effect: permit, actions: [select], resources: ["public.customers"] }
                """), "SELECT get_ssn(customer_id) FROM orders");
        assertThat(permitted.allowed()).as(permitted.reason()).isTrue();
    }

    @Test
    void aRoutineCallingAnotherReadsWhatTheOtherReads() {
        session.routineBodies.put("outer_fn", "SELECT inner_fn($1)");
        session.routineBodies.put("inner_fn", "SELECT ssn FROM customers WHERE id = $1");
        assertThat(decide(engine(ORDERS_AND_CALLS), "SELECT id FROM orders WHERE outer_fn(customer_id) IS NOT NULL")
                .allowed()).isFalse();
        session.routineBodies.put("self_fn", "SELECT self_fn($1) FROM orders");
        assertThat(decide(engine(ORDERS_AND_CALLS), "SELECT self_fn(1)").allowed())
                .as("a routine calling itself reads what its body reads, once").isTrue();
    }

    @Test
    void aForbidCoversWhatABodyReadsOrWrites() {
        session.routineBodies.put("get_ssn", "SELECT ssn FROM customers WHERE id = $1");
        session.routineBodies.put("wipe", "DELETE FROM audit_log; SELECT 1");
        PolicyEngine engine = engine("""
                default: allow
                rules:
                  - { id: no-customers, effect: forbid, actions: [select], resources: ["public.customers"] }
                  - { id: no-deletes, effect: forbid, actions: [delete], resources: ["*"] }
                """);
        assertThat(decide(engine, "SELECT * FROM get_ssn(1)").rules()).containsExactly("no-customers");
        assertThat(decide(engine, "SELECT wipe()").rules()).contains("no-deletes");
    }

    @Test
    void aTableABodyReadsIsFollowedToItsPartitions() {
        session.routineBodies.put("total_pay", "SELECT sum(amount) FROM salaries");
        session.children.put("salaries", List.of(new TableRef("public", "salaries_2024")));
        session.parents.put("salaries_2024", List.of(new TableRef("public", "salaries")));
        PolicyEngine engine = engine("""
                default: allow
                rules:
                  - { id: not-2024, effect: forbid, actions: [select], resources: ["public.salaries_2024"] }
                """);
        assertThat(decide(engine, "SELECT sum(amount) FROM salaries").rules()).as("the statement's own read")
                .containsExactly("not-2024");
        assertThat(decide(engine, "SELECT total_pay()").rules()).as("the same read in a routine's body")
                .containsExactly("not-2024");
    }

    @Test
    void aRulesConditionsAreTheBodysStatementsForWhatTheBodyDoes() {
        session.routineBodies.put("wipe_payments", "DELETE FROM payments");
        session.routineBodies.put("drop_one", "DELETE FROM payments WHERE id = $1");
        PolicyEngine engine = engine("""
                default: deny
                rules:
                  - { id: write-anything, effect: permit, actions: [select, delete, call], resources: ["*"] }
                  - id: no-unbounded-deletes
                    effect: forbid
                    actions: [delete]
                    resources: ["*"]
                    when: { where: absent }
                """);
        Decision unbounded = decide(engine, "SELECT wipe_payments()");
        assertThat(unbounded.allowed()).as("a body's DELETE without WHERE is an unbounded delete: " + unbounded.reason())
                .isFalse();
        assertThat(unbounded.rules()).containsExactly("no-unbounded-deletes");
        Decision bounded = decide(engine, "SELECT drop_one(7)");
        assertThat(bounded.allowed()).as(bounded.reason()).isTrue();
    }

    @Test
    void aRowFilterOverATableABodyReadsRefusesTheCallToWhomItRestricts() {
        session.routineBodies.put("get_ssn", "SELECT ssn FROM customers WHERE id = $1");
        PolicyEngine engine = engine("""
                default: allow
                row-filters:
                  - { id: own-region, tables: ["public.customers"], filter: "region = 'eu'", unless: { groups: [support] } }
                """);
        Decision decision = decide(engine, "SELECT get_ssn(customer_id) FROM orders");
        assertThat(decision.allowed()).as(decision.reason()).isFalse();
        assertThat(decision.rules()).containsExactly("own-region");
        assertThat(decision.reason()).contains("routine public.get_ssn", "public.customers", "not the routine's body");
        assertThat(engine.decide(human("sam", "support"), analyzer.analyze("SELECT get_ssn(customer_id) FROM orders",
                Dialect.POSTGRESQL), DecisionContext.of(session)).allowed()).as("the filter exempts support").isTrue();
    }

    @Test
    void aViewABodyReadsIsFollowedToTheTablesBeneathIt() {
        session.routineBodies.put("pay_of", "SELECT amount FROM pay WHERE id = $1");
        session.views.put("pay", "SELECT id, amount FROM salaries");
        PolicyEngine engine = engine("""
                default: allow
                rules:
                  - { id: no-salaries, effect: forbid, actions: [select], resources: ["public.salaries"] }
                """);
        Decision decision = decide(engine, "SELECT pay_of(id) FROM orders");
        assertThat(decision.rules()).containsExactly("no-salaries");
    }

    @Test
    void aBuiltInABodyCallsThatMayReadAnyTableIsASelectOnAnyTable() {
        session.routineBodies.put("dump_of", "SELECT table_to_xml($1, true, false, '')::text");
        io.governed.sql.RoutineCatalog catalog = new io.governed.sql.RoutineCatalog() {
            @Override
            public boolean isBuiltIn(io.governed.sql.TableRef routine) {
                return routine.schema() == null && routine.name().equals("table_to_xml");
            }

            @Override
            public boolean mayReadTables(io.governed.sql.TableRef routine) {
                return isBuiltIn(routine);
            }
        };
        Decision decision = engine(ORDERS_AND_CALLS).decide(ANALYST, analyzer.analyze("SELECT dump_of('vault.notes') FROM orders",
                Dialect.POSTGRESQL), DecisionContext.of(session).withRoutines(catalog));
        assertThat(decision.allowed()).as(decision.reason()).isFalse();
        assertThat(decision.reason()).contains("select on any table, which the database's built-in table_to_xml may read");
    }

    @Test
    void aBodyTheAnalysisCannotReadMayDoAnythingUntilThePolicyDeclaresWhatItDoes() {
        // not in routineBodies: written in another language (or the catalog could not give it)
        String sql = "SELECT plpgsql_fn(customer_id) FROM orders";
        Decision opaque = decide(engine(ORDERS_AND_CALLS), sql);
        assertThat(opaque.allowed()).as(opaque.reason()).isFalse();
        assertThat(opaque.reason()).startsWith("No rule permits select on any table, which routine public.plpgsql_fn may do")
                .contains("Declare in the policy's routines section what the routine reads and writes");
        String declared = """
                routines:
                  - id: plpgsql-fn-does
                    routines: ["public.plpgsql_fn"]
                    does:
                      - { actions: [select], resources: ["public.customers"] }
                """;
        Decision needsCustomers = decide(engine(ORDERS_AND_CALLS + declared), sql);
        assertThat(needsCustomers.allowed()).isFalse();
        assertThat(needsCustomers.reason()).startsWith("No rule permits select on public.customers, which the policy's"
                + " routines section declares routine public.plpgsql_fn does");
        String readCustomers = "  - { id: read-customers, effect: permit, actions: [select], resources: [\"public.customers\"] }\n";
        assertThat(decide(engine(ORDERS_AND_CALLS + readCustomers + declared), sql).allowed()).isTrue();
        Decision forbidden = decide(engine(ORDERS_AND_CALLS + readCustomers
                + "  - { id: no-customers, effect: forbid, actions: [select], resources: [\"public.customers\"] }\n"
                + declared), sql);
        assertThat(forbidden.rules()).containsExactly("no-customers");
        String reachesNothing = "routines: [{ id: fn-reaches-no-table, routines: [\"public.plpgsql_fn\"], does: [] }]\n";
        assertThat(decide(engine(ORDERS_AND_CALLS + reachesNothing), sql).allowed()).isTrue();
        assertThat(decide(engine(ORDERS_AND_CALLS + reachesNothing), "SELECT other_fn(customer_id) FROM orders").allowed())
                .as("a declaration covers the routines it names only").isFalse();
    }

    @Test
    void aDeclaredWriteIsJudgedAsIfItsConditionsCouldNotBeToldForbidsCoverItAndConditionalPermitsDoNot() {
        String sql = "SELECT plpgsql_fn(customer_id) FROM orders";
        String declared = "routines: [{ id: fn-deletes, routines: [\"public.plpgsql_fn\"], does: [{ actions: [delete],"
                + " resources: [\"public.carts\"] }] }]\n";
        String boundedDeletes = "  - { id: bounded-deletes, effect: permit, actions: [delete], resources: [\"public.carts\"],"
                + " when: { where: present } }\n";
        assertThat(decide(engine(ORDERS_AND_CALLS + boundedDeletes + declared), sql).allowed())
                .as("whether the body's delete is bounded is not known").isFalse();
        String deletes = "  - { id: deletes, effect: permit, actions: [delete], resources: [\"public.carts\"] }\n";
        assertThat(decide(engine(ORDERS_AND_CALLS + deletes + declared), sql).allowed()).isTrue();
        Decision unbounded = decide(engine(ORDERS_AND_CALLS + deletes
                + "  - { id: no-unbounded, effect: forbid, actions: [delete], when: { where: absent } }\n" + declared), sql);
        assertThat(unbounded.rules()).containsExactly("no-unbounded");
    }

    @Test
    void aRowFilterOverWhatAnUnreadBodyMayReachRefusesTheCall() {
        String sql = "SELECT plpgsql_fn(customer_id) FROM orders";
        String filtered = """
                  - { id: read-all, effect: permit, actions: ["*"], resources: ["*"] }
                row-filters:
                  - { id: own-region, tables: ["public.customers"], filter: "region = 'eu'" }
                """;
        Decision opaque = decide(engine(ORDERS_AND_CALLS + filtered), sql);
        assertThat(opaque.allowed()).isFalse();
        assertThat(opaque.rules()).containsExactly("own-region");
        String declared = "routines: [{ id: fn-reads-orders, routines: [\"public.plpgsql_fn\"], does: [{ actions: [select],"
                + " resources: [\"public.orders\"] }] }]\n";
        assertThat(decide(engine(ORDERS_AND_CALLS + filtered + declared), sql).allowed())
                .as("declared to read orders only, which no filter restricts").isTrue();
    }

    @Test
    void aRoutineAViewsDefinitionCallsDoesWhatItsBodyDoesForTheViewsReader() {
        session.views.put("order_names", "SELECT id, name_of(customer_id) AS who FROM public.orders");
        session.routineBodies.put("name_of", "SELECT name FROM public.customers WHERE id = $1");
        String readView = "  - { id: read-view, effect: permit, actions: [select], resources: [\"public.order_names\"] }\n";
        Decision decision = decide(engine(ORDERS_AND_CALLS + readView), "SELECT who FROM order_names");
        assertThat(decision.allowed()).as(decision.reason()).isFalse();
        assertThat(decision.reason()).contains("select on public.customers, which the body of routine public.name_of");
        session.routineBodies.remove("name_of");
        Decision unread = decide(engine(ORDERS_AND_CALLS + readView), "SELECT who FROM order_names");
        assertThat(unread.reason()).contains("which routine public.name_of may do");
    }

    @Test
    void aTriggersFunctionDoesWhatItsBodyDoesForTheWriteThatFiresIt() {
        session.writeRoutines.put("orders", java.util.List.of(new io.governed.sql.TableRef("public", "archive_order")));
        session.routineBodies.put("archive_order", "INSERT INTO public.archive (id) VALUES (1)");
        String deleteOrders = "  - { id: delete-orders, effect: permit, actions: [delete], resources: [\"public.orders\"] }\n";
        Decision decision = decide(engine(ORDERS_AND_CALLS + deleteOrders), "DELETE FROM orders WHERE id = 1");
        assertThat(decision.allowed()).as(decision.reason()).isFalse();
        assertThat(decision.reason()).contains("insert on public.archive, which the body of routine public.archive_order");
        String archive = "  - { id: archive, effect: permit, actions: [insert], resources: [\"public.archive\"] }\n";
        assertThat(decide(engine(ORDERS_AND_CALLS + deleteOrders + archive), "DELETE FROM orders WHERE id = 1").allowed())
                .isTrue();
        // and what that body writes runs its own routines: a trigger on archive that cannot be read may do anything
        session.writeRoutines.put("archive", java.util.List.of(new io.governed.sql.TableRef("public", "c_hook")));
        Decision chained = decide(engine(ORDERS_AND_CALLS + deleteOrders + archive), "DELETE FROM orders WHERE id = 1");
        assertThat(chained.allowed()).isFalse();
        assertThat(chained.reason()).contains("which routine public.c_hook may do");
    }

    @Test
    void aBodysStatementOnNoTableThatEscapesTheAnalysisIsJudgedAsTheBodysOwn() {
        session.routineBodies.put("read_secrets", "SELECT pg_read_file('/etc/passwd')");
        session.routineBodies.put("stamp", "SELECT now()");
        Decision decision = decide(engine(ORDERS_AND_CALLS), "SELECT read_secrets() FROM orders");
        assertThat(decision.allowed()).as(decision.reason()).isFalse();
        assertThat(decision.reason()).contains("which the body of routine public.read_secrets").contains("file-access");
        Decision baseline = new PolicyEngine(PolicyLoader.compose(PolicyLoader.baselineSource(), io.governed.policy.load
                .PolicySource.of("calls.yaml", "version: 1\nrules: [{ id: calls, effect: permit, actions: [call] }]\n")))
                .decide(ANALYST, analyzer.analyze("SELECT read_secrets() FROM orders", Dialect.POSTGRESQL),
                        DecisionContext.of(session));
        assertThat(baseline.rules()).contains("baseline-no-file-access");
        assertThat(decide(engine(ORDERS_AND_CALLS), "SELECT stamp() FROM orders").allowed())
                .as("a query on no table in a body needs nothing more").isTrue();
    }
}
