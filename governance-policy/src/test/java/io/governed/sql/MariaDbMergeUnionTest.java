package io.governed.sql;

import io.governed.identity.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * MariaDB's UNION=(t, …) table option makes a MERGE table a second name for the listed tables: reading it reads their
 * rows, and UPDATE or DELETE through it changes them. An ALTER TABLE (or CREATE TABLE) carrying the option reads every
 * listed table and makes its rows the altered table's, as an ATTACH PARTITION does: each listed table is read and
 * written by the statement. A list that cannot be read for certain refuses the statement for everyone.
 */
class MariaDbMergeUnionTest {
    private static final SqlAnalyzer ANALYZER = new SqlAnalyzer(0);

    static StatementAnalysis analysed(String sql) {
        SqlAnalysis analysis = ANALYZER.analyze(sql, Dialect.MARIADB);
        assertThat(analysis.parsed()).as(sql + ": " + analysis.parseError()).isTrue();
        assertThat(analysis.statements()).as(sql).hasSize(1);
        return analysis.statements().get(0);
    }

    private static final TableRef MINE = new TableRef(null, "mine");
    private static final TableRef ORDERS = new TableRef(null, "orders");
    private static final TableRef SHOP_ORDERS = new TableRef("shop", "orders");
    private static final TableRef ITEMS = new TableRef(null, "items");

    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER TABLE mine UNION=(orders) ENGINE=MERGE",
            "ALTER TABLE mine UNION=(orders)",
            "alter table mine union=(orders) engine=merge",
            "ALTER TABLE mine UNION = ( orders ) ENGINE = MERGE INSERT_METHOD = LAST",
            "ALTER TABLE mine UNION (orders) ENGINE=MRG_MyISAM",
            "ALTER TABLE `mine` UNION=(`orders`) ENGINE=MERGE",
            "ALTER TABLE mine /* a */ UNION /* b */ = /* c */ ( /* d */ orders /* e */ ) ENGINE=MERGE",
            "ALTER TABLE mine -- x\n UNION=(orders)\n ENGINE=MERGE",
            "ALTER TABLE mine ENGINE=MERGE, UNION=(orders)",
            "ALTER TABLE mine ADD COLUMN note int, UNION=(orders)",
            "ALTER TABLE mine UnIoN=(OrDeRs) ENGINE=MERGE",
    })
    void theListedTableIsReadAndItsRowsBecomeTheAlteredTables(String sql) {
        StatementAnalysis s = analysed(sql);
        assertThat(s.action()).as(sql).isEqualTo(Action.ALTER);
        Set<TableRef> orders = ANALYZER.analyze(sql.contains("OrDeRs") ? "SELECT * FROM OrDeRs" : "SELECT * FROM orders",
                Dialect.MARIADB).statements().get(0).tablesRead();
        assertThat(s.tablesRead()).as(sql).containsAll(orders);
        assertThat(s.tablesWritten()).as(sql).contains(MINE).containsAll(orders);
    }

    @Test
    void everyListedTableQualifiedOrNotIsReadAndWritten() {
        StatementAnalysis s = analysed("ALTER TABLE mine UNION=(orders, shop.orders, `items`) ENGINE=MERGE");
        assertThat(s.tablesRead()).containsExactlyInAnyOrder(ORDERS, SHOP_ORDERS, ITEMS);
        assertThat(s.tablesWritten()).containsExactlyInAnyOrder(MINE, ORDERS, SHOP_ORDERS, ITEMS);
        StatementAnalysis quoted = analysed("ALTER TABLE mine UNION=(`shop`.`orders`)");
        assertThat(quoted.tablesRead()).containsExactly(SHOP_ORDERS);
        // an unqualified listed table is in the MERGE table's database
        StatementAnalysis there = analysed("ALTER TABLE app.mine UNION=(orders)");
        assertThat(there.tablesRead()).containsExactly(new TableRef("app", "orders"));
    }

    @Test
    void anEmptyListReadsNothing() {
        StatementAnalysis s = analysed("ALTER TABLE mine UNION=() ENGINE=MERGE");
        assertThat(s.tablesRead()).isEmpty();
        assertThat(s.tablesWritten()).containsExactly(MINE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER TABLE mine UNION=orders ENGINE=MERGE",
            "ALTER TABLE mine UNION=(a.b.orders) ENGINE=MERGE",
            "ALTER TABLE mine UNION=(orders,) ENGINE=MERGE",
            "ALTER TABLE mine UNION=((orders)) ENGINE=MERGE",
            "ALTER TABLE mine UNION=(orders x) ENGINE=MERGE",
            "ALTER TABLE mine UNION",
            "ALTER TABLE mine UNION=(orders",
            "ALTER TABLE mine UNION=('orders') ENGINE=MERGE",
    })
    void aListThatCannotBeReadForCertainRefusesTheStatementForEveryone(String sql) {
        SqlAnalysis a = ANALYZER.analyze(sql, Dialect.MARIADB);
        assertThat(a.parsed()).as(sql).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE TABLE t (id int) ENGINE=MERGE UNION=(orders)",
            "CREATE TABLE t (id int) UNION=(orders) ENGINE=MERGE",
            "CREATE TABLE t (id int) UNION (orders) ENGINE=MRG_MyISAM INSERT_METHOD=LAST",
            "CREATE TABLE t (id int) ENGINE=MERGE, UNION=(orders)",
            "CREATE OR REPLACE TABLE t (id int) ENGINE=MERGE UNION=(orders)",
            "CREATE TABLE t ENGINE=MERGE UNION=(orders) AS SELECT 1 AS id",
    })
    void aCreateTableWithTheOptionIsRefusedOrReadsAndWritesTheListedTable(String sql) {
        SqlAnalysis a = ANALYZER.analyze(sql, Dialect.MARIADB);
        if (a.parsed()) {
            StatementAnalysis s = a.statements().get(0);
            assertThat(s.tablesRead()).as(sql).contains(ORDERS);
            assertThat(s.tablesWritten()).as(sql).contains(ORDERS);
        }
    }

    @Test
    void aSetOperationInACreatedTablesQueryIsNoTableOption() {
        StatementAnalysis s = analysed("CREATE TABLE t AS SELECT id FROM orders UNION SELECT id FROM items");
        assertThat(s.tablesWritten()).containsExactly(new TableRef(null, "t"));
        assertThat(s.tablesRead()).containsExactlyInAnyOrder(ORDERS, ITEMS);
        assertThat(analysed("CREATE TABLE t AS SELECT 1 UNION (SELECT 2)").tablesWritten())
                .containsExactly(new TableRef(null, "t"));
    }

    @Test
    void otherChangesStillReadNoOtherTable() {
        assertThat(analysed("ALTER TABLE mine ENGINE=MERGE").tablesRead()).isEmpty();
        assertThat(analysed("ALTER TABLE mine ENGINE=MERGE").tablesWritten()).containsExactly(MINE);
        assertThat(analysed("ALTER TABLE mine COMMENT='union (orders)'").tablesWritten()).containsExactly(MINE);
        assertThat(analysed("ALTER TABLE mine ADD COLUMN `union` int").tablesWritten()).containsExactly(MINE);
    }

    @Test
    void aCallerFilteredOnAListedTableIsRefusedTheAlter() {
        Identity alice = Identity.builder("alice").attribute("tenant", "t1").build();
        RowFilterRewriter.Filter tenant = new RowFilterRewriter.Filter("tenant-isolation",
                t -> t.name().equals("orders"), RowCondition.parse("tenant_id = :identity.tenant"), List.of("orders"));
        for (String sql : List.of("ALTER TABLE mine UNION=(orders) ENGINE=MERGE", "ALTER TABLE mine UNION (shop.`orders`)",
                "ALTER TABLE mine ENGINE=MERGE, UNION=(items, orders)", "alter table mine /* x */ union=(ORDERS)")) {
            assertThatThrownBy(() -> RowFilterRewriter.rewrite(sql, Dialect.MARIADB, List.of(tenant), alice))
                    .as(sql).isInstanceOf(RowFilterRewriter.RefusedException.class)
                    .hasMessageContaining("orders");
        }
        assertThat(RowFilterRewriter.rewrite("ALTER TABLE mine UNION=(items) ENGINE=MERGE", Dialect.MARIADB,
                List.of(tenant), alice)).isNull();
    }
}
