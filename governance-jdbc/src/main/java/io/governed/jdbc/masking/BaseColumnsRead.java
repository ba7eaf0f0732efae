package io.governed.jdbc.masking;

import io.governed.classification.QualifiedColumn;
import io.governed.sql.Dialect;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query a result set with no statement of its own amounts to (a refcursor's rows, which a routine opened on the
 * server): a SELECT of the base columns the driver names for it, from their tables. The gate decides that query for
 * the caller, so a routine the caller may call cannot hand out the rows of a table the caller may not read.
 */
public final class BaseColumnsRead {
    private BaseColumnsRead() {
    }

    /**
     * {@code SELECT b1."c", b2."d" FROM "s"."t" AS b1, "s"."u" AS b2} for the base columns of {@code md}, or
     * {@code null} when the driver names none (such columns are redacted by their masks instead).
     */
    public static String of(ResultSetMetaData md, Dialect dialect) throws SQLException {
        Map<String, String> aliases = new LinkedHashMap<>();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            QualifiedColumn base = BaseColumns.of(md, i, null, dialect);
            if (base == null) {
                continue;
            }
            String table = base.schema() == null || base.schema().isEmpty() ? dialect.quoted(base.table())
                    : dialect.quoted(base.schema()) + "." + dialect.quoted(base.table());
            String alias = aliases.computeIfAbsent(table, t -> "b" + (aliases.size() + 1));
            columns.add(alias + "." + dialect.quoted(base.column()));
        }
        if (columns.isEmpty()) {
            return null;
        }
        List<String> from = new ArrayList<>();
        aliases.forEach((table, alias) -> from.add(table + " AS " + alias));
        return "SELECT " + String.join(", ", columns) + " FROM " + String.join(", ", from);
    }

    /**
     * Whether the driver names a table column that result column {@code index} was read from: the server tells it only
     * for a column read as it is stored (PostgreSQL's row description), never for a value written, computed or returned
     * by a routine.
     */
    public static boolean isTableColumn(ResultSetMetaData md, int index, Dialect dialect) throws SQLException {
        return BaseColumns.of(md, index, null, dialect) != null;
    }
}
