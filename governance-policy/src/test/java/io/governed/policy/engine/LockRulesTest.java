package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * A table lock is a lock on each table it names, which a policy permits or forbids by the table, and a read of it: a
 * caller kept from reading a table is kept from locking it, and a permit of lock on one schema's tables does not reach
 * another's.
 */
class LockRulesTest {

    private static final Identity ANN = human("ann", "staff");

    private static final PolicyEngine ENGINE = new PolicyEngine(PolicyLoader.fromString("lock.yaml", """
            version: 1
            default: deny
            rules:
              - { id: reads, effect: permit, actions: [select, transaction], resources: ["*"] }
              - { id: app-locks, effect: permit, actions: [lock], resources: ["public.*"] }
              - { id: no-salaries, effect: forbid, actions: [select], resources: ["public.salaries"] }
            """));

    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private Decision decide(String sql, Dialect dialect) {
        return ENGINE.decide(ANN, analyzer.analyze(sql, dialect), DecisionContext.of(new CatalogStub()));
    }

    @Test
    void aLockOfTheTablesOfThePermittedSchemaIsAllowed() {
        for (String sql : List.of("LOCK TABLE public.orders IN ACCESS SHARE MODE",
                "LOCK TABLE ONLY public.orders, public.customers IN SHARE ROW EXCLUSIVE MODE NOWAIT",
                "LOCK public.orders")) {
            assertThat(decide(sql, Dialect.POSTGRESQL).allowed()).as(sql).isTrue();
        }
        assertThat(decide("LOCK TABLES public.orders READ, public.customers WRITE", Dialect.MARIADB).allowed()).isTrue();
        assertThat(decide("UNLOCK TABLES", Dialect.MARIADB).allowed()).isTrue();
    }

    @Test
    void aLockOfATableTheCallerMayNotReadIsRefusedByThatForbid() {
        for (String sql : List.of("LOCK TABLE public.salaries IN ACCESS SHARE MODE",
                "LOCK TABLE public.orders, public.salaries IN ACCESS SHARE MODE",
                "LOCK TABLE public.salaries IN SHARE ROW EXCLUSIVE MODE")) {
            Decision decision = decide(sql, Dialect.POSTGRESQL);
            assertThat(decision.allowed()).as(sql).isFalse();
            assertThat(decision.rules()).as(sql).containsExactly("no-salaries");
        }
        Decision maria = decide("LOCK TABLES public.orders READ, public.salaries AS s WRITE", Dialect.MARIADB);
        assertThat(maria.allowed()).isFalse();
        assertThat(maria.rules()).containsExactly("no-salaries");
    }

    @Test
    void aPermitOfLockOnOneSchemaDoesNotReachAnother() {
        // The form the parser reads (one table and a mode) was a lock on no table, which every permit of lock covered.
        for (String sql : List.of("LOCK TABLE vault.notes IN SHARE ROW EXCLUSIVE MODE",
                "LOCK TABLE public.orders, vault.notes IN ACCESS EXCLUSIVE MODE")) {
            Decision decision = decide(sql, Dialect.POSTGRESQL);
            assertThat(decision.allowed()).as(sql).isFalse();
            assertThat(decision.reason()).as(sql).contains("lock on vault.notes");
        }
        assertThat(decide("LOCK TABLES vault.notes READ LOCAL", Dialect.MARIADB).allowed()).isFalse();
    }
}
