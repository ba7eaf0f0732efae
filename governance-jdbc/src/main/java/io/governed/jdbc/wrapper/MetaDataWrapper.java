package io.governed.jdbc.wrapper;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * What the governed metadata objects ({@link GovernedResultSetMetaData}, {@link GovernedParameterMetaData}) share: the
 * driver's object, answering every question, and the governed connection whose governance alone decides what
 * {@code unwrap} hands out ({@link UnwrapGuard}).
 *
 * @param <D> the metadata interface
 */
abstract class MetaDataWrapper<D extends Wrapper> implements Wrapper {
    final D delegate;
    /** The governed connection the metadata belongs to, or {@code null} (then never unwrapped to the driver's). */
    private final GovernedConnection connection;

    MetaDataWrapper(D delegate, GovernedConnection connection) {
        this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
        this.connection = connection;
    }

    final GovernedConnection connection() {
        return connection;
    }

    @Override
    public final <T> T unwrap(Class<T> iface) throws SQLException {
        return Wrappers.unwrap(this, delegate, iface);
    }

    @Override
    public final boolean isWrapperFor(Class<?> iface) throws SQLException {
        return Wrappers.isWrapperFor(this, delegate, iface);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
