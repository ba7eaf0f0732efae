package io.governed.policy.engine;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/*
 * Migration statements read since the parser cannot: an unnamed ADD CHECK, TRUNCATE … RESTART|CONTINUE IDENTITY,
 * DROP TYPE and DROP DOMAIN. Each needs the permits the statement's effects need, and a caller who may not alter, truncate
 * or drop what it reaches is refused as before (when they were refused to everyone as unparseable).
 */
class MigrationFormRulesTest {

    private static final Identity CLERK = human("cleo", "clerks");

    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();

    private static PolicyEngine engine(String rules) {
        return new PolicyEngine(PolicyLoader.fromString("forms.yaml", """
                version: 1
                default: deny
                rules:
                  - { id: clerks-customers, effect: permit, principals: { groups: [clerks] }, actions: ["*"],
                      resources: ["public.customers", "public.mood", "public.positive", "app.*"] }
                """ + rules));
    }

    private Decision decide(PolicyEngine engine, String sql) {
        return engine.decide(CLERK, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ALTER TABLE customers ADD CHECK (total >= 0)",
            "ALTER TABLE customers ADD CHECK (total >= 0) NOT VALID",
            "ALTER TABLE ONLY customers ADD CHECK (total >= 0), ADD CHECK (total < 100)"})
    void anUnnamedCheckIsAnAlterOfItsTable(String sql) {
        Decision permitted = decide(engine(""), sql);
        assertThat(permitted.allowed()).as(sql + ": " + permitted.reason()).isTrue();
        Decision other = decide(engine(""), sql.replace("customers", "orders"));
        assertThat(other.allowed()).as(sql).isFalse();
        assertThat(other.reason()).as(sql).contains("alter on public.orders");
        Decision forbidden = decide(engine("""
                  - { id: keep-customers, effect: forbid, actions: [alter], resources: ["public.customers"] }
                """), sql);
        assertThat(forbidden.allowed()).as(sql).isFalse();
        assertThat(forbidden.rules()).as(sql).containsExactly("keep-customers");
    }

    @Test
    void anUnnamedChecksRoutineIsJudgedAsANamedOnes() {
        String unnamed = "ALTER TABLE customers ADD CHECK (audit.leak(ssn) > 0)";
        String named = "ALTER TABLE customers ADD CONSTRAINT c CHECK (audit.leak(ssn) > 0)";
        Decision refused = decide(engine(""), unnamed);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reason()).isEqualTo(decide(engine(""), named).reason()).contains("audit.leak");
        String permitted = """
                  - { id: clerks-leak, effect: permit, principals: { groups: [clerks] }, actions: [call],
                      resources: ["audit.leak"] }
                """;
        assertThat(decide(engine(permitted), unnamed).allowed()).isEqualTo(decide(engine(permitted), named).allowed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRUNCATE customers RESTART IDENTITY", "TRUNCATE TABLE customers RESTART IDENTITY CASCADE",
            "TRUNCATE ONLY customers RESTART IDENTITY RESTRICT", "truncate table public.customers restart identity"})
    void restartIdentityAltersSequencesTheAnalysisDoesNotName(String sql) {
        // the sequences owned by the table's serial and identity columns are restarted: which they are is not looked up,
        // so the restart is an alter of any table, which a permit of truncate on the table alone does not permit
        Decision unpermitted = decide(engine(""), sql);
        assertThat(unpermitted.allowed()).as(sql).isFalse();
        assertThat(unpermitted.reason()).as(sql).contains("RESTART IDENTITY");
        Decision forbidden = decide(engine("""
                  - { id: clerks-all, effect: permit, principals: { groups: [clerks] }, actions: [truncate, alter],
                      resources: ["*"] }
                  - { id: keep-seq, effect: forbid, actions: [alter], resources: ["public.customers_id_seq"] }
                """), sql);
        assertThat(forbidden.allowed()).as(sql).isFalse();
        assertThat(forbidden.rules()).as(sql).containsExactly("keep-seq");
        Decision permitted = decide(engine("""
                  - { id: clerks-all, effect: permit, principals: { groups: [clerks] }, actions: [truncate, alter],
                      resources: ["*"] }
                """), sql);
        assertThat(permitted.allowed()).as(sql + ": " + permitted.reason()).isTrue();
        Decision truncateOnly = decide(engine("""
                  - { id: clerks-all, effect: permit, principals: { groups: [clerks] }, actions: [truncate],
                      resources: ["*"] }
                """), sql);
        assertThat(truncateOnly.allowed()).as(sql).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRUNCATE customers CONTINUE IDENTITY", "TRUNCATE TABLE ONLY customers CONTINUE IDENTITY"})
    void continueIdentityIsTheTruncateAlone(String sql) {
        Decision permitted = decide(engine(""), sql);
        assertThat(permitted.allowed()).as(sql + ": " + permitted.reason()).isTrue();
        Decision other = decide(engine(""), sql.replace("customers", "orders"));
        assertThat(other.allowed()).as(sql).isFalse();
        assertThat(other.reason()).as(sql).contains("truncate on public.orders");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DROP TYPE mood", "DROP TYPE IF EXISTS public.mood", "DROP TYPE mood RESTRICT",
            "DROP DOMAIN positive", "DROP DOMAIN IF EXISTS positive RESTRICT", "DROP TYPE mood, app.status"})
    void aDropOfATypeOrDomainIsADropOfIt(String sql) {
        Decision permitted = decide(engine(""), sql);
        assertThat(permitted.allowed()).as(sql + ": " + permitted.reason()).isTrue();
        Decision other = decide(engine(""), sql.replace("mood", "orders_status").replace("positive", "price"));
        assertThat(other.allowed()).as(sql).isFalse();
        assertThat(other.reason()).as(sql).containsAnyOf("drop on public.orders_status", "drop on public.price");
        Decision forbidden = decide(engine("""
                  - { id: keep-types, effect: forbid, actions: [drop], resources: ["public.mood", "public.positive"] }
                """), sql);
        assertThat(forbidden.allowed()).as(sql).isFalse();
        assertThat(forbidden.rules()).as(sql).containsExactly("keep-types");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DROP TYPE mood CASCADE", "DROP TYPE IF EXISTS public.mood CASCADE",
            "DROP DOMAIN positive CASCADE"})
    void aDropOfATypeOrDomainWithCascadeReachesAnyTable(String sql) {
        // the columns of that type or domain go with it, in tables the statement does not name
        Decision forbidden = decide(engine("""
                  - { id: keep-orders, effect: forbid, actions: [drop, alter], resources: ["public.orders"] }
                """), sql);
        assertThat(forbidden.allowed()).as(sql).isFalse();
        assertThat(forbidden.rules()).as(sql).containsExactly("keep-orders");
        Decision unpermitted = decide(engine(""), sql);
        assertThat(unpermitted.allowed()).as(sql).isFalse();
        Decision permitted = decide(engine("""
                  - { id: clerks-all, effect: permit, principals: { groups: [clerks] }, actions: [drop, alter],
                      resources: ["*"] }
                """), sql);
        assertThat(permitted.allowed()).as(sql + ": " + permitted.reason()).isTrue();
        assertThat(decide(engine("""
                  - { id: keep-orders, effect: forbid, actions: [drop, alter], resources: ["public.orders"] }
                """), sql.replace(" CASCADE", "")).allowed()).as(sql).isTrue();
    }
}
