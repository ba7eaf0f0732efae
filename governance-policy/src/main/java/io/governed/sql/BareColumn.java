package io.governed.sql;

import java.util.List;
import java.util.Objects;

/**
 * An unqualified column name inside a subquery of an UPDATE's or DELETE's condition that the condition's bound relies
 * on being the subquery's own. SQL resolves such a name to the nearest query level that has a column of that name: when
 * no table of the subquery (nor of a subquery between it and the statement) has one, it is the written table's column,
 * and {@code id IN (SELECT id FROM audit_log)} is {@code payments.id IN (SELECT payments.id FROM audit_log)}, true for
 * every row. Whether a table has the column is the database catalog's to say, so the analysis records the name and the
 * tables that may hold it, and the bound counts only once the catalog shows one of them does
 * ({@link io.governed.sql.names.AnalysisResolution}).
 *
 * @param column the name, as the database stores it (unquoted names folded)
 * @param tables the plain tables (and views) of the query levels between the name and the statement, innermost first, as
 *               the statement names them: the name is the subquery's own when one of them has a column of that name.
 *               Empty when no relation whose columns can be known is there (a derived table selecting {@code *}, a table
 *               function, VALUES): then nothing proves it
 */
public record BareColumn(String column, List<TableRef> tables) {
    public BareColumn {
        Objects.requireNonNull(column, "column");
        tables = List.copyOf(tables);
    }

    /** The tables, as written, joined by {@code ", "}; {@code "-"} when none. */
    public String tableList() {
        return tables.isEmpty() ? "-" : String.join(", ", tables.stream().map(TableRef::qualifiedName).toList());
    }

    /**
     * Why a write whose bound rests on {@code names} is not known to be bounded, and how to fix it, for a denial: names of
     * columns and tables only, never a value.
     */
    public static String explain(List<BareColumn> names) {
        StringBuilder b = new StringBuilder();
        for (BareColumn name : names) {
            b.append(b.length() == 0 ? "" : "; ").append("the unqualified name ").append(name.column())
                    .append(" inside a subquery of its condition");
            if (name.tables().isEmpty()) {
                b.append(" is not a column of any table whose columns can be known there (a derived table selecting *,"
                        + " a table function or VALUES)");
            } else {
                b.append(" could not be found in ").append(name.tableList());
            }
            b.append(", so it may be the written table's own column, which makes the condition hold for every row");
        }
        String first = names.isEmpty() || names.get(0).tables().isEmpty() ? "t" : names.get(0).tables().get(0).name();
        String column = names.isEmpty() ? "id" : names.get(0).column();
        return b + ". Qualify each such name with the name or alias of the subquery's table (" + first + "." + column
                + "), or with the written table's if it is meant to be that";
    }
}
