package io.governed.sql;

import io.governed.identity.Identity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowFilterRewriteCacheTest {

    private static final RowFilterRewriter.Filter TENANT = new RowFilterRewriter.Filter("tenant-isolation",
            t -> t.name().equals("orders"), RowCondition.parse("tenant_id = :identity.tenant"), List.of("orders"));
    private static final Identity ALICE = Identity.builder("alice").attribute("tenant", "t1").groups("sales").build();
    private static final Identity ANN = Identity.builder("ann").attribute("TENANT", "t1").build();
    private static final Identity BOB = Identity.builder("bob").attribute("tenant", "t2").build();

    @Test
    void aTextIsRewrittenOncePerValueItsFiltersRead() {
        RowFilterRewriteCache cache = new RowFilterRewriteCache(100);
        RowFilterRewriter.Rewrite first = cache.rewrite("SELECT * FROM orders WHERE id = ?", Dialect.POSTGRESQL, List.of(TENANT), ALICE);
        assertThat(cache.rewrite("SELECT * FROM orders WHERE id = ?", Dialect.POSTGRESQL, List.of(TENANT), ANN)).isSameAs(first);
        RowFilterRewriter.Rewrite other = cache.rewrite("SELECT * FROM orders WHERE id = ?", Dialect.POSTGRESQL, List.of(TENANT), BOB);
        assertThat(other.bindings()).extracting(RowFilterRewriter.Binding::value).contains("t2").doesNotContain("t1");
        assertThat(cache.rewrite("SELECT * FROM orders WHERE id = ?", Dialect.MARIADB, List.of(TENANT), ALICE)).isNotSameAs(first);
        assertThat(cache.stats().hitCount()).isEqualTo(1);
        assertThat(cache.stats().missCount()).isEqualTo(3);
    }

    @Test
    void refusalsAreNotKeptAndUnrelatedTextsAreNotLookedUp() {
        RowFilterRewriteCache cache = new RowFilterRewriteCache(100);
        Identity nobody = Identity.builder("carl").build();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.rewrite("SELECT * FROM orders", Dialect.POSTGRESQL, List.of(TENANT), nobody))
                    .isInstanceOf(RowFilterRewriter.RefusedException.class).hasMessageContaining("carl");
        }
        assertThat(cache.rewrite("SELECT * FROM items", Dialect.POSTGRESQL, List.of(TENANT), ALICE)).isNull();
        assertThat(cache.size()).isZero();
        assertThat(cache.stats().missCount()).isEqualTo(2);
    }
}
