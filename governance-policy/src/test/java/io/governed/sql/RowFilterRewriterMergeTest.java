package io.governed.sql;

import io.governed.identity.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MERGE under row filters: the target's filters in the ON condition, the source filtered, new rows checked. */
class RowFilterRewriterMergeTest {

    private static final Identity ALICE = Identity.builder("alice").attribute("tenant", "t1").groups("sales", "eu").build();
    private static final RowFilterRewriter.Filter TENANT = new RowFilterRewriter.Filter("tenant-isolation",
            t -> t.name().equals("orders"), RowCondition.parse("tenant_id = :identity.tenant"));

    private static RowFilterRewriter.Rewrite rewrite(String sql, RowFilterRewriter.Filter... filters) {
        return rewrite(sql, Dialect.POSTGRESQL, filters);
    }

    private static RowFilterRewriter.Rewrite rewrite(String sql, Dialect dialect, RowFilterRewriter.Filter... filters) {
        return RowFilterRewriter.rewrite(sql, dialect, List.of(filters), ALICE);
    }

    @Test
    void theTargetsFilterIsAndedToTheOnConditionQualifiedByItsAlias() {
        RowFilterRewriter.Rewrite r = rewrite("MERGE INTO orders AS o USING items i ON o.id = i.order_id OR 1=1 "
                + "WHEN MATCHED AND i.qty > 2 THEN UPDATE SET total = i.qty WHEN MATCHED THEN DELETE", TENANT);
        assertThat(r.sql()).isEqualTo("MERGE INTO orders AS o USING items i ON (o.tenant_id = ?) "
                + "AND CASE WHEN (o.tenant_id = ?) THEN (o.id = i.order_id OR 1 = 1) END WHEN MATCHED AND i.qty > 2 THEN UPDATE SET total = i.qty WHEN MATCHED THEN DELETE");
        assertThat(r.bindings()).containsExactly(new RowFilterRewriter.Binding(0, "t1"), new RowFilterRewriter.Binding(0, "t1"));
        assertThat(r.filters()).containsExactly("tenant-isolation");
        assertThat(r.checks()).isEmpty();
        assertThat(r.unchanged()).isFalse();
    }

    @Test
    void anUnaliasedTargetIsQualifiedByItsName() {
        assertThat(rewrite("MERGE INTO public.orders USING items ON orders.id = items.order_id WHEN MATCHED THEN DELETE",
                TENANT).sql()).isEqualTo("MERGE INTO public.orders USING items ON orders.id = items.order_id "
                + "AND (orders.tenant_id = ?) WHEN MATCHED THEN DELETE");
    }

    @Test
    void aFilteredSourceBecomesAFilteredDerivedTableInUsingAndInASubquery() {
        RowFilterRewriter.Rewrite r = rewrite("MERGE INTO archive a USING orders o ON a.id = o.id "
                + "WHEN NOT MATCHED THEN INSERT (id, tenant_id) VALUES (o.id, o.tenant_id)", TENANT);
        assertThat(r.sql()).isEqualTo("MERGE INTO archive a USING (SELECT * FROM orders gvrf_1 WHERE (gvrf_1.tenant_id = ?) OFFSET 0) o "
                + "ON a.id = o.id WHEN NOT MATCHED THEN INSERT (id, tenant_id) VALUES (o.id, o.tenant_id)");
        assertThat(r.checks()).isEmpty();
        RowFilterRewriter.Rewrite sub = rewrite("MERGE INTO archive a USING (SELECT id FROM orders WHERE total > 1) s "
                + "ON a.id = s.id WHEN MATCHED AND EXISTS (SELECT 1 FROM orders x WHERE x.id = s.id) THEN DELETE", TENANT);
        assertThat(sub.sql()).isEqualTo("MERGE INTO archive a USING (SELECT id FROM (SELECT * FROM orders gvrf_1 WHERE "
                + "(gvrf_1.tenant_id = ?) OFFSET 0) AS orders WHERE total > 1) s ON a.id = s.id WHEN MATCHED AND EXISTS (SELECT 1 "
                + "FROM (SELECT * FROM orders gvrf_2 WHERE (gvrf_2.tenant_id = ?) OFFSET 0) x WHERE x.id = s.id) THEN DELETE");
        assertThat(sub.bindings()).extracting(RowFilterRewriter.Binding::value).containsExactly("t1", "t1");
    }

    @Test
    void theFilteredTableAsTargetAndSourceIsRestrictedTwice() {
        RowFilterRewriter.Rewrite r = rewrite("MERGE INTO orders t USING orders s ON t.id = s.id + 2 "
                + "WHEN MATCHED THEN UPDATE SET total = s.total", TENANT);
        assertThat(r.sql()).isEqualTo("MERGE INTO orders t USING (SELECT * FROM orders gvrf_1 WHERE (gvrf_1.tenant_id = ?) OFFSET 0) s "
                + "ON (t.tenant_id = ?) AND CASE WHEN (t.tenant_id = ?) THEN (t.id = s.id + 2) END WHEN MATCHED THEN UPDATE SET total = s.total");
        assertThat(r.bindings()).extracting(RowFilterRewriter.Binding::value).containsExactly("t1", "t1", "t1");
    }

