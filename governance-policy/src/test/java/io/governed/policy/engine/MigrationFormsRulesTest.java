package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static io.governed.policy.Identities.service;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migration forms the parser cannot read and the analysis reads from their tokens (a constraint's {@code NOT VALID}
 * and deferral modifiers, {@code ALTER INDEX … SET TABLESPACE|ATTACH PARTITION}, {@code CREATE SEQUENCE IF NOT EXISTS},
 * MariaDB's {@code DROP FOREIGN KEY} and {@code ALTER ONLINE TABLE}): a migration identity runs them; a caller not
 * permitted to alter the table, or whose kind a mask names in {@code deny-shaping} and who plants a routine call in the
 * application's table, is refused as for the form the parser reads.
 */
class MigrationFormsRulesTest {

    private static final Identity MIGRATOR = service("mf-migrator");
    private static final Identity ANN = human("ann", "analysts");
    private static final Identity AGENT = agent("bot", ANN);

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("migrations.yaml", """
            version: 1
            rules:
              - { id: all, effect: permit, actions: ["*"] }
              - { id: no-ddl, effect: forbid, actions: [alter, create, drop], resources: ["public.*", "app.*"], unless: { names: [mf-migrator, bot] } }
              - { id: no-users, effect: forbid, actions: [select], resources: ["public.users"], unless: { names: [mf-migrator, ann, bot] } }
            masks:
              - { id: hide-ssn, columns: { patterns: ["*.ssn"] }, function: redact, unless: { names: [mf-migrator] } }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private Decision decide(Identity identity, String sql, Dialect dialect) {
        DecisionContext context = dialect == Dialect.MARIADB ? DecisionContext.defaultSchema("app")
                : DecisionContext.of(new CatalogStub());
        return engine.decide(identity, analyzer.analyze(sql, dialect), context);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID",
            "POSTGRESQL | ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED",
            "POSTGRESQL | ALTER TABLE public.orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID",
            "POSTGRESQL | ALTER INDEX orders_pkey SET TABLESPACE pg_default",
            "POSTGRESQL | ALTER INDEX orders_idx ATTACH PARTITION orders_2024_idx",
            "POSTGRESQL | CREATE SEQUENCE IF NOT EXISTS public.order_seq",
            "MARIADB    | ALTER TABLE orders DROP FOREIGN KEY fk_user",
            "MARIADB    | ALTER ONLINE TABLE orders ADD COLUMN z INT",
            "MARIADB    | ALTER ONLINE TABLE orders RENAME TO other.orders",
    })
    void aCallerNotPermittedToAlterIsRefusedAndTheMigrationRunsIt(Dialect dialect, String sql) {
        Decision refused = decide(ANN, sql, dialect);
        assertThat(refused.effect()).as(sql + ": " + refused.reason()).isEqualTo(Decision.Effect.DENY);
        assertThat(refused.rules()).as(sql + ": " + refused.reason()).contains("no-ddl");
        Decision migration = decide(MIGRATOR, sql, dialect);
        assertThat(migration.effect()).as(sql + ": " + migration.reason()).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ALTER TABLE customers ADD CONSTRAINT grab CHECK (log_it(ssn)) NOT VALID",
            "ALTER TABLE customers ADD CONSTRAINT grab CHECK (public.log_it(ssn) > 0) NOT VALID, ADD CONSTRAINT u UNIQUE (id) DEFERRABLE",
            "ALTER TABLE customers ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES users (id) DEFERRABLE, ADD CONSTRAINT g CHECK (log_it(name)) NOT VALID",
    })
    void aDenyShapingCallerPlantingARoutineCallIsRefused(String sql) {
        Decision decision = decide(AGENT, sql, Dialect.POSTGRESQL);
        assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql + ": " + decision.reason()).contains("hide-ssn");
        assertThat(decision.reason()).as(sql).contains("runs later in other sessions' statements");
        Decision migration = decide(MIGRATOR, sql, Dialect.POSTGRESQL);
        assertThat(migration.effect()).as(sql + ": " + migration.reason()).isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void aConcurrentIndexDropIsADropOfTheIndex() {
        PolicyEngine keepIndexes = new PolicyEngine(PolicyLoader.fromString("indexes.yaml", """
                version: 1
                rules:
                  - { id: all, effect: permit, actions: ["*"] }
                  - { id: keep-order-indexes, effect: forbid, actions: [drop], resources: ["public.orders_*"], unless: { names: [mf-migrator] } }
                """));
        for (String sql : new String[] {"DROP INDEX CONCURRENTLY orders_user_idx",
                "DROP INDEX CONCURRENTLY IF EXISTS public.orders_user_idx"}) {
            Decision refused = keepIndexes.decide(ANN, analyzer.analyze(sql, Dialect.POSTGRESQL),
                    DecisionContext.of(new CatalogStub()));
            assertThat(refused.effect()).as(sql + ": " + refused.reason()).isEqualTo(Decision.Effect.DENY);
            assertThat(refused.rules()).as(sql + ": " + refused.reason()).containsExactly("keep-order-indexes");
            Decision migration = keepIndexes.decide(MIGRATOR, analyzer.analyze(sql, Dialect.POSTGRESQL),
                    DecisionContext.of(new CatalogStub()));
            assertThat(migration.effect()).as(sql + ": " + migration.reason()).isEqualTo(Decision.Effect.ALLOW);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ALTER TABLE customers ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES users (id) NOT VALID | ALTER TABLE customers ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES users (id)",
            "ALTER TABLE customers ADD CONSTRAINT c CHECK (id > 0) NOT VALID | ALTER TABLE customers ADD CONSTRAINT c CHECK (id > 0)",
            "ALTER TABLE customers ADD CONSTRAINT c CHECK (length(ssn) = 11) NOT VALID | ALTER TABLE customers ADD CONSTRAINT c CHECK (length(ssn) = 11)",
    })
    void eachCallerGetsTheDecisionOfTheFormTheParserReads(String sql, String equivalent) {
        for (Identity identity : new Identity[] {MIGRATOR, ANN, AGENT}) {
            Decision decision = decide(identity, sql, Dialect.POSTGRESQL);
            Decision expected = decide(identity, equivalent, Dialect.POSTGRESQL);
            assertThat(decision.effect()).as(identity + ": " + sql + ": " + decision.reason())
                    .isEqualTo(expected.effect());
            assertThat(decision.rules()).as(identity + ": " + sql).isEqualTo(expected.rules());
        }
    }
}
