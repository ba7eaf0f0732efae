package io.governed.policy.engine;

import io.governed.policy.Statements;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.policy.Decision;
import io.governed.policy.Policy;
import io.governed.policy.load.PolicyLoader;
import io.governed.policy.model.Rule;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.Trait;
import io.governed.sql.WhereKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static io.governed.policy.Identities.service;
import static io.governed.policy.Statements.analysis;
import static io.governed.policy.Statements.select;
import static io.governed.policy.Statements.statement;
import static io.governed.policy.Statements.write;
import static org.assertj.core.api.Assertions.assertThat;

/** How the engine combines rules: the semantics, independent of any particular policy. */
class PolicyEngineTest {

    private static PolicyEngine engine(String rules) {
        return new PolicyEngine(PolicyLoader.fromString("test.yaml", "version: 1\n" + rules));
    }

    @Test
    void withoutAnyRuleTheDefaultDecides() {
        SqlAnalysis query = select("t").analysis();
        assertThat(engine("default: deny\n").decide(human("a"), query, Statements.withoutInheritance()).effect()).isEqualTo(Decision.Effect.DENY);
        Decision allowed = engine("default: allow\n").decide(human("a"), query, Statements.withoutInheritance());
        assertThat(allowed.effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(allowed.rules()).isEmpty();
        assertThat(allowed.reason()).contains("allowed by the policy default (default: allow)");
    }

    @Test
    void aForbidWinsOverAnyNumberOfPermitsAndEveryMatchingForbidIsNamed() {
        PolicyEngine engine = engine("""
                rules:
                  - { id: p1, effect: permit, actions: ["*"] }
                  - { id: f1, effect: forbid, actions: [delete], message: No deleting }
                  - { id: p2, effect: permit, actions: [delete] }
                  - { id: f2, effect: forbid, actions: [delete], resources: [orders] }
                """);
        Decision decision = engine.decide(human("a"), write(Action.DELETE, "public.orders", WhereKind.PRESENT).analysis(), Statements.withoutInheritance());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).containsExactly("f1", "f2");
        assertThat(decision.reason()).isEqualTo("Denied by rules f1, f2: No deleting");
    }

    @Test
    void aForbidWithoutAMessageSaysWhatItForbids() {
        Decision decision = engine("rules: [{ id: f, effect: forbid, actions: [drop] }]\n")
                .decide(human("a"), statement(Action.DROP).writes("public.users").analysis(), Statements.withoutInheritance());
        assertThat(decision.reason()).isEqualTo("Denied by rule f: it forbids drop on public.users");
    }

    @Test
    void everyPermitThatAllowedIsNamedInPolicyOrder() {
        PolicyEngine engine = engine("""
                rules:
                  - { id: read-b, effect: permit, actions: [select], resources: [b] }
                  - { id: write-a, effect: permit, actions: [insert], resources: [a] }
                  - { id: unrelated, effect: permit, actions: [drop] }
                """);
        Decision decision = engine.decide(human("x"), statement(Action.INSERT).writes("a").reads("b").analysis(), Statements.withoutInheritance());
        assertThat(decision.rules()).containsExactly("read-b", "write-a");
        assertThat(decision.reason()).isEqualTo("Allowed by rules read-b, write-a");
    }