    @Test
    void theInsertBranchIsCheckedWithItsLiteralsAndTheApplicationsParametersKeepTheirIndexes() {
        RowFilterRewriter.Rewrite r = rewrite("MERGE INTO orders o USING (SELECT ? AS id, 'x' AS note) s ON o.id = s.id "
                + "WHEN MATCHED THEN UPDATE SET total = ? WHEN NOT MATCHED AND s.note <> 'y' THEN "
                + "INSERT (id, tenant_id, total) VALUES (s.id, ?, -5)", TENANT);
        assertThat(r.sql()).isEqualTo("MERGE INTO orders o USING (SELECT ? AS id, 'x' AS note) s ON o.id = s.id "
                + "AND (o.tenant_id = ?) WHEN MATCHED THEN UPDATE SET total = ? WHEN NOT MATCHED AND s.note <> 'y' THEN "
                + "INSERT (id, tenant_id, total) VALUES (s.id, ?, -5)");
        assertThat(r.applicationParameters()).isEqualTo(3);
        assertThat(r.applicationIndexes()).containsExactly(0, 1, 3, 4);
        assertThat(r.bindings().get(1)).isEqualTo(new RowFilterRewriter.Binding(0, "t1"));
        assertThat(r.checks()).hasSize(1);
        assertThat(r.checks().get(0).filter()).isEqualTo("tenant-isolation");
        assertThat(r.checks().get(0).condition()).isEqualTo("? = ?");
        assertThat(r.checks().get(0).bindings()).containsExactly(new RowFilterRewriter.Binding(3, null),
                new RowFilterRewriter.Binding(0, "t1"));
    }

