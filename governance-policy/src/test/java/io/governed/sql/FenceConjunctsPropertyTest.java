package io.governed.sql;

import io.governed.identity.Identity;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated WHERE clauses of safe and unsafe conjuncts, each unsafe one holding its own number: in every rewrite
 * (a query of the table alone, with a join, an UPDATE, a DELETE, a query whose results are updatable, on PostgreSQL,
 * MariaDB and H2), no unsafe conjunct's number stands where conditions are evaluated before the filter admits the
 * row (inside the derived table's fence, or before the CASE of an UPDATE's, DELETE's or in-place query's WHERE); and
 * on PostgreSQL every literal-only safe conjunct is there.
 */
class FenceConjunctsPropertyTest {

    private static final Identity ALICE = Identity.builder("alice").attribute("tenant", "t1").build();
    private static final RowFilterRewriter.Filter TENANT = new RowFilterRewriter.Filter("tenant-isolation",
            t -> t.name().equalsIgnoreCase("orders"), RowCondition.parse("tenant_id = :identity.tenant"));

    /** A conjunct's form, {@code K} standing for its number. */
    record Form(String text, boolean safeOnPostgresql) {
    }

    private static final List<Form> FORMS = List.of(
            new Form("o.total = K", true), new Form("o.total <> K", true), new Form("K < o.total", true),
            new Form("o.total >= -K", true), new Form("o.total IN (K, 1)", true), new Form("o.total BETWEEN K AND 2", true),
            new Form("o.note = 'K'", true), new Form("o.total NOT IN (K)", true),
            new Form("1 / o.total = K", false), new Form("o.note::int = K", false), new Form("'K' ~ o.note", false),
            new Form("CAST(o.note AS int) = K", false), new Form("o.note LIKE 'K%'", false),
            new Form("o.total = o.id + K", false), new Form("upper(o.note) = 'K'", false),
            new Form("(o.total = K OR o.note = 'x')", false), new Form("o.total + 0 = K", false),
            new Form("o.total = (SELECT K)", false), new Form("CASE WHEN o.note = 'K' THEN 1 ELSE 0 END = 1", false),
            new Form("NOT o.total = K", false), new Form("o.total = ? + K", false), new Form("o.total IN (SELECT K)", false),
            new Form("o.total = abs(K)", false), new Form("o.total IS DISTINCT FROM K", false),
            new Form("IF(o.note = 'K', 1, 2) = 1", false), new Form("o.total BETWEEN ? AND K", false),
            new Form("(o.total = K OR 1 / o.total = 1)", false));

    private static final List<String> SHAPES = List.of(
            "SELECT o.id FROM orders o WHERE ", "SELECT o.id FROM orders o JOIN items i ON i.order_id = o.id WHERE ",
            "UPDATE orders o SET total = 1 WHERE ", "DELETE FROM orders o WHERE ", "IN PLACE SELECT o.id FROM orders o WHERE ");

    @Provide
    Arbitrary<List<Integer>> conjuncts() {
        return Arbitraries.integers().between(0, FORMS.size() - 1).list().ofMinSize(1).ofMaxSize(5);
    }

    @Property(tries = 400)
    void noUnsafeConjunctIsEvaluatedBeforeTheFilter(@ForAll("conjuncts") List<Integer> forms,
                                                    @ForAll Dialect dialect, @ForAll("shapes") String shape) {
        if (dialect != Dialect.POSTGRESQL && dialect != Dialect.MARIADB && dialect != Dialect.H2) {
            return;
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < forms.size(); i++) {
            String form = FORMS.get(forms.get(i)).text();
            parts.add(form.replace("K", String.valueOf(1000 + i)));
        }
        boolean inPlace = shape.startsWith("IN PLACE ");
        String sql = (inPlace ? shape.substring("IN PLACE ".length()) : shape) + String.join(" AND ", parts);
        RowFilterRewriter.Rewrite r;
        try {
            r = inPlace ? RowFilterRewriter.rewriteForUpdate(sql, dialect, List.of(TENANT), ALICE)
                    : RowFilterRewriter.rewrite(sql, dialect, List.of(TENANT), ALICE);
        } catch (RowFilterRewriter.RefusedException refused) {
            return; // refused: nothing runs
        }
        String before = beforeTheFilter(r.sql());
        for (int i = 0; i < forms.size(); i++) {
            Form form = FORMS.get(forms.get(i));
            boolean there = Pattern.compile("(?<![0-9])" + (1000 + i) + "(?![0-9])").matcher(before).find();
            if (!form.safeOnPostgresql() || dialect != Dialect.POSTGRESQL) {
                assertThat(there).as("%s: %s in %s", dialect, form.text(), r.sql()).isFalse();
            } else if (dialect == Dialect.POSTGRESQL && !shape.contains("JOIN")) {
                assertThat(there).as("%s: %s in %s", dialect, form.text(), r.sql()).isTrue();
            }
        }
    }

    @Provide
    Arbitrary<String> shapes() {
        return Arbitraries.of(SHAPES);
    }

