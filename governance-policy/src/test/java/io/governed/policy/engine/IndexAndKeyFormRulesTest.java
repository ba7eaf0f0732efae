package io.governed.policy.engine;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/*
 * Index and key forms of migrations, read since they were refused to everyone (or misread): the migration identity may
 * run each, a forbid of alter, create or truncate on the table refuses it, and a mask's deny-inference refuses an index
 * comparing or computing the masked column through an expression.
 */
class IndexAndKeyFormRulesTest {

    private static final Identity MIGRATOR = Identity.builder("flyway").groups("migrations").kind(IdentityKind.SERVICE).build();
    private static final Identity CLERK = human("cleo", "clerks");

    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();

    private static PolicyEngine engine(String rules) {
        return new PolicyEngine(PolicyLoader.fromString("forms.yaml", """
                version: 1
                default: deny
                rules:
                  - { id: migrations, effect: permit, principals: { groups: [migrations] }, actions: ["*"],
                      resources: ["*"] }
                  - { id: clerks-read, effect: permit, principals: { groups: [clerks] }, actions: [select],
                      resources: ["*"] }
                """ + rules));
    }

    private Decision decide(PolicyEngine engine, Identity who, String sql, Dialect dialect) {
        return engine.decide(who, analyzer.analyze(sql, dialect), DecisionContext.of(session));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | CREATE INDEX users_email_pattern ON users (email text_pattern_ops)                       | create",
            "POSTGRESQL | CREATE INDEX users_lower_email ON users (lower(email) text_pattern_ops)                  | create",
            "POSTGRESQL | CREATE UNIQUE INDEX users_lower_email ON users (lower(email)) INCLUDE (name)             | create",
            "MARIADB    | CREATE INDEX users_name ON users (name(10))                                              | create",
            "MARIADB    | CREATE UNIQUE INDEX users_email ON users (email(100), tenant)                            | create",
            "MARIADB    | ALTER TABLE users ADD INDEX (email(10)), ADD KEY (name)                                  | alter",
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email) INCLUDE (name)           | alter",
            "POSTGRESQL | ALTER TABLE ONLY users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx    | alter",
            "POSTGRESQL | ALTER TABLE users ADD UNIQUE USING INDEX users_email_idx                                | alter",
            "H2         | TRUNCATE TABLE users RESTART IDENTITY                                                    | alter",
            "H2         | TRUNCATE TABLE users CONTINUE IDENTITY                                                   | truncate",
    })
    void theMigrationIdentityRunsItAndAForbidOnTheTableRefusesIt(Dialect dialect, String sql, String forbidden) {
        Decision permitted = decide(engine(""), MIGRATOR, sql, dialect);
        assertThat(permitted.allowed()).as(sql + ": " + permitted.reason()).isTrue();
        Decision clerk = decide(engine(""), CLERK, sql, dialect);
        assertThat(clerk.allowed()).as(sql).isFalse();
        assertThat(clerk.reason()).as(sql).doesNotContain("could not be parsed");
        Decision refused = decide(engine("""
                  - { id: keep-users, effect: forbid, actions: [%s], resources: ["users", "*.users", "USERS", "*.USERS"] }
                """.formatted(forbidden)), MIGRATOR, sql, dialect);
        assertThat(refused.allowed()).as(sql).isFalse();
        assertThat(refused.rules()).as(sql).containsExactly("keep-users");
    }

    @Test
    void h2sRestartIdentityNeedsAlterOnTheTableItselfOnly() {
        String sql = "TRUNCATE TABLE users RESTART IDENTITY";
        Decision truncateOnly = decide(engine("""
                  - { id: clerks-truncate, effect: permit, principals: { groups: [clerks] }, actions: [truncate],
                      resources: ["*.USERS"] }
                """), CLERK, sql, Dialect.H2);
        assertThat(truncateOnly.allowed()).isFalse();
        assertThat(truncateOnly.reason()).containsPattern("alter on [A-Za-z]+\\.USERS");
        Decision both = decide(engine("""
                  - { id: clerks-truncate, effect: permit, principals: { groups: [clerks] }, actions: [truncate, alter],
                      resources: ["*.USERS"] }
                """), CLERK, sql, Dialect.H2);
        assertThat(both.allowed()).as(both.reason()).isTrue();
    }

    @Test
    void aForbidOfAlterOnTheIndexAKeyTakesOverRefusesIt() {
        String sql = "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx";
        Decision refused = decide(engine("""
                  - { id: keep-index, effect: forbid, actions: [alter], resources: ["users_email_idx", "*.users_email_idx"] }
                """), MIGRATOR, sql, Dialect.POSTGRESQL);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.rules()).containsExactly("keep-index");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | CREATE UNIQUE INDEX i ON customers (lower(ssn))",
            "POSTGRESQL | CREATE INDEX i ON customers (lower(ssn) text_pattern_ops)",
            "POSTGRESQL | CREATE INDEX i ON customers ((ssn::int))",
            "POSTGRESQL | ALTER TABLE customers ADD CONSTRAINT u UNIQUE USING INDEX customers_idx",
            "MARIADB    | CREATE UNIQUE INDEX i ON customers (ssn(4))",
    })
    void anIndexComparingOrComputingAMaskedColumnIsRefusedWhereDenyInferenceHolds(Dialect dialect, String sql) {
        PolicyEngine masked = new PolicyEngine(PolicyLoader.fromString("masked.yaml", """
                version: 1
                default: deny
                classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
                rules:
                  - { id: all, effect: permit, actions: ["*"], resources: ["*"] }
                masks:
                  - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: redact, deny-inference: [human] }
                """));
        Decision refused = decide(masked, CLERK, sql, dialect);
        assertThat(refused.allowed()).as(sql).isFalse();
        assertThat(refused.rules()).as(sql).contains("mask-ssn");
    }
}
