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
 * On PostgreSQL, writing rows of a table runs the routines its column defaults, generated columns, checks, columns'
 * domains, index expressions, triggers and rules call, which the statement does not name: each is a call, which needs a
 * permit of call as SELECT f() does and which forbids of call cover. When the catalog cannot tell which routines those
 * are, only a permit of call on every routine permits the write.
 */
class WriteRoutineRulesTest {

    private static final Identity CLERK = human("cleo", "clerks");

    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();

    private static PolicyEngine engine(String rules) {
        return new PolicyEngine(PolicyLoader.fromString("writes.yaml", """
                version: 1
                default: deny
                rules:
                  - { id: clerks-tickets, effect: permit, principals: { groups: [clerks] },
                      actions: [select, insert, update, delete, copy, lock], resources: ["public.tickets", "public.ticket_view"] }
                """ + rules));
    }

    private Decision decide(PolicyEngine engine, String sql) {
        return engine.decide(CLERK, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
    }

    @Test
    void aWriteThatRunsARoutineNeedsAPermitToCallIt() {
        session.writeRoutines.put("tickets", List.of(new TableRef("public", "wipe_payments")));
        PolicyEngine engine = engine("");
        for (String sql : List.of("INSERT INTO tickets (id) VALUES (1)", "UPDATE tickets SET n = 2 WHERE id = 1",
                "DELETE FROM tickets WHERE id = 1", "COPY tickets FROM STDIN",
                "WITH d AS (DELETE FROM tickets WHERE id = 1 RETURNING id) SELECT * FROM d")) {
            Decision decision = decide(engine, sql);
            assertThat(decision.allowed()).as(sql).isFalse();
            assertThat(decision.reason()).as(sql).contains("call on public.wipe_payments, which the database runs when the"
                    + " statement writes public.tickets");
        }
        // reading, locking or copying the table out writes no row
        for (String sql : List.of("SELECT * FROM tickets", "LOCK TABLE tickets", "COPY tickets TO STDOUT")) {
            assertThat(decide(engine, sql).allowed()).as(sql).isTrue();
        }
    }

    @Test
    void aPermitToCallTheRoutinePermitsTheWriteAndAForbidOfTheCallRefusesIt() {
        session.writeRoutines.put("tickets", List.of(new TableRef("public", "stamp")));
        session.routineBodies.put("stamp", "SELECT now()"); // a body that reaches no table
        String permit = """
                  - { id: clerks-stamp, effect: permit, principals: { groups: [clerks] }, actions: [call],
                      resources: ["public.stamp"] }
                """;
        assertThat(decide(engine(permit), "INSERT INTO tickets (id) VALUES (1)").allowed()).isTrue();
        Decision forbidden = decide(engine(permit + """
                  - { id: no-stamp, effect: forbid, actions: [call], resources: ["public.stamp"] }
                """), "INSERT INTO tickets (id) VALUES (1)");
        assertThat(forbidden.allowed()).isFalse();
        assertThat(forbidden.rules()).containsExactly("no-stamp");
    }

    @Test
    void truncatingATableRunsItsRoutinesToo() {
        // a TRUNCATE trigger's function runs on TRUNCATE: what its body does is the statement's
        session.writeRoutines.put("tickets", List.of(new TableRef("public", "on_truncate")));
        session.routineBodies.put("on_truncate", "DELETE FROM payments");
        PolicyEngine engine = engine("""
                  - { id: clerks-truncate, effect: permit, principals: { groups: [clerks] }, actions: [truncate],
                      resources: ["public.tickets"] }
                """);
        Decision refused = decide(engine, "TRUNCATE tickets");
        assertThat(refused.allowed()).as(refused.reason()).isFalse();
        assertThat(refused.reason()).contains("call on public.on_truncate, which the database runs when the statement"
                + " writes public.tickets");
        String call = """
                  - { id: clerks-truncate, effect: permit, principals: { groups: [clerks] }, actions: [truncate],
                      resources: ["public.tickets"] }
                  - { id: clerks-call, effect: permit, principals: { groups: [clerks] }, actions: [call],
                      resources: ["public.on_truncate"] }
                """;
        Decision body = decide(engine(call), "TRUNCATE tickets");
        assertThat(body.allowed()).as(body.reason()).isFalse();
        assertThat(body.reason()).contains("delete on public.payments");
        Decision permitted = decide(engine(call + """
                  - { id: clerks-payments, effect: permit, principals: { groups: [clerks] }, actions: [delete],
                      resources: ["public.payments"] }
                """), "TRUNCATE tickets");
        assertThat(permitted.allowed()).as(permitted.reason()).isTrue();
        // which routines cannot be told: any routine
        session.unknownWriteRoutines();
        Decision unknown = decide(engine(call), "TRUNCATE tickets");
        assertThat(unknown.allowed()).as(unknown.reason()).isFalse();
        assertThat(unknown.reason()).contains("call on any routine");
    }

    @Test
    void aCommandComputingATablesExpressionsAnewRunsTheRoutinesTheyCall() {
        // an index on ticket_key(n), a trigger calling on_change: REINDEX, CLUSTER, VACUUM and ANALYZE compute the
        // index's expression over every stored row (and fire no trigger)
        session.writeRoutines.put("tickets", List.of(new TableRef("public", "on_change"),
                new TableRef("public", "ticket_key")));
        session.givenRows.put("tickets", List.of(new TableRef("public", "ticket_key")));
        session.routineBodies.put("ticket_key", "SELECT 1");
        String maintain = """
                  - { id: clerks-maintain, effect: permit, principals: { groups: [clerks] }, actions: [other],
                      resources: ["*"] }
                """;
        for (String sql : List.of("REINDEX TABLE tickets", "REINDEX INDEX tickets", "CLUSTER tickets", "VACUUM FULL tickets",
                "VACUUM tickets", "ANALYZE tickets", "VACUUM (FULL, ANALYZE) tickets")) {
            Decision refused = decide(engine(maintain), sql);
            assertThat(refused.allowed()).as(sql + ": " + refused.reason()).isFalse();
            assertThat(refused.reason()).as(sql).contains("call on public.ticket_key, which the database runs with the"
                    + " stored rows of public.tickets").doesNotContain("on_change");
        }
        String call = maintain + """
                  - { id: clerks-key, effect: permit, principals: { groups: [clerks] }, actions: [call],
                      resources: ["public.ticket_key"] }
                """;
        for (String sql : List.of("REINDEX TABLE tickets", "CLUSTER tickets", "VACUUM FULL tickets", "ANALYZE tickets")) {
            Decision permitted = decide(engine(call), sql);
            assertThat(permitted.allowed()).as(sql + ": " + permitted.reason()).isTrue();
        }
        // every table, or every table of a schema: which routines cannot be told
        for (String sql : List.of("VACUUM FULL", "REINDEX SCHEMA public", "REINDEX DATABASE test", "ANALYZE")) {
            Decision unknown = decide(engine(call), sql);
            assertThat(unknown.allowed()).as(sql + ": " + unknown.reason()).isFalse();
            assertThat(unknown.reason()).as(sql).contains("call on any routine", "expressions of");
        }
        // nor where the catalog cannot tell them
        session.unknownWriteRoutines();
        session.givenRows.put("tickets", null);
        Decision unknown = decide(engine(call), "REINDEX TABLE tickets");
        assertThat(unknown.allowed()).as(unknown.reason()).isFalse();
        assertThat(unknown.reason()).contains("call on any routine");
    }

    @Test
    void writingAViewRunsTheRoutinesOfTheTableBeneathIt() {
        session.views.put("ticket_view", "SELECT id, n FROM tickets");
        session.writeRoutines.put("tickets", List.of(new TableRef("public", "wipe_payments")));
        Decision decision = decide(engine(""), "UPDATE ticket_view SET n = 2 WHERE id = 1");
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).contains("call on public.wipe_payments");
    }

