package io.governed.sql;

import io.governed.identity.Identity;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An ALTER TABLE or CREATE TABLE carrying MariaDB's UNION option, written every way MariaDB reads it (spacing and
 * comments between any tokens, any case, backquotes, database-qualified names, the option before or after ENGINE, with
 * or without {@code =} and a comma, INSERT_METHOD): the analysis either refuses the statement, or reads and writes every
 * listed table; and the row filter of a listed table refuses it, whatever the analysis made of it.
 */
class MariaDbMergeUnionPropertyTest {

    private static final SqlAnalyzer ANALYZER = new SqlAnalyzer(0);
    private static final Identity ALICE = Identity.builder("alice").attribute("tenant", "t1").build();
    private static final RowFilterRewriter.Filter TENANT = new RowFilterRewriter.Filter("tenant-isolation",
            t -> t.name().equals("orders"), RowCondition.parse("tenant_id = :identity.tenant"), List.of("orders"));

    private static final List<String> GAPS = List.of(" ", "  ", "\n", "\t", " /* union (x) */ ", "/**/", " -- c\n",
            " # c\n");
    private static final List<String> TABLES = List.of("orders", "items", "ledger");

    private static String gap(int choice) {
        return GAPS.get(Math.floorMod(choice, GAPS.size()));
    }

    private static String cased(String word, int choice) {
        return switch (Math.floorMod(choice, 3)) {
            case 0 -> word.toLowerCase(Locale.ROOT);
            case 1 -> word.toUpperCase(Locale.ROOT);
            default -> Character.toUpperCase(word.charAt(0)) + word.substring(1).toLowerCase(Locale.ROOT);
        };
    }

    @Property(tries = 600)
    void theListedTablesAreReadAndWrittenOrTheStatementIsRefused(
            @ForAll @Size(min = 40, max = 40) List<@IntRange(min = 0, max = 1000) Integer> c,
            @ForAll @IntRange(min = 1, max = 3) int count, @ForAll boolean create) {
        int k = 0;
        List<TableRef> expected = new ArrayList<>();
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String table = TABLES.get((i + c.get(k++)) % TABLES.size());
            boolean qualified = c.get(k++) % 2 == 0;
            boolean quoted = c.get(k++) % 2 == 0;
            String name = quoted ? "`" + table + "`" : table;
            String schema = quoted ? "`shop`" : "shop";
            if (i > 0) {
                list.append(gap(c.get(k++))).append(',');
            }
            list.append(gap(c.get(k++))).append(qualified ? schema + "." + name : name);
            expected.add(new TableRef(qualified ? "shop" : null, table));
        }
        String union = cased("union", c.get(k++)) + (c.get(k++) % 2 == 0 ? gap(c.get(k++)) + "=" : "") + gap(c.get(k++))
                + "(" + list + gap(c.get(k++)) + ")";
        String engine = cased("engine", c.get(k++)) + gap(c.get(k++)) + "=" + gap(c.get(k++))
                + (c.get(k++) % 2 == 0 ? cased("merge", c.get(k++)) : "MRG_MyISAM");
        String method = c.get(k++) % 2 == 0 ? "" : gap(c.get(k++)) + "INSERT_METHOD=" + (c.get(k++) % 2 == 0 ? "LAST" : "FIRST");
        String options = switch (c.get(k++) % 3) {
            case 0 -> union + gap(c.get(k++)) + engine + method;
            case 1 -> engine + gap(c.get(k++)) + "," + gap(c.get(k++)) + union + method;
            default -> engine + gap(c.get(k++)) + union + method;
        };
        String sql = create
                ? cased("create", c.get(k++)) + " TABLE" + gap(c.get(k++)) + "mine (id int, tenant_id int)" + gap(c.get(k++)) + options
                : cased("alter", c.get(k++)) + gap(c.get(k++)) + cased("table", c.get(k++)) + gap(c.get(k++)) + "mine"
                + gap(c.get(k++)) + options;
        SqlAnalysis a = ANALYZER.analyze(sql, Dialect.MARIADB);
        if (a.parsed()) {
            assertThat(a.statements()).as(sql).hasSize(1);
            assertThat(a.statements().get(0).tablesRead()).as(sql).containsAll(expected);
            assertThat(a.statements().get(0).tablesWritten()).as(sql).containsAll(expected);
        }
        if (expected.stream().anyMatch(t -> t.name().equals("orders"))) {
            assertThatThrownBy(() -> RowFilterRewriter.rewrite(sql, Dialect.MARIADB, List.of(TENANT), ALICE)).as(sql)
                    .isInstanceOf(RowFilterRewriter.RefusedException.class);
        }
    }
}
