package io.governed.jdbc.wrapper;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The {@code unwrap}/{@code isWrapperFor} rule every governed wrapper follows, and the governing of values. */
final class Wrappers {
    private Wrappers() {
    }

    /**
     * The governed object itself when it is an instance of {@code iface} ({@code Connection.class},
     * {@code Statement.class}, the governed class); the delegate's object only as {@link UnwrapGuard}
     * allows, for the governance of the connection {@code self} belongs to. An object that belongs to
     * no governed connection is never unwrapped to anything else.
     */
    static <T> T unwrap(Object self, Object delegate, Class<T> iface) throws SQLException {
        java.util.Objects.requireNonNull(iface, "iface");
        if (iface.isInstance(self)) {
            return iface.cast(self);
        }
        GovernedConnection connection = connectionOf(self);
        if (connection == null) {
            throw UnwrapGuard.refusal(self, iface);
        }
        return UnwrapGuard.unwrap(self, delegate, iface, connection.governance(), connection.connectionId(),
                connection::currentIdentity);
    }

    static boolean isWrapperFor(Object self, Object delegate, Class<?> iface) throws SQLException {
        GovernedConnection connection = connectionOf(self);
        return UnwrapGuard.isWrapperFor(self, delegate, iface, connection == null ? null : connection.governance());
    }

    /** The governed connection a governed object belongs to, or {@code null}. */
    static GovernedConnection connectionOf(Object self) {
        if (self instanceof GovernedConnection connection) {
            return connection;
        }
        if (self instanceof GovernedStatement statement) {
            return statement.connection;
        }
        if (self instanceof GovernedResultSet resultSet) {
            return resultSet.connection();
        }
        if (self instanceof GovernedDatabaseMetaData metaData) {
            return metaData.connection();
        }
        if (self instanceof GovernedArray array) {
            return array.connection();
        }
        if (self instanceof MetaDataWrapper<?> metaData) {
            return metaData.connection();
        }
        return null;
    }

    /**
     * The refusal of a result set read as a value where no statement of a governed connection stands behind it (an array
     * the application created, say): nothing could decide or mask its rows.
     */
    static SQLException ungovernedCursor() {
        return io.governed.jdbc.GovernanceException.failedClosed("A cursor read through a value that no governed statement "
                + "returned (an array the application created with createArrayOf, say) is refused: the driver would fetch "
                + "the server cursor by name past the governance gate, masks and audit. Read the cursor through the "
                + "result set of the statement that opened it (getObject of its refcursor column)",
                io.governed.jdbc.GovernanceException.SQLSTATE_DENIED, null);
    }

    /**
     * A value read from a result set or an OUT parameter, with any JDBC object in it governed: a
     * result set (a refcursor), masked as its metadata says, an array, whose views would otherwise
     * lead back to raw objects, or a lob ({@link GovernedLobs}: read-only, and no locator, since no table column is
     * known to stand behind it here). The values are governed for {@code readFor}, the identity the value was read for
     * (see {@link GovernedResultSet#viewerOf}).
     */
    static Object governed(Object value, GovernedStatement statement, io.governed.identity.Identity readFor) throws SQLException {
        if (value instanceof GovernedResultSet || value instanceof GovernedArray) {
            return value;
        }
        if (value instanceof ResultSet rs) {
            if (statement == null) {
                throw closing(rs, ungovernedCursor());
            }
            return GovernedResultSet.nested(rs, statement, readFor);
        }
        if (value instanceof Array array) {
            return new GovernedArray(array, statement, readFor);
        }
        return GovernedLobs.governed(value, () -> false); // no table column stands behind an OUT parameter's lob
    }

    /**
     * Closes {@code refused}, a result set that is not handed out, and returns {@code refusal} to throw (a failure to
     * close it attached).
     */
    static <E extends Throwable> E closing(ResultSet refused, E refusal) {
        try {
            refused.close();
        } catch (SQLException notClosed) {
            refusal.addSuppressed(notClosed);
        }
        return refusal;
    }
}
