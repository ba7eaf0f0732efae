package io.governed.policy.engine;

import io.governed.policy.Statements;
import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.policy.load.PolicySource;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/** Escape traits must be named by a permit; routine calls and code definitions are actions of their own. */
class EscapesAndRoutinesTest {

    private static final SqlAnalyzer ANALYZER = new SqlAnalyzer();

    private static PolicyEngine engine(String rules) {
        return new PolicyEngine(PolicyLoader.fromString("test.yaml", "version: 1\n" + rules));
    }

    private static SqlAnalysis pg(String sql) {
        SqlAnalysis analysis = ANALYZER.analyze(sql, Dialect.POSTGRESQL);
        assertThat(analysis.parseError()).isNull();
        return analysis;
    }

    private static SqlAnalysis h2(String sql) {
        SqlAnalysis analysis = ANALYZER.analyze(sql, Dialect.H2);
        assertThat(analysis.parseError()).isNull();
        return analysis;
    }

    private static Identity dba() {
        return Identity.builder("root").groups("dba").build();
    }

    @Test
    void aPermitThatDoesNotNameAnEscapeTraitDoesNotCoverIt() {
        PolicyEngine engine = engine("rules: [{ id: read, effect: permit, actions: [select, call] }]\n");
        Decision decision = engine.decide(human("a"), pg("SELECT pg_read_file('/etc/passwd')"), Statements.withoutInheritance());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).contains("with the trait file-access")
                .contains("only when it names it in when: { traits: [...] }");
    }

    @Test
    void aPermitThatNamesTheTraitCoversIt() {
        PolicyEngine engine = engine("""
                rules:
                  - { id: read, effect: permit, actions: [select] }
                  - { id: files, effect: permit, actions: [select], when: { traits: [file-access] } }
                """);
        Decision decision = engine.decide(human("a"), pg("SELECT lo_export(1, '/tmp/x')"), Statements.withoutInheritance());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY).as("lo_export is a call too");
        PolicyEngine withCalls = engine("""
                rules:
                  - { id: files, effect: permit, actions: [select, call], when: { traits: [file-access] } }
                """);
        Decision allowed = withCalls.decide(human("a"), pg("SELECT lo_export(1, '/tmp/x')"), Statements.withoutInheritance());
        assertThat(allowed.effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(allowed.rules()).containsExactly("files");
    }

    @Test
    void everyEscapeTraitMustBeNamed() {
        PolicyEngine engine = engine("""
                rules:
                  - { id: files, effect: permit, actions: [select, call], when: { traits: [file-access] } }
                """);
        Decision decision = engine.decide(human("a"),
                pg("SELECT pg_read_file('x'), set_config('role', 'postgres', false)"), Statements.withoutInheritance());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).contains("privilege-change");
    }

    @Test
    void aPermitOfEveryActionCoversEveryTrait() {
        PolicyEngine engine = engine("rules: [{ id: all, effect: permit, actions: [\"*\"] }]\n");
        assertThat(engine.decide(human("a"), pg("SET ROLE postgres"), Statements.withoutInheritance()).allowed()).isTrue();
        assertThat(engine.decide(human("a"), pg("COPY t TO PROGRAM 'id'"), Statements.withoutInheritance()).allowed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SET ROLE postgres", "SET SESSION AUTHORIZATION postgres", "RESET ALL", "RESET ROLE",
        "ALTER SYSTEM SET work_mem = '1GB'", "ALTER TABLE t OWNER TO postgres"})
    void aPermitOfTheActionAloneDoesNotCoverAPrivilegeOrServerChange(String sql) {
        PolicyEngine engine = engine("rules: [{ id: session, effect: permit, actions: [set, alter] }]\n");
        Decision decision = engine.decide(human("a"), pg(sql), Statements.withoutInheritance());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).containsAnyOf("privilege-change", "server-setting");
    }

    @Test
    void anOrdinarySettingNeedsNoTrait() {
        PolicyEngine engine = engine("rules: [{ id: session, effect: permit, actions: [set] }]\n");
        assertThat(engine.decide(human("a"), pg("SET statement_timeout = 1000"), Statements.withoutInheritance()).allowed()).isTrue();
    }

    @Test
    void aCallOfAUserRoutineNeedsACallPermitOnThatRoutine() {
        PolicyEngine engine = engine("""
                rules:
                  - { id: read, effect: permit, actions: [select] }
                  - { id: app-routines, effect: permit, actions: [call], resources: ["app.*"] }
                routines: [{ id: app-routines-reach-no-table, routines: ["app.*"], does: [] }]
                """);
        assertThat(engine.decide(human("a"), pg("SELECT app.total(id) FROM t"), Statements.withoutInheritance()).allowed()).isTrue();
        Decision other = engine.decide(human("a"), pg("SELECT other.wipe() FROM t"), Statements.withoutInheritance());
        assertThat(other.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(other.reason()).startsWith("No rule permits call on other.wipe");
        Decision unqualified = engine.decide(human("a"), pg("SELECT wipe()"), Statements.withoutInheritance(DecisionContext.defaultSchema("public")));
        assertThat(unqualified.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(unqualified.reason()).startsWith("No rule permits call on public.wipe");
        assertThat(engine.decide(human("a"), pg("SELECT upper(name), now() FROM t"), Statements.withoutInheritance()).allowed()).isTrue();
    }

    @Test
    void h2DateFormattingIsABuiltInNotACall() {
        PolicyEngine engine = engine("rules: [{ id: read, effect: permit, actions: [select] }]\n");
        DecisionContext context = DecisionContext.defaultSchema("PUBLIC");
        assertThat(engine.decide(human("a"), h2("SELECT FORMATDATETIME(signed_up, 'yyyy') FROM customers"), Statements.withoutInheritance(context))
                .allowed()).isTrue();
        assertThat(engine.decide(human("a"), h2("SELECT FORMATDATETIMES(signed_up) FROM customers"), Statements.withoutInheritance(context)).allowed())
                .isFalse();
    }

    @Test
    void unqualifiedRoutinesResolveInTheDefaultSchema() {
        PolicyEngine engine = engine("""
                rules:
                  - { id: read, effect: permit, actions: [select] }
                  - { id: app-routines, effect: permit, actions: [call], resources: ["app.*"] }
                routines: [{ id: app-routines-reach-no-table, routines: ["app.*"], does: [] }]
                """);
        assertThat(engine.decide(human("a"), pg("SELECT total(1)"), Statements.withoutInheritance(DecisionContext.defaultSchema("app"))).allowed()).isTrue();
        assertThat(engine.decide(human("a"), pg("SELECT total(1)"), Statements.withoutInheritance(DecisionContext.defaultSchema("public"))).allowed()).isFalse();
    }

    @Test
    void aRoutineCatalogCanKnowMoreBuiltIns() {
        PolicyEngine engine = engine("rules: [{ id: read, effect: permit, actions: [select] }]\n");
        SqlAnalysis analysis = pg("SELECT pg_catalog.quote_ident_extra(name) FROM t");
        assertThat(engine.decide(human("a"), analysis, Statements.withoutInheritance()).allowed()).isFalse();
        DecisionContext context = DecisionContext.none().withRoutines(
                r -> "pg_catalog".equals(r.schema()) && r.name().equals("quote_ident_extra"));
        assertThat(engine.decide(human("a"), analysis, Statements.withoutInheritance(context)).allowed()).isTrue();
        assertThat(engine.decide(human("a"), pg("SELECT public.quote_ident_extra(name) FROM t"), Statements.withoutInheritance(context)).allowed()).isFalse();
    }

    @Test
    void aProcedureCallIsACallOnTheProcedure() {
        PolicyEngine engine = engine("rules: [{ id: app-routines, effect: permit, actions: [call], resources: [\"app.*\"] }]\n"
                + "routines: [{ id: app-routines-reach-no-table, routines: [\"app.*\"], does: [] }]\n");
        assertThat(engine.decide(human("a"), pg("CALL app.refresh(1)"), Statements.withoutInheritance()).allowed()).isTrue();
        assertThat(engine.decide(human("a"), pg("{call app.refresh(?)}"), Statements.withoutInheritance()).allowed()).isTrue();
        assertThat(engine.decide(human("a"), pg("CALL admin.refresh(1)"), Statements.withoutInheritance()).allowed()).isFalse();
    }

    @Test
    void defineCodeIsAnActionPoliciesName() {
        PolicyEngine engine = engine("rules: [{ id: code, effect: permit, actions: [define-code], resources: [\"app.*\"] }]\n");
        assertThat(engine.decide(human("a"),
                pg("CREATE FUNCTION app.f() RETURNS int AS 'select 1' LANGUAGE sql"), Statements.withoutInheritance()).allowed()).isTrue();
        assertThat(engine.decide(human("a"),
                pg("CREATE FUNCTION other.f() RETURNS int AS 'select 1' LANGUAGE sql"), Statements.withoutInheritance()).allowed()).isFalse();
    }

    @Test
    void theBaselineForbidsCodeDefinitionsToNonAdministrators() {
        PolicyEngine baseline = new PolicyEngine(PolicyLoader.baseline());
        Decision decision = baseline.decide(human("a"),
                pg("CREATE FUNCTION f() RETURNS int AS $$ DROP TABLE accounts; SELECT 1 $$ LANGUAGE sql"), Statements.withoutInheritance());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).containsExactly("baseline-no-code-definitions");
        assertThat(decision.reason()).contains("administrators");
        assertThat(baseline.decide(human("a"), pg("DO $$ BEGIN DROP TABLE accounts; END $$"), Statements.withoutInheritance()).effect())
                .isEqualTo(Decision.Effect.DENY);
        assertThat(baseline.decide(human("a"), h2("CREATE ALIAS EXEC FOR 'java.lang.Runtime.exec'"), Statements.withoutInheritance()).rules())
                .containsExactly("baseline-no-code-definitions");
    }

    @Test
    void anAdministratorMayDefineCodeWhereAComposedPolicyPermitsIt() {
        PolicyEngine composed = new PolicyEngine(PolicyLoader.compose(PolicyLoader.baselineSource(),
                PolicySource.of("admin.yaml", """
                        version: 1
                        rules:
                          - { id: dba-code, effect: permit, principals: { groups: [dba] }, actions: [define-code] }
                        """)));
        String create = "CREATE FUNCTION f() RETURNS int AS 'select 1' LANGUAGE sql";
        assertThat(composed.decide(dba(), pg(create), Statements.withoutInheritance()).allowed()).isTrue();
        assertThat(composed.decide(human("a"), pg(create), Statements.withoutInheritance()).rules()).containsExactly("baseline-no-code-definitions");
    }

    @Test
    void theBaselineDeniesRoleChangesServerSettingsAndUserRoutinesButNotOrdinarySettings() {
        PolicyEngine baseline = new PolicyEngine(PolicyLoader.baseline());
        assertThat(baseline.decide(human("a"), pg("SET ROLE postgres"), Statements.withoutInheritance()).rules()).containsExactly("baseline-no-role-changes");
        assertThat(baseline.decide(human("a"), pg("RESET ALL"), Statements.withoutInheritance()).rules()).containsExactly("baseline-no-role-changes");
        assertThat(baseline.decide(human("a"), pg("ALTER SYSTEM SET work_mem = '1GB'"), Statements.withoutInheritance()).rules())
                .containsExactly("baseline-no-server-settings");
        assertThat(baseline.decide(human("a"), pg("SELECT app.wipe()"), Statements.withoutInheritance()).effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(baseline.decide(human("a"), pg("SET statement_timeout = 1000"), Statements.withoutInheritance()).allowed()).isTrue();
        assertThat(baseline.decide(human("a"), pg("SELECT upper(name), count(*) FROM t GROUP BY name"), Statements.withoutInheritance()).allowed()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"SET session_replication_role = replica", "SET row_security = off",
            "SET log_statement = 'none'", "SET default_transaction_read_only = off", "SET backslash_quote = on",
            "SET check_function_bodies = off", "SET app.tenant = '42'", "RESET session_replication_role"})
    void theBaselineDeniesSessionSettingsThatAreNotListed(String sql) {
        PolicyEngine baseline = new PolicyEngine(PolicyLoader.baseline());
        Decision decision = baseline.decide(human("a"), pg(sql));
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).containsExactly("baseline-no-unlisted-settings");
    }

    @Test
    void theBaselineDeniesMariaDbSessionSettingsThatAreNotListedAndAllowsListedOnes() {
        PolicyEngine baseline = new PolicyEngine(PolicyLoader.baseline());
        for (String sql : new String[] {"SET SESSION sql_log_bin = 0", "SET foreign_key_checks = 0",
                "SET @@session.sql_safe_updates = 0", "SET time_zone = 'UTC', unique_checks = 0"}) {
            Decision decision = baseline.decide(human("a"), ANALYZER.analyze(sql, Dialect.MARIADB));
            assertThat(decision.rules()).as(sql).containsExactly("baseline-no-unlisted-settings");
        }
        for (String sql : new String[] {"SET NAMES utf8mb4", "SET time_zone = '+00:00'", "SET autocommit = 1",
                "SET @x = 1", "SET SESSION innodb_lock_wait_timeout = 5"}) {
            assertThat(baseline.decide(human("a"), ANALYZER.analyze(sql, Dialect.MARIADB)).allowed()).as(sql).isTrue();
        }
    }

    @Test
    void aPolicyThatPermitsSetCoversAnUnlistedSettingOnlyWhenItNamesTheTrait() {
        PolicyEngine plain = engine("rules: [{ id: session, effect: permit, actions: [set] }]\n");
        assertThat(plain.decide(human("a"), pg("SET statement_timeout = 1000")).allowed()).isTrue();
        Decision decision = plain.decide(human("a"), pg("SET session_replication_role = replica"));
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).contains("with the trait unlisted-setting");
        PolicyEngine optIn = engine("""
                rules:
                  - { id: session, effect: permit, actions: [set] }
                  - { id: tenant, effect: permit, actions: [set], when: { traits: [unlisted-setting] } }
                """);
        assertThat(optIn.decide(human("a"), pg("SET app.tenant = '42'")).allowed()).isTrue();
    }

    @Test
    void theAccessOfARoutineNamesItAsATable() {
        assertThat(pg("SELECT app.f()").statements().get(0).routines()).containsExactly(new TableRef("app", "f"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"UPDATE mysql.proc SET body = 'RETURN 1' WHERE name = 'f'",
            "UPDATE mysql.global_priv SET Priv = '{}' WHERE User = 'u'", "INSERT INTO mysql.plugin (name, dl) VALUES ('p', 'p.so')",
            "DELETE FROM `mysql`.`servers` WHERE Server_name = 's'", "REPLACE INTO mysql.event (db, name) VALUES ('d', 'e')",
            "INSERT INTO mysql.user SELECT * FROM mysql.user WHERE 1 = 0", "UPDATE proc SET body = 'RETURN 1' WHERE name = 'f'"})
    void aRowChangeOfTheCatalogIsAPrivilegeChangeThatAPermitOnEveryTableDoesNotCover(String sql) {
        PolicyEngine engine = engine("rules: [{ id: crud, effect: permit, actions: [select, insert, update, delete, merge] }]\n");
        SqlAnalysis analysis = ANALYZER.analyze(sql, Dialect.MARIADB);
        assertThat(analysis.parseError()).isNull();
        Decision decision = engine.decide(human("a"), analysis);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).contains("with the trait privilege-change");
        assertThat(engine.decide(dba(), analysis).effect()).isEqualTo(Decision.Effect.DENY);
        PolicyEngine everything = engine("rules: [{ id: dba, effect: permit, actions: [\"*\"] }]\n");
        assertThat(everything.decide(dba(), analysis).effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void aRowChangeOfAnApplicationTableIsNoPrivilegeChange() {
        PolicyEngine engine = engine("rules: [{ id: crud, effect: permit, actions: [select, insert, update, delete] }]\n");
        for (String sql : new String[] {"UPDATE app.proc SET body = 'x' WHERE id = 1", "INSERT INTO users (id) VALUES (1)",
                "DELETE FROM mysql_logs WHERE id = 1", "UPDATE t SET a = (SELECT COUNT(*) FROM mysql.db) WHERE id = 1"}) {
            // in a database whose catalog tells no trigger on these tables (one that cannot tell counts as calling any routine)
            assertThat(engine.decide(human("a"), ANALYZER.analyze(sql, Dialect.MARIADB), DecisionContext.of(
                    io.governed.sql.names.NameResolver.withoutInheritance(io.governed.sql.names.NameResolver.unknown())))
                    .effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
        }
    }
}
