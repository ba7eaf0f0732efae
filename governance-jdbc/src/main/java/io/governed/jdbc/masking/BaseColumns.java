package io.governed.jdbc.masking;

import io.governed.classification.QualifiedColumn;
import io.governed.sql.Dialect;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * The base table and column a result column comes from, as the driver reports it. Standard
 * {@code getTableName}/{@code getColumnName} serve most drivers; pgjdbc reports a column's label as
 * its name, so its base names are read through {@code org.postgresql.PGResultSetMetaData} when that
 * class is on the class path (found by reflection: this module does not depend on pgjdbc).
 */
final class BaseColumns {
    private static final PgNames PG = PgNames.find();

    private BaseColumns() {
    }

    /** The base column of result column {@code index}, or {@code null} when the driver names none. */
    static QualifiedColumn of(ResultSetMetaData md, int index, String defaultSchema, Dialect dialect) throws SQLException {
        String schema;
        String table;
        String column;
        if (PG != null && md.isWrapperFor(PG.type)) {
            Object pg = md.unwrap(PG.type);
            schema = PG.call(PG.schema, pg, index);
            table = PG.call(PG.table, pg, index);
            column = PG.call(PG.column, pg, index);
        } else {
            schema = md.getSchemaName(index);
            table = md.getTableName(index);
            column = md.getColumnName(index);
            if (isEmpty(schema) && dialect == Dialect.MARIADB) {
                schema = md.getCatalogName(index); // MariaDB's databases are its schemas
            }
        }
        if (isEmpty(table) || isEmpty(column) || dialect.isKeyAlias(column)) {
            // H2 names _ROWID_ as the base column of SELECT _rowid_: the key's other name, which no mask names, not
            // the column whose values it holds
            return null;
        }
        return new QualifiedColumn(isEmpty(schema) ? defaultSchema : schema, table, column);
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    /** pgjdbc's base-name methods. */
    private record PgNames(Class<?> type, Method schema, Method table, Method column) {
        static PgNames find() {
            try {
                Class<?> type = Class.forName("org.postgresql.PGResultSetMetaData", false, BaseColumns.class.getClassLoader());
                return new PgNames(type, type.getMethod("getBaseSchemaName", int.class),
                        type.getMethod("getBaseTableName", int.class), type.getMethod("getBaseColumnName", int.class));
            } catch (ClassNotFoundException | NoSuchMethodException | LinkageError absent) {
                return null;
            }
        }

        String call(Method method, Object target, int index) throws SQLException {
            try {
                return (String) method.invoke(target, index);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw new SQLException("Reading the result's base columns failed: " + e.getCause(), "22M01", e.getCause());
            } catch (IllegalAccessException e) {
                throw new SQLException("Reading the result's base columns failed: " + e, "22M01", e);
            }
        }
    }
}
