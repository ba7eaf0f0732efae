package io.governed.jdbc.wrapper;

import java.sql.ParameterMetaData;
import java.sql.SQLException;

/**
 * The parameter metadata of a governed prepared or callable statement. Every question is the driver's answer; only
 * {@code unwrap} is governed: the driver's own object is handed out only as {@link UnwrapGuard} allows.
 */
public final class GovernedParameterMetaData extends MetaDataWrapper<ParameterMetaData> implements ParameterMetaData {
    GovernedParameterMetaData(ParameterMetaData delegate, GovernedConnection connection) {
        super(delegate, connection);
    }

    /** {@code raw} governed, or {@code null} when the driver has none. */
    static ParameterMetaData of(ParameterMetaData raw, GovernedConnection connection) {
        return raw == null || raw instanceof GovernedParameterMetaData ? raw : new GovernedParameterMetaData(raw, connection);
    }

    @Override
    public int getParameterCount() throws SQLException {
        return delegate.getParameterCount();
    }

    @Override
    public int isNullable(int param) throws SQLException {
        return delegate.isNullable(param);
    }

    @Override
    public boolean isSigned(int param) throws SQLException {
        return delegate.isSigned(param);
    }

    @Override
    public int getPrecision(int param) throws SQLException {
        return delegate.getPrecision(param);
    }

    @Override
    public int getScale(int param) throws SQLException {
        return delegate.getScale(param);
    }

    @Override
    public int getParameterType(int param) throws SQLException {
        return delegate.getParameterType(param);
    }

    @Override
    public String getParameterTypeName(int param) throws SQLException {
        return delegate.getParameterTypeName(param);
    }

    @Override
    public String getParameterClassName(int param) throws SQLException {
        return delegate.getParameterClassName(param);
    }

    @Override
    public int getParameterMode(int param) throws SQLException {
        return delegate.getParameterMode(param);
    }
}
