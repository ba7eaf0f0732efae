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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/*
 * Exclusion constraints, statistics objects and MariaDB's ADD INDEX IF NOT EXISTS: the migration identity runs each, a
 * forbid on the table refuses it, and a mask's deny-inference refuses one over the masked column.
 */
class ExclusionAndStatisticsFormRulesTest {

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
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&) | alter",
            "POSTGRESQL | CREATE STATISTICS users_city_zip (dependencies) ON city, zip FROM users                      | create",
            "MARIADB    | ALTER TABLE users ADD INDEX IF NOT EXISTS (email)                                             | alter",
    })
    void theMigrationIdentityRunsItAndAForbidOnTheTableRefusesIt(Dialect dialect, String sql, String forbidden) {
        Decision permitted = decide(engine(""), MIGRATOR, sql, dialect);
        assertThat(permitted.allowed()).as(sql + ": " + permitted.reason()).isTrue();
        Decision clerk = decide(engine(""), CLERK, sql, dialect);
        assertThat(clerk.allowed()).as(sql).isFalse();
        assertThat(clerk.reason()).as(sql).doesNotContain("could not be");
        Decision refused = decide(engine("""
                  - { id: keep-users, effect: forbid, actions: [%s], resources: ["users", "*.users"] }
                """.formatted(forbidden)), MIGRATOR, sql, dialect);
        assertThat(refused.allowed()).as(sql).isFalse();
        assertThat(refused.rules()).as(sql).containsExactly("keep-users");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | SELECT u.id FROM users u JOIN ONLY orders o ON o.uid = u.id AND u.name = 'x' | ONLY after JOIN",
            "POSTGRESQL | DELETE FROM ONLY users USING users u, ONLY orders o WHERE u.id = 1          | ONLY after JOIN or a comma",
            "MARIADB    | ALTER IGNORE TABLE users ADD UNIQUE (email)    | ALTER IGNORE TABLE is not read",
    })
    void aFormThatStaysRefusedIsRefusedToTheMigrationIdentitySayingWhy(Dialect dialect, String sql, String why) {
        Decision refused = decide(engine(""), MIGRATOR, sql, dialect);
        assertThat(refused.allowed()).as(sql).isFalse();
        assertThat(refused.reason()).as(sql).contains("could not be parsed (", why, "on-unparseable: deny")
                .doesNotContain("'x'", "id = 1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER TABLE customers ADD CONSTRAINT c EXCLUDE USING btree (ssn WITH =)",
            "POSTGRESQL | ALTER TABLE customers ADD EXCLUDE USING gist (tenant WITH =, (ssn::int) WITH =)",
            "POSTGRESQL | ALTER TABLE customers ADD EXCLUDE USING btree (tenant WITH =) WHERE (ssn LIKE '1%')",
            "POSTGRESQL | CREATE STATISTICS s (mcv) ON ssn, tenant FROM customers",
            "POSTGRESQL | CREATE STATISTICS s ON (lower(ssn)), tenant FROM customers",
            "MARIADB    | ALTER TABLE customers ADD UNIQUE INDEX IF NOT EXISTS u (ssn(4))",
            "POSTGRESQL | CREATE INDEX i ON customers (public.digits(ssn))",
    })
    void aMaskedColumnInsideTheFormIsRefusedWhereDenyInferenceHolds(Dialect dialect, String sql) {
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