    @Test
    void everyTableOfAStatementMustBePermitted() {
        PolicyEngine engine = engine("rules: [{ id: p, effect: permit, actions: [select, insert], resources: [\"public.*\"] }]\n");
        Decision decision = engine.decide(human("x"),
                statement(Action.INSERT).writes("public.copy").reads("public.a", "secret.keys").analysis(), Statements.withoutInheritance());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).contains("No rule permits select on secret.keys for x");
    }

    @Test
    void aStatementWithNoTableIsCoveredByAnyResourcePattern() {
        PolicyEngine engine = engine("rules: [{ id: p, effect: permit, actions: [set], resources: [\"public.only\"] }]\n");
        assertThat(engine.decide(human("x"), statement(Action.SET).analysis(), Statements.withoutInheritance()).effect()).isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void theActionOfAStatementThatWritesNoTableIsCheckedBesidesItsReads() {
        PolicyEngine engine = engine("rules: [{ id: p, effect: permit, actions: [select] }]\n");
        Decision explain = engine.decide(human("x"), statement(Action.EXPLAIN).reads("t").analysis(), Statements.withoutInheritance());
        assertThat(explain.effect()).as("reading t is permitted, explaining is not").isEqualTo(Decision.Effect.DENY);
        assertThat(explain.reason()).contains("No rule permits explain for x");
    }

    @Test
    void aMultiStatementTextIsAllowedOnlyIfEveryStatementIs() {
        PolicyEngine engine = engine("rules: [{ id: p, effect: permit, actions: [select, update] }]\n");
        SqlAnalysis both = analysis(select("t"), write(Action.UPDATE, "t", WhereKind.PRESENT));
        assertThat(engine.decide(human("x"), both, Statements.withoutInheritance()).effect()).isEqualTo(Decision.Effect.ALLOW);
        SqlAnalysis smuggled = analysis(select("t"), statement(Action.DROP).writes("t"));
        Decision decision = engine.decide(human("x"), smuggled, Statements.withoutInheritance());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).contains("drop on t");
    }

    @Test
    void aNestedStatementIsJudgedLikeAnyOther() {
        PolicyEngine engine = engine("""
                rules:
                  - { id: p, effect: permit, actions: [select, delete] }
                  - { id: f, effect: forbid, actions: [delete], when: { where: absent } }
                """);
        SqlAnalysis cteDelete = analysis(select("archive"),
                write(Action.DELETE, "orders", WhereKind.ABSENT).traits(Trait.NESTED));
        Decision decision = engine.decide(human("x"), cteDelete, Statements.withoutInheritance());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).containsExactly("f");
    }

    @Test
    void principalCriteriaAreAndedAcrossKeysAndOredWithinAList() {
        PolicyEngine engine = engine("""
                rules:
                  - id: p
                    effect: permit
                    actions: [select]
                    principals: { groups: [a, b], kinds: [human], attributes: { region: [eu, uk] } }
                """);
        SqlAnalysis query = select("t").analysis();
        Identity euInB = Identity.builder("x").groups("b").attribute("region", "uk").build();
        assertThat(engine.decide(euInB, query, Statements.withoutInheritance()).allowed()).isTrue();
        assertThat(engine.decide(euInB.toBuilder().kind(IdentityKind.SERVICE).build(), query, Statements.withoutInheritance()).allowed())
                .as("wrong kind").isFalse();
        assertThat(engine.decide(Identity.builder("x").groups("b").attribute("region", "us").build(), query, Statements.withoutInheritance()).allowed())
                .as("wrong attribute value").isFalse();
        assertThat(engine.decide(Identity.builder("x").groups("b").build(), query, Statements.withoutInheritance()).allowed())
                .as("missing attribute").isFalse();
        assertThat(engine.decide(Identity.builder("x").groups("c").attribute("region", "eu").build(), query, Statements.withoutInheritance()).allowed())
                .as("no listed group").isFalse();
    }

    @Test
    void groupsAndNamesAreComparedExactly() {
        PolicyEngine engine = engine("rules: [{ id: p, effect: permit, actions: [select], principals: { groups: [Analysts] } }]\n");
        assertThat(engine.decide(human("x", "analysts"), select("t").analysis(), Statements.withoutInheritance()).allowed()).isFalse();
        assertThat(engine.decide(human("x", "Analysts"), select("t").analysis(), Statements.withoutInheritance()).allowed()).isTrue();
    }

    @Test
    void unlessExemptsFromAForbid() {
        PolicyEngine engine = engine("""
                rules:
                  - { id: p, effect: permit, actions: ["*"] }
                  - { id: f, effect: forbid, actions: [truncate], unless: { names: [root] } }
                """);
        SqlAnalysis truncate = statement(Action.TRUNCATE).writes("t").analysis();
        assertThat(engine.decide(human("root"), truncate, Statements.withoutInheritance()).allowed()).isTrue();
        assertThat(engine.decide(human("rooted"), truncate, Statements.withoutInheritance()).rules()).containsExactly("f");
    }

    @Test
    void onBehalfOfCanNameWhoAnAgentMayActFor() {
        PolicyEngine engine = engine("""
                rules:
                  - { id: p, effect: permit, actions: [select], principals: { kinds: [agent], on-behalf-of: [alice] } }
                  - { id: f, effect: forbid, actions: [select], resources: [payroll], principals: { on-behalf-of: forbidden } }
                """);
        SqlAnalysis query = select("t").analysis();
        assertThat(engine.decide(agent("bot", human("alice")), query, Statements.withoutInheritance()).allowed()).isTrue();
        assertThat(engine.decide(agent("bot", human("bob")), query, Statements.withoutInheritance()).allowed()).isFalse();
        assertThat(engine.decide(agent("bot", null), query, Statements.withoutInheritance()).allowed()).isFalse();
        assertThat(engine.decide(agent("bot", human("alice")), select("payroll").analysis(), Statements.withoutInheritance()).allowed())
                .as("acting for someone escapes a forbid that applies only to callers acting for themselves").isTrue();
        assertThat(engine.decide(human("alice"), select("payroll").analysis(), Statements.withoutInheritance()).rules()).containsExactly("f");
    }

    @Test
    void whenConditionsOnPurposeTraitsAndMultiStatement() {
        PolicyEngine engine = engine("""
                rules:
                  - { id: p, effect: permit, actions: ["*"], when: { purposes: [reporting] } }
                  - { id: f-copy, effect: forbid, actions: ["*"], when: { traits: [copies-data, file-access] } }
                  - { id: f-multi, effect: forbid, actions: ["*"], when: { multi-statement: true } }
                """);
        Identity reporter = Identity.builder("r").purpose("reporting").build();
        assertThat(engine.decide(reporter, select("t").analysis(), Statements.withoutInheritance()).allowed()).isTrue();
        assertThat(engine.decide(human("r"), select("t").analysis(), Statements.withoutInheritance()).allowed()).as("no purpose stated").isFalse();
        assertThat(engine.decide(reporter, statement(Action.CREATE).writes("t2").reads("t").traits(Trait.COPIES_DATA).analysis(), Statements.withoutInheritance())
                .rules()).containsExactly("f-copy");
        assertThat(engine.decide(reporter, analysis(select("a"), select("b")), Statements.withoutInheritance()).rules()).containsExactly("f-multi");
        assertThat(engine.decide(reporter, analysis(select("a"), select("b").traits(Trait.NESTED)), Statements.withoutInheritance()).allowed())
                .as("a nested statement does not make a text multi-statement").isTrue();
    }

    @Test
    void whereConditionsApplyOnlyToStatementsAWhereCouldBound() {
        PolicyEngine engine = engine("""
                rules:
                  - { id: p, effect: permit, actions: ["*"] }
                  - { id: bounded-only, effect: forbid, actions: ["*"], when: { where: absent } }
                  - { id: needs-where, effect: forbid, actions: [insert], when: { where: present } }
                """);
        assertThat(engine.decide(human("x"), select("t").analysis(), Statements.withoutInheritance()).allowed()).as("NOT_APPLICABLE is not absent").isTrue();
        assertThat(engine.decide(human("x"), write(Action.UPDATE, "t", WhereKind.PRESENT).analysis(), Statements.withoutInheritance()).allowed()).isTrue();
        assertThat(engine.decide(human("x"), write(Action.UPDATE, "t", WhereKind.ALWAYS_TRUE).analysis(), Statements.withoutInheritance()).rules())
                .containsExactly("bounded-only");
    }

    @Test
    void theDefaultSchemaQualifiesUnqualifiedTables() {
        PolicyEngine engine = engine("rules: [{ id: p, effect: permit, actions: [select], resources: [\"app.*\"] }]\n");
        SqlAnalysis unqualified = select("users").analysis();
        assertThat(engine.decide(human("x"), unqualified, Statements.withoutInheritance(DecisionContext.defaultSchema("app"))).allowed()).isTrue();
        assertThat(engine.decide(human("x"), unqualified, Statements.withoutInheritance(DecisionContext.defaultSchema("other"))).allowed()).isFalse();
        assertThat(engine.decide(human("x"), unqualified, Statements.withoutInheritance(DecisionContext.none())).allowed())
                .as("unknown default schema: the table could be in any schema, and app.* does not cover them all").isFalse();
    }

    @Test
    void namesAreComparedAsTheDialectCompares() {
        PolicyEngine engine = engine("rules: [{ id: p, effect: permit, actions: [select], resources: [\"Sales.Orders\"] }]\n");
        assertThat(engine.decide(human("x"), analysis(Dialect.POSTGRESQL, select("sales.orders")), Statements.withoutInheritance()).allowed()).isTrue();
        assertThat(engine.decide(human("x"), analysis(Dialect.POSTGRESQL, select("Sales.Orders")), Statements.withoutInheritance()).allowed())
                .as("a quoted mixed-case PostgreSQL name is another table").isFalse();
        assertThat(engine.decide(human("x"), analysis(Dialect.H2, select("SALES.ORDERS")), Statements.withoutInheritance()).allowed()).isTrue();
        assertThat(engine.decide(human("x"), analysis(Dialect.MARIADB, select("sales.ORDERS")), Statements.withoutInheritance()).allowed()).isTrue();
    }

    @Test
    void aForbidCannotBeDodgedByChangingTheCaseOfAName() {
        PolicyEngine engine = engine("""
                rules:
                  - { id: p, effect: permit, actions: [select] }
                  - { id: f, effect: forbid, actions: [select], resources: [secrets, '"Vault"'] }
                """);
        assertThat(engine.decide(human("x"), analysis(Dialect.MARIADB, select("app.SECRETS")), Statements.withoutInheritance()).rules()).containsExactly("f");
        assertThat(engine.decide(human("x"), analysis(Dialect.H2, select("APP.SECRETS")), Statements.withoutInheritance()).rules()).containsExactly("f");
        assertThat(engine.decide(human("x"), analysis(Dialect.POSTGRESQL, select("app.secrets")), Statements.withoutInheritance()).rules()).containsExactly("f");
        assertThat(engine.decide(human("x"), analysis(Dialect.POSTGRESQL, select("app.Vault")), Statements.withoutInheritance()).rules()).containsExactly("f");
        assertThat(engine.decide(human("x"), analysis(Dialect.POSTGRESQL, select("app.vault")), Statements.withoutInheritance()).allowed())
                .as("PostgreSQL's unquoted vault is not the quoted \"Vault\"").isTrue();
    }

    @Test
    void aParsedStatementOfUnknownKindIsNeverPermittedByAStar() {
        PolicyEngine engine = engine("rules: [{ id: p, effect: permit, actions: [\"*\"] }]\n");
        assertThat(engine.decide(human("x"), statement(Action.UNKNOWN).analysis(), Statements.withoutInheritance()).effect()).isEqualTo(Decision.Effect.DENY);
        PolicyEngine coded = new PolicyEngine(Policy.builder().rule(Rule.permit("p").anyAction()).build());
        assertThat(coded.decide(human("x"), statement(Action.UNKNOWN).analysis(), Statements.withoutInheritance()).effect()).isEqualTo(Decision.Effect.DENY);
    }

    @Test
    void unparseableStatementsFollowOnUnparseable() {
        SqlAnalysis garbage = SqlAnalysis.unparseable("?", Dialect.POSTGRESQL, "syntax error");
        PolicyEngine lenient = engine("on-unparseable: allow\nrules: [{ id: f, effect: forbid, actions: [\"*\"] }]\n");
        Decision allowed = lenient.decide(human("x"), garbage, Statements.withoutInheritance());
        assertThat(allowed.effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(allowed.reason()).contains("could not be parsed", "on-unparseable: allow");
        assertThat(allowed.reason()).as("a parser message may quote literals").doesNotContain("syntax error");

        assertThat(engine("default: allow\n").decide(human("x"), garbage, Statements.withoutInheritance()).effect()).isEqualTo(Decision.Effect.DENY);
    }

    @Test
    void mariadbDoubleBarIsRefusedEvenWhenUnparseableStatementsAreAllowed() {
        // || is OR under MariaDB's default sql_mode: WHERE id = 1 || 1 would delete every row.
        SqlAnalysis pipes = new io.governed.sql.SqlAnalyzer().analyze("DELETE FROM t WHERE id = 1 || 1", Dialect.MARIADB);
        PolicyEngine lenient = engine("on-unparseable: allow\ndefault: allow\n");
        Decision decision = lenient.decide(human("x"), pipes, Statements.withoutInheritance());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).startsWith(io.governed.sql.SqlAnalyzer.SESSION_DEPENDENT)
                .contains("Write OR", "CONCAT(").doesNotContain("id = 1");
    }

    @Test
    void textTheDatabaseWouldReadOtherwiseIsRefusedEvenWhenUnparseableStatementsAreAllowed() {
        PolicyEngine lenient = engine("on-unparseable: allow\ndefault: allow\n");
        // pgjdbc ends the {oj …} escape at the '}' in the comment, which then closes early and lets the DELETE run
        String escape = "SELECT 1 FROM {oj a LEFT JOIN b ON true /* *}/ ; DELETE FROM p; -- */ }";
        String space = "DELETE FROM p AS x\u2003WHERE\u2003amount\u2003IS\u2003NULL";
        for (SqlAnalysis misread : List.of(new io.governed.sql.SqlAnalyzer().analyze(escape, Dialect.POSTGRESQL),
                new io.governed.sql.SqlAnalyzer().analyze(space, Dialect.POSTGRESQL),
                new io.governed.sql.SqlAnalyzer().analyze("DELETE FROM p WHERE id IN (SELECT $a$ UNION SELECT id FROM p) --$a$)",
                        Dialect.H2))) {
            Decision decision = lenient.decide(human("x"), misread, Statements.withoutInheritance());
            assertThat(decision.effect()).as(misread.parseError()).isEqualTo(Decision.Effect.DENY);
            assertThat(decision.reason()).startsWith(io.governed.sql.SqlAnalyzer.READ_OTHERWISE).doesNotContain("DELETE");
        }
        // a text that shares its fingerprint with one read otherwise is not decided from that one's analysis
        io.governed.sql.SqlAnalyzer analyzer = new io.governed.sql.SqlAnalyzer();
        assertThat(analyzer.analyze("SELECT 1 FROM {oj a LEFT JOIN b ON true } /* never closed", Dialect.POSTGRESQL)
                .parseError()).startsWith("Unterminated block comment");
        assertThat(analyzer.analyze(escape, Dialect.POSTGRESQL).parseError()).startsWith(io.governed.sql.SqlAnalyzer.READ_OTHERWISE);
    }

    @Test
    void anAnalysisWithNoStatementIsDenied() {
        SqlAnalysis empty = new SqlAnalysis("", Dialect.POSTGRESQL, List.of(), null);
        Decision decision = engine("default: allow\n").decide(human("x"), empty, Statements.withoutInheritance());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).contains("no SQL statement");
    }

    @Test
    void oneEngineDecidesForManyThreadsAtOnceAsItDoesForOne() throws Exception {
        PolicyEngine engine = new PolicyEngine(PolicyLoader.load("classpath:reference-policy.yaml"));
        List<Identity> identities = List.of(human("ann", "analysts"), human("dora", "dba"), human("dev"),
                agent("bot", human("alice")), agent("bot", null), service("svc"));
        List<SqlAnalysis> statements = List.of(select("public.t").column("id", "public.t.id").analysis(),
                statement(Action.TRUNCATE).writes("scratch.t").analysis(),
                write(Action.UPDATE, "public.t", WhereKind.ABSENT).analysis(),
                analysis(select("a"), statement(Action.DROP).writes("b")));
        List<Decision> expected = new ArrayList<>();
        for (Identity identity : identities) {
            for (SqlAnalysis statement : statements) {
                expected.add(engine.decide(identity, statement, Statements.withoutInheritance()));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Decision>>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(pool.submit(() -> {
                    List<Decision> seen = new ArrayList<>();
                    for (int round = 0; round < 200; round++) {
                        seen.clear();
                        for (Identity identity : identities) {
                            for (SqlAnalysis statement : statements) {
                                seen.add(engine.decide(identity, statement, Statements.withoutInheritance()));
                            }
                        }
                    }
                    return seen;
                }));
            }
            for (Future<List<Decision>> run : runs) {
                assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPolicyWrittenInCodeDecidesLikeALoadedOne() {
        Policy coded = Policy.builder()
                .rule(Rule.permit("read").actions(Action.SELECT).resources("public.*"))
                .rule(Rule.forbid("no-drop").actions(Action.DROP).message("No"))
                .build();
        PolicyEngine engine = new PolicyEngine(coded);
        assertThat(engine.decide(human("x"), select("public.t").analysis(), Statements.withoutInheritance()).rules()).containsExactly("read");
        assertThat(engine.decide(human("x"), statement(Action.DROP).writes("public.t").analysis(), Statements.withoutInheritance()).reason())
                .isEqualTo("Denied by rule no-drop: No");
    }
}
