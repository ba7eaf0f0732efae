package io.governed.jdbc.wrapper;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A metadata result whose columns of the given labels read as SQL NULL: every getter of such a column, by index or
 * by label, gives {@code null} (0 or {@code false} for the primitive ones, with {@code wasNull()} true), and every
 * updater of one is refused. Used for the default expressions of {@code getColumns} ({@code COLUMN_DEF}),
 * {@code getAttributes} ({@code ATTR_DEF}) and {@code getProcedureColumns} ({@code COLUMN_DEF}), which may hold a
 * literal written into the schema (a default key, a default value of a masked column) and which the same caller reads
 * redacted through {@code information_schema.columns.column_default}. A method of {@code ResultSet} not named here
 * ({@code get…}, {@code update…}) passes on unchanged; a getter taking a column is recognised by its name and its
 * first parameter, so one a later JDBC adds is covered too.
 */
final class UntoldColumns implements InvocationHandler {
    private final ResultSet delegate;
    private final Set<Integer> indexes;
    private final Set<String> labels;
    private boolean lastUntold;

    private UntoldColumns(ResultSet delegate, Set<Integer> indexes, Set<String> labels) {
        this.delegate = delegate;
        this.indexes = indexes;
        this.labels = labels;
    }

    /** {@code raw} with the columns of those labels (compared without regard to case) untold; {@code raw} when it has none. */
    static ResultSet of(ResultSet raw, String... untold) throws SQLException {
        if (raw == null) {
            return null;
        }
        ResultSetMetaData md = raw.getMetaData();
        Set<Integer> indexes = new HashSet<>();
        Set<String> labels = new HashSet<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            for (String label : untold) {
                if (label.equalsIgnoreCase(md.getColumnLabel(i)) || label.equalsIgnoreCase(md.getColumnName(i))) {
                    indexes.add(i);
                    labels.add(md.getColumnLabel(i).toUpperCase(Locale.ROOT));
                    labels.add(md.getColumnName(i).toUpperCase(Locale.ROOT));
                }
            }
        }
        if (indexes.isEmpty()) {
            return raw;
        }
        return (ResultSet) Proxy.newProxyInstance(UntoldColumns.class.getClassLoader(), new Class<?>[] {ResultSet.class},
                new UntoldColumns(raw, indexes, labels));
    }

    private boolean untold(Object column) {
        if (column instanceof Integer index) {
            return indexes.contains(index);
        }
        return column instanceof String label && labels.contains(label.toUpperCase(Locale.ROOT));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        boolean byColumn = args != null && args.length > 0 && (args[0] instanceof Integer || args[0] instanceof String)
                && (name.startsWith("get") || name.startsWith("update"));
        if (byColumn && untold(args[0])) {
            if (name.startsWith("update")) {
                throw new SQLFeatureNotSupportedException("This column of the database's metadata is not told to a "
                        + "caller a mask applies to, and a metadata result is not written", "0A000");
            }
            lastUntold = true;
            Class<?> type = method.getReturnType();
            if (type == boolean.class) {
                return false;
            }
            if (type.isPrimitive()) {
                return type == float.class ? 0f : type == double.class ? 0d : type == long.class ? 0L
                        : type == short.class ? (short) 0 : type == byte.class ? (byte) 0 : 0;
            }
            return null;
        }
        if (name.equals("wasNull") && (args == null || args.length == 0)) {
            return lastUntold || delegate.wasNull();
        }
        if (name.equals("unwrap") || name.equals("isWrapperFor")) {
            throw new SQLException("A metadata result with untold columns is not unwrapped", "42501");
        }
        if (byColumn) {
            lastUntold = false;
        }
        try {
            return method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
