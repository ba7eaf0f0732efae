package io.governed.sql;

import io.governed.identity.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RowFilterRewriter#rewriteForUpdate}: a query of the filtered table alone keeps the table and gets the filter
 * in its WHERE (so a driver can update its rows); every other statement is rewritten as {@link RowFilterRewriter#rewrite}
 * rewrites it.
 */
class RowFilterRewriteForUpdateTest {
    private static final Identity ALICE = Identity.builder("alice").attribute("tenant", "t1").build();
    private static final RowFilterRewriter.Filter TENANT = new RowFilterRewriter.Filter("tenant-isolation",
            t -> t.name().equals("orders"), RowCondition.parse("tenant_id = :identity.tenant AND status <> 'gone'"));

    private static RowFilterRewriter.Rewrite forUpdate(String sql) {
        return RowFilterRewriter.rewriteForUpdate(sql, Dialect.POSTGRESQL, List.of(TENANT), ALICE);
    }

    @Test
    void aQueryOfTheTableAloneGetsTheFilterAndedToItsWhere() {
        RowFilterRewriter.Rewrite r = forUpdate("SELECT id, total FROM orders o WHERE o.total > ? OR 1=1 ORDER BY id");
        assertThat(r.sql()).isEqualTo("SELECT id, total FROM orders o WHERE (o.tenant_id = ? AND o.status <> ?) "
                + "AND CASE WHEN (o.tenant_id = ? AND o.status <> ?) THEN (o.total > ? OR 1 = 1) END ORDER BY id");
        assertThat(r.readInPlace()).isTrue();
        assertThat(r.unchanged()).isFalse();
        assertThat(r.applicationIndexes()).containsExactly(0, 5);
        assertThat(r.bindings()).extracting(RowFilterRewriter.Binding::value).containsExactly("t1", "gone", "t1", "gone", null);
        assertThat(forUpdate("SELECT * FROM orders").sql())
                .isEqualTo("SELECT * FROM orders WHERE (orders.tenant_id = ? AND orders.status <> ?)");
    }

    @Test
    void subqueriesOfTheTableInsideItAreStillDerivedTables() {
        RowFilterRewriter.Rewrite r = forUpdate("SELECT id FROM orders WHERE id IN (SELECT id FROM orders WHERE total > 1)");
        assertThat(r.readInPlace()).isTrue();
        assertThat(r.sql()).startsWith("SELECT id FROM orders WHERE (orders.tenant_id = ? AND orders.status <> ?) AND CASE WHEN "
                + "(orders.tenant_id = ? AND orders.status <> ?) THEN (id IN (SELECT id FROM (SELECT * FROM orders gvrf_1 WHERE")
                .endsWith("OFFSET 0) AS orders WHERE total > 1)) END");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT o.id FROM orders o JOIN items i ON i.order_id = o.id",
            "SELECT id FROM orders UNION SELECT id FROM orders",
            "WITH x AS (SELECT 1) SELECT id FROM orders",
            "SELECT id FROM (SELECT * FROM orders) s",
            "SELECT id FROM items WHERE order_id IN (SELECT id FROM orders)",
    })
    void anyOtherQueryIsRewrittenWithDerivedTablesAsBefore(String sql) {
        RowFilterRewriter.Rewrite r = forUpdate(sql);
        assertThat(r.readInPlace()).isFalse();
        assertThat(r.sql()).isEqualTo(RowFilterRewriter.rewrite(sql, Dialect.POSTGRESQL, List.of(TENANT), ALICE).sql());
        assertThat(r.sql()).contains("gvrf_1");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "UPDATE orders SET total = 1 WHERE id = 2",
            "DELETE FROM orders WHERE id = 2",
            "INSERT INTO orders (id, tenant_id, status) VALUES (1, 't1', 'new')",
    })
    void writesAreRewrittenAsBefore(String sql) {
        RowFilterRewriter.Rewrite r = forUpdate(sql);
        assertThat(r.readInPlace()).isFalse();
        assertThat(r).isEqualTo(RowFilterRewriter.rewrite(sql, Dialect.POSTGRESQL, List.of(TENANT), ALICE));
    }

    @Test
    void theCacheKeepsTheTwoRewritesApart() {
        RowFilterRewriteCache cache = new RowFilterRewriteCache();
        String sql = "SELECT * FROM orders";
        assertThat(cache.rewrite(sql, Dialect.POSTGRESQL, List.of(TENANT), ALICE, true).readInPlace()).isTrue();
        assertThat(cache.rewrite(sql, Dialect.POSTGRESQL, List.of(TENANT), ALICE).readInPlace()).isFalse();
        assertThat(cache.rewrite(sql, Dialect.POSTGRESQL, List.of(TENANT), ALICE, true).readInPlace()).isTrue();
    }
}
