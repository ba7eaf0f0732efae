package io.governed.jdbc.support;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;

/**
 * A data source whose driver objects throw what a test arms them with, once, the way a buggy or proxied driver throws
 * an unchecked exception instead of an {@link java.sql.SQLException}: the next {@code execute*} of a statement whose SQL
 * mentions the marker table (its prepared SQL, the SQL given to the call, or a batched SQL), or the next
 * {@code next()} or row write ({@code updateRow}, {@code insertRow}, {@code deleteRow}, …) of one of its result sets.
 * Or the next call of a method a test names (of a statement or result set on the marker table, or of the connection with
 * SQL that mentions it, {@code nativeSQL} say). Everything else reaches the real driver, so what governance itself runs on the connection (a session read, say)
 * is not disturbed.
 */
public final class ThrowingDriver {
    private final DataSource dataSource;
    private final String marker;
    private volatile Throwable armed;
    /** The method the armed exception is thrown from; {@code null}: the execute, next and row-write methods. */
    private volatile String armedMethod;

    /** Wraps {@code source}; statements are on the marker table when their SQL mentions {@code table} (any case). */
    public ThrowingDriver(DataSource source, String table) {
        this.marker = table.toLowerCase(Locale.ROOT);
        this.dataSource = proxy(DataSource.class, source, false);
    }

    /** The data source to govern: a proxy, whose settings cannot be read, so its governance must allow unlisted data sources. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The next armed call on the marker table throws {@code thrown}. */
    public void throwNext(Throwable thrown) {
        armedMethod = null;
        armed = thrown;
    }

    /**
     * The next call of {@code method} (by name) on a statement or result set on the marker table, or on the connection
     * with SQL that mentions it, throws {@code thrown}.
     */
    public void throwNextFrom(String method, Throwable thrown) {
        armedMethod = method;
        armed = thrown;
    }

    /** Whether what was armed has been thrown (or nothing was armed). */
    public boolean spent() {
        return armed == null;
    }

    private boolean onMarker(String sql) {
        return sql != null && sql.toLowerCase(Locale.ROOT).contains(marker);
    }

    private <T> T proxy(Class<T> type, Object target, boolean onMarkerTable) {
        boolean[] marked = {onMarkerTable};
        return type.cast(Proxy.newProxyInstance(ThrowingDriver.class.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            String name = method.getName();
            String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
            boolean statement = Statement.class.isAssignableFrom(type);
            if (statement && onMarker(sql)) {
                marked[0] = true; // executed or batched on the marker table: its results are too
            }
            String from = armedMethod;
            boolean throwing = from != null ? (statement || type == ResultSet.class || type == Connection.class && onMarker(sql))
                    && name.equals(from)
                    : statement ? name.startsWith("execute")
                    : type == ResultSet.class && (name.equals("next") || name.endsWith("Row"));
            Throwable thrown = armed;
            if (throwing && thrown != null && (marked[0] || type == Connection.class)) {
                armed = null;
                throw thrown;
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Connection connection) {
                return proxy(Connection.class, connection, false);
            }
            if (result instanceof CallableStatement callable) {
                return proxy(CallableStatement.class, callable, onMarker(sql));
            }
            if (result instanceof PreparedStatement prepared) {
                return proxy(PreparedStatement.class, prepared, onMarker(sql));
            }
            if (result instanceof Statement created) {
                return proxy(Statement.class, created, false);
            }
            if (result instanceof ResultSet rs && statement && marked[0]) {
                return proxy(ResultSet.class, rs, true);
            }
            return result;
        }));
    }
}