    @Test
    void routinesThatCannotBeToldArePermittedOnlyByAPermitToCallEveryRoutine() {
        session.unknownWriteRoutines();
        Decision unknown = decide(engine("""
                  - { id: clerks-app, effect: permit, principals: { groups: [clerks] }, actions: [call], resources: ["app.*"] }
                """), "INSERT INTO tickets (id) VALUES (1)");
        assertThat(unknown.allowed()).isFalse();
        assertThat(unknown.reason()).contains("call on any routine, since which routines writing public.tickets runs");
        // a PostgreSQL rule's statements are one way the catalog cannot tell: the refusal says so
        assertThat(unknown.reason()).contains("CREATE RULE … DO ALSO or INSTEAD, whose statements run unanalysed");
        assertThat(decide(engine("""
                  - { id: clerks-all, effect: permit, principals: { groups: [clerks] }, actions: [call], resources: ["*"] }
                """), "INSERT INTO tickets (id) VALUES (1)").allowed()).isTrue();
    }

    @Test
    void aTableThatRunsNoRoutineIsWrittenWithoutAPermitToCall() {
        assertThat(decide(engine(""), "INSERT INTO tickets (id) VALUES (1)").allowed()).isTrue();
    }

    @Test
    void underTheBaselineTheMigrationIdentityWritesThroughTheRoutinesItsMigrationsDefineAndOthersAreTold() {
        session.writeRoutines.put("tickets", List.of(new TableRef("public", "set_updated_at")));
        session.routineBodies.put("set_updated_at", "SELECT now()");
        PolicyEngine baseline = new PolicyEngine(PolicyLoader.baseline());
        Identity migration = Identity.builder("schema-owner").kind(io.governed.identity.IdentityKind.SERVICE)
                .purpose("migration").build();
        Identity app = Identity.builder("app").kind(io.governed.identity.IdentityKind.SERVICE).build();
        String sql = "INSERT INTO tickets (id) VALUES (1)";
        assertThat(baseline.decide(migration, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session))
                .allowed()).isTrue();
        Decision refused = baseline.decide(app, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reason()).contains("call on public.set_updated_at");
    }

    @Test
    void onMariaDbATriggerOfTheTableIsACallOfTheTriggerAndOneThatCannotBeSeenOfAnyRoutine() {
        session.writeRoutines.put("tickets", List.of(new TableRef("public", "tickets_audit")));
        session.routineBodies.put("tickets_audit", "SELECT 1");
        for (String sql : List.of("INSERT INTO tickets (id) VALUES (1)", "UPDATE tickets SET n = 2 WHERE id = 1",
                "DELETE FROM tickets WHERE id = 1", "REPLACE INTO tickets (id) VALUES (1)")) {
            Decision refused = engine("").decide(CLERK, analyzer.analyze(sql, Dialect.MARIADB), DecisionContext.of(session));
            assertThat(refused.allowed()).as(sql).isFalse();
            assertThat(refused.reason()).as(sql).contains("call on public.tickets_audit, which the database runs when the"
                    + " statement writes public.tickets");
        }
        String permit = """
                  - { id: clerks-audit, effect: permit, principals: { groups: [clerks] }, actions: [call],
                      resources: ["public.tickets_audit"] }
                """;
        assertThat(engine(permit).decide(CLERK, analyzer.analyze("DELETE FROM tickets WHERE id = 1", Dialect.MARIADB),
                DecisionContext.of(session)).allowed()).isTrue();
        assertThat(engine("").decide(CLERK, analyzer.analyze("SELECT * FROM tickets", Dialect.MARIADB),
                DecisionContext.of(session)).allowed()).as("a read runs no trigger").isTrue();
        session.unknownWriteRoutines();
        Decision unknown = engine(permit).decide(CLERK, analyzer.analyze("DELETE FROM tickets WHERE id = 1",
                Dialect.MARIADB), DecisionContext.of(session));
        assertThat(unknown.allowed()).isFalse();
        assertThat(unknown.reason()).contains("call on any routine", "TRIGGER privilege");
    }

    @Test
    void onMariaDbTheRowsAForeignKeyWritesFireNoTrigger() {
        session.cascade("delete", "tickets", new io.governed.sql.names.CascadedWrite(io.governed.sql.Action.DELETE,
                new TableRef("public", "ticket_view")));
        session.writeRoutines.put("ticket_view", List.of(new TableRef("public", "audit_it")));
        String sql = "DELETE FROM tickets WHERE id = 1";
        assertThat(engine("").decide(CLERK, analyzer.analyze(sql, Dialect.MARIADB), DecisionContext.of(session))
                .allowed()).isTrue();
        assertThat(engine("").decide(CLERK, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session))
                .reason()).contains("call on public.audit_it");
    }
}
