package io.governed.jdbc.wrapper;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Wrapper;

/** The {@code unwrap}/{@code isWrapperFor} rule every governed wrapper follows. */
final class Wrappers {
    private Wrappers() {
    }

    /**
     * The governed object itself when it is an instance of {@code iface} ({@code Connection.class},
     * {@code Statement.class}, the governed class), so unwrapping to a JDBC interface never hands out
     * the raw object; otherwise whatever the delegate unwraps to (a vendor interface such as pgjdbc's
     * {@code PGConnection}).
     */
    static <T> T unwrap(Object self, Wrapper delegate, Class<T> iface) throws SQLException {
        if (iface.isInstance(self)) {
            return iface.cast(self);
        }
        return delegate.unwrap(iface);
    }

    static boolean isWrapperFor(Object self, Wrapper delegate, Class<?> iface) throws SQLException {
        return iface.isInstance(self) || delegate.isWrapperFor(iface);
    }

    /**
     * A value read from a result set or an OUT parameter, with any JDBC object in it governed: a
     * result set (a refcursor), masked as its metadata says, or an array, whose views would otherwise
     * lead back to raw objects.
     */
    static Object governed(Object value, GovernedStatement statement) throws SQLException {
        if (value instanceof GovernedResultSet || value instanceof GovernedArray) {
            return value;
        }
        if (value instanceof ResultSet rs) {
            return GovernedResultSet.nested(rs, statement);
        }
        if (value instanceof Array array) {
            return new GovernedArray(array, statement);
        }
        return value;
    }
}