    /** Where conditions are evaluated on rows the filter has not admitted yet. */
    private static String beforeTheFilter(String sql) {
        int derived = sql.indexOf("FROM orders gvrf_1 WHERE ");
        if (derived >= 0 && !sql.startsWith("UPDATE") && !sql.startsWith("DELETE")) {
            int end = sql.indexOf(") AS", derived);
            int close = sql.indexOf(") o", derived);
            int stop = end < 0 ? close : close < 0 ? end : Math.min(end, close);
            return sql.substring(derived, stop < 0 ? sql.length() : stop);
        }
        int where = sql.indexOf(" WHERE ");
        int gate = sql.indexOf(" CASE WHEN ", where);
        return sql.substring(where, gate < 0 ? sql.length() : gate);
    }

    /**
     * A conjunct's form for MariaDB and H2 given the catalog's types ({@code id} and {@code total} integer columns,
     * {@code note} a string column), {@code K} standing for its number, and whether it goes beside the filter.
     */
    record TypedForm(String text, boolean besideTheFilter) {
    }

    private static final List<TypedForm> TYPED_FORMS = List.of(
            new TypedForm("o.total = K", true), new TypedForm("K = o.total", true), new TypedForm("o.total = -K", true),
            new TypedForm("o.note = K", false), new TypedForm("o.total = 'K'", false), new TypedForm("o.total = K.5", false),
            new TypedForm("o.total <> K", false), new TypedForm("o.total IN (K)", false), new TypedForm("o.total < K", false),
            new TypedForm("o.total = K + 0", false), new TypedForm("o.total + 0 = K", false),
            new TypedForm("o.total = 0xK", false), new TypedForm("o.total = KE0", false),
            new TypedForm("o.total = K000000000", false), new TypedForm("o.note = 'K'", false),
            new TypedForm("1 / o.total = K", false), new TypedForm("(o.total = K OR o.note = 'x')", false),
            new TypedForm("NOT o.total = K", false), new TypedForm("o.unknown = K", false));

    @Provide
    Arbitrary<List<Integer>> typedConjuncts() {
        return Arbitraries.integers().between(0, TYPED_FORMS.size() - 1).list().ofMinSize(1).ofMaxSize(5);
    }

    /**
     * With the column types known, on MariaDB and H2: no conjunct but an integer column's comparison with an integer
     * of its range stands where conditions are evaluated before the filter; such a comparison is there wherever the
     * filtered table's conditions are (MariaDB's fenced derived table, an inner join's too, an UPDATE's, DELETE's or in-place query's WHERE; not H2's plain derived table); every
     * conjunct, whether there or not, is still evaluated on admitted rows (it stays in the condition outside).
     */
    @Property(tries = 400)
    void onMariadbAndH2OnlyIntegerKeysOfIntegerColumnsGoBesideTheFilter(@ForAll("typedConjuncts") List<Integer> forms,
                                                                          @ForAll("shapes") String shape,
                                                                          @ForAll boolean mariadb) {
        Dialect dialect = mariadb ? Dialect.MARIADB : Dialect.H2;
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < forms.size(); i++) {
            parts.add(TYPED_FORMS.get(forms.get(i)).text().replace("K", String.valueOf(1000 + i)));
        }
        boolean inPlace = shape.startsWith("IN PLACE ");
        String sql = (inPlace ? shape.substring("IN PLACE ".length()) : shape) + String.join(" AND ", parts);
        RowFilterRewriter.ColumnTypes types = (schema, table, column) -> !table.equalsIgnoreCase("orders") ? null
                : column.equalsIgnoreCase("note") ? (mariadb ? "varchar(40)" : "CHARACTER VARYING")
                : column.equalsIgnoreCase("id") || column.equalsIgnoreCase("total") ? (mariadb ? "int(11)" : "INTEGER")
                : null;
        RowFilterRewriter.Rewrite r;
        try {
            r = RowFilterRewriter.rewrite(sql, dialect, List.of(TENANT), ALICE, inPlace, types).rewrite();
        } catch (RowFilterRewriter.RefusedException refused) {
            return; // refused: nothing runs
        }
        String before = beforeTheFilter(r.sql());
        String after = r.sql().substring(r.sql().indexOf(before) + before.length());
        // MariaDB's fenced derived table takes them (an inner join's too); H2's plain one is seen through by H2 itself
        boolean pushes = mariadb || shape.startsWith("UPDATE") || shape.startsWith("DELETE") || inPlace;
        for (int i = 0; i < forms.size(); i++) {
            TypedForm form = TYPED_FORMS.get(forms.get(i));
            Pattern number = Pattern.compile("(?<![0-9])" + (1000 + i)); // K000000000 continues with digits
            assertThat(number.matcher(before).find()).as("%s: %s in %s", dialect, form.text(), r.sql())
                    .isEqualTo(form.besideTheFilter() && pushes);
            assertThat(number.matcher(after).find()).as("%s: %s still evaluated after the filter in %s", dialect,
                    form.text(), r.sql()).isTrue();
        }
    }
}
