package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.sql.Dialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value the session or the server keeps past the statement, computed from (or decided by) rows of a table a row
 * filter names, is refused to every caller, also one no filter restricts: the next borrower of a pooled connection
 * reads it back, whoever the filter restricts.
 */
class KeptFromFilteredRowsTest {

    private static final Identity SUPPORT = OwnTenantFilter.SUPPORT;
    private static final Identity TENANT = OwnTenantFilter.TENANT;
    private final OwnTenantFilter policy = new OwnTenantFilter();

    private Decision decide(Identity identity, String sql, Dialect dialect) {
        return policy.decide(identity, sql, dialect);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SET @x = (SELECT note FROM orders WHERE tenant_id = 'b')",
            "SET @n = (SELECT count(*) FROM orders)",
            "SELECT @y := note FROM orders WHERE tenant_id = 'b'",
            "SELECT @hit := 1 FROM orders WHERE tenant_id = 'b' AND note LIKE 'S%'",
            "SET @@session.max_join_size = (SELECT id FROM orders WHERE tenant_id = 'b')",
            "SELECT LAST_INSERT_ID(id) FROM orders WHERE tenant_id = 'b'",
            "SELECT GET_LOCK(note, 0) FROM orders WHERE tenant_id = 'b'",
            "SELECT id FROM customers WHERE id = (SELECT LAST_INSERT_ID(count(*)) FROM public.orders)",
    })
    void mariaDbKeptValuesFromAFilteredTableAreRefusedToEveryone(String sql) {
        for (Identity identity : new Identity[] {SUPPORT, TENANT}) {
            Decision decision = decide(identity, sql, Dialect.MARIADB);
            assertThat(decision.effect()).as(identity.principal() + ": " + sql).isEqualTo(Decision.Effect.DENY);
            assertThat(decision.rules()).as(sql).containsExactly("own-tenant");
            assertThat(decision.reason()).as(sql).contains("keeps a value past itself", "row filter own-tenant",
                    "next borrower of a pooled connection", "Keep only values that read no row-filtered table");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT set_config('app.x', (SELECT note FROM orders WHERE tenant_id = 'b'), false)",
            "SELECT set_config('app.z', 'x', false) FROM orders WHERE tenant_id = 'b' AND note LIKE 'S%'",
            "SELECT pg_advisory_lock(id) FROM orders WHERE tenant_id = 'b'",
            "SELECT setval('s', (SELECT max(id) FROM orders))",
            "SELECT pg_notify('ch', note) FROM orders",
    })
    void postgresKeptValuesFromAFilteredTableAreRefusedToEveryone(String sql) {
        for (Identity identity : new Identity[] {SUPPORT, TENANT}) {
            Decision decision = decide(identity, sql, Dialect.POSTGRESQL);
            assertThat(decision.effect()).as(identity.principal() + ": " + sql).isEqualTo(Decision.Effect.DENY);
            assertThat(decision.rules()).as(sql).containsExactly("own-tenant");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT note FROM orders WHERE tenant_id = 'b'",
            "SET @k = (SELECT name FROM customers WHERE id = 1)",
            "SELECT @k := name FROM customers",
            "SELECT set_config('app.tenant', 'a', false)",
            "SELECT LAST_INSERT_ID(5)",
    })
    void keepingValuesOfUnfilteredTablesAndReadingFilteredOnesStayAllowed(String sql) {
        assertThat(decide(SUPPORT, sql, Dialect.MARIADB).effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @org.junit.jupiter.api.Test
    void aSequenceIsResetFromAFilteredTableWithTheValueBound() {
        assertThat(decide(SUPPORT, "SELECT setval('orders_id_seq', (SELECT max(id) FROM orders))", Dialect.POSTGRESQL)
                .effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decide(SUPPORT, "SELECT max(id) FROM orders", Dialect.POSTGRESQL).effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(decide(SUPPORT, "SELECT setval('orders_id_seq', ?)", Dialect.POSTGRESQL).effect())
                .isEqualTo(Decision.Effect.ALLOW);
    }
}