    @Test
    void aLiteralOfTheInsertBranchIsBoundAsWrittenAndEveryFilterIsChecked() {
        RowFilterRewriter.Filter tenant = new RowFilterRewriter.Filter("tenant-isolation",
                t -> t.name().equalsIgnoreCase("orders"), TENANT.condition());
        RowFilterRewriter.Filter level = new RowFilterRewriter.Filter("level", t -> t.name().equalsIgnoreCase("orders"),
                RowCondition.parse("lvl BETWEEN 1 AND 3"));
        RowFilterRewriter.Rewrite r = rewrite("MERGE INTO orders USING items ON orders.id = items.order_id "
                + "WHEN NOT MATCHED THEN INSERT (lvl, id, tenant_id) VALUES (2, items.order_id, 't1')", Dialect.H2, tenant, level);
        assertThat(r.sql()).isEqualTo("MERGE INTO orders USING items ON (orders.tenant_id = ?) AND (orders.lvl BETWEEN ? AND ?) "
                + "AND CASE WHEN (orders.tenant_id = ?) AND (orders.lvl BETWEEN ? AND ?) THEN (orders.id = items.order_id) END "
                + "WHEN NOT MATCHED THEN INSERT (lvl, id, tenant_id) VALUES (2, items.order_id, 't1')");
        assertThat(r.checks()).extracting(RowFilterRewriter.RowCheck::filter).containsExactly("tenant-isolation", "level");
        assertThat(r.checks().get(0).bindings()).extracting(RowFilterRewriter.Binding::value).containsExactly("t1", "t1");
        assertThat(r.checks().get(1).bindings()).extracting(RowFilterRewriter.Binding::value).containsExactly(2L, 1L, 3L);
        assertThat(r.filters()).containsExactly("tenant-isolation", "level");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN MATCHED THEN UPDATE SET tenant_id = 't2'"
                    + "|the MERGE sets tenant_id (WHEN MATCHED THEN UPDATE), which row filter tenant-isolation reads",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN MATCHED THEN UPDATE SET o.total = 1, o.TENANT_ID = i.t"
                    + "|the MERGE sets tenant_id",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN MATCHED THEN UPDATE SET (total, tenant_id) = (1, 't1')"
                    + "|which row filter tenant-isolation reads",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN NOT MATCHED THEN INSERT (id, tenant_id) VALUES (i.id, i.tenant_id)"
                    + "|gives the column tenant_id, which row filter tenant-isolation reads, by an expression (a column of "
                    + "the source, a function or a subquery), whose value is not known before the MERGE runs: give a "
                    + "literal or bind a ? parameter",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN NOT MATCHED THEN INSERT (id, tenant_id) VALUES (1, lower('T1'))"
                    + "|give a literal or bind a ? parameter",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN NOT MATCHED THEN INSERT (id, tenant_id) VALUES (1, (SELECT 't1'))"
                    + "|give a literal or bind a ? parameter",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN NOT MATCHED THEN INSERT (id, tenant_id) VALUES (1, DEFAULT)"
                    + "|give a literal or bind a ? parameter",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN NOT MATCHED THEN INSERT (id, tenant_id) VALUES (1, E't1')"
                    + "|plain literal",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN NOT MATCHED THEN INSERT (id, total) VALUES (1, 2)"
                    + "|does not give the column tenant_id, which row filter tenant-isolation reads",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN NOT MATCHED THEN INSERT VALUES (1, 't1')"
                    + "|has no column list: name the columns",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN NOT MATCHED THEN INSERT (id, tenant_id, tenant_id) VALUES (1, 't1', 't2')"
                    + "|names the column tenant_id twice",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN NOT MATCHED THEN INSERT (id, tenant_id) VALUES (1)"
                    + "|has 1 values for 2 columns",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN NOT MATCHED BY SOURCE THEN DELETE"
                    + "|WHEN NOT MATCHED BY SOURCE",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN NOT MATCHED BY SOURCE THEN UPDATE SET total = 0"
                    + "|WHEN NOT MATCHED BY SOURCE",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN MATCHED THEN UPDATE SET total = 0 WHERE o.x = 1 DELETE WHERE o.y = 2"
                    + "|DELETE WHERE",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN MATCHED THEN DO NOTHING"
                    + "|THEN DO NOTHING are not",
            "MERGE INTO orders KEY (id) VALUES (1, 't1')"
                    + "|H2's MERGE INTO … KEY (…) VALUES",
            "MERGE INTO orders o USING (SELECT 't1' AS tenant_id) O ON true WHEN MATCHED THEN DELETE"
                    + "|the source of the MERGE into orders is named like its target (o)",
            "MERGE INTO orders USING other.orders ON true WHEN MATCHED THEN DELETE"
                    + "|is named like its target (orders)",
            "MERGE INTO orders USING (items JOIN archive AS orders ON true) ON true WHEN MATCHED THEN DELETE"
                    + "|is named like its target (orders)",
            "MERGE INTO orders o USING items i ON o.id = i.id WHEN MATCHED THEN DELETE; SELECT 1"
                    + "|several statements",
    })
    void whatCannotBeRestrictedForCertainIsRefusedSayingWhy(String sql, String why) {
        assertThatThrownBy(() -> rewrite(sql, TENANT)).as(sql).isInstanceOf(RowFilterRewriter.RefusedException.class)
                .hasMessageContaining(why).hasMessageNotContaining("t2");
    }

    @Test
    void aFilterThatDoesNotCheckRefusesTheInsertBranchButNotTheOthers() {
        RowFilterRewriter.Filter unchecked = new RowFilterRewriter.Filter("tenant-isolation", t -> t.name().equals("orders"),
                TENANT.condition(), null, false);
        assertThatThrownBy(() -> rewrite("MERGE INTO orders o USING items i ON o.id = i.id "
                + "WHEN NOT MATCHED THEN INSERT (id, tenant_id) VALUES (1, 't1')", unchecked))
                .isInstanceOf(RowFilterRewriter.RefusedException.class).hasMessageContaining("check: false")
                .hasMessageContaining("WHEN NOT MATCHED THEN INSERT");
        assertThat(rewrite("MERGE INTO orders o USING items i ON o.id = i.id WHEN MATCHED THEN DELETE", unchecked).sql())
                .endsWith("AND (o.tenant_id = ?) WHEN MATCHED THEN DELETE");
    }

    @Test
    void aMergeOfOtherTablesIsLeftAloneAndTheRefusalNamesTheFilter() {
        assertThat(rewrite("MERGE INTO archive a USING items i ON a.id = i.id WHEN MATCHED THEN DELETE", TENANT)).isNull();
        assertThatThrownBy(() -> rewrite("MERGE INTO orders o USING items i ON o.id = i.id WHEN MATCHED THEN UPDATE "
                + "SET tenant_id = 'x'", TENANT)).isInstanceOfSatisfying(RowFilterRewriter.RefusedException.class,
                refused -> assertThat(refused.filters()).containsExactly("tenant-isolation"));
    }

    @Test
    void aMergeKeepsItsLiteralsAsWrittenAndCteReadsAreFiltered() {
        RowFilterRewriter.Rewrite r = rewrite("WITH src AS (SELECT id, 'it''s' AS note FROM orders) MERGE INTO orders o "
                + "USING src ON o.id = src.id WHEN MATCHED AND src.note = 'a -- b' THEN UPDATE SET note = src.note", TENANT);
        assertThat(r.sql()).isEqualTo("WITH src AS (SELECT id, 'it''s' AS note FROM (SELECT * FROM orders gvrf_1 WHERE "
                + "(gvrf_1.tenant_id = ?) OFFSET 0) AS orders) MERGE INTO orders o USING src ON o.id = src.id AND (o.tenant_id = ?) "
                + "WHEN MATCHED AND src.note = 'a -- b' THEN UPDATE SET note = src.note");
    }
}
