package io.governed.jdbc.wrapper;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Database metadata whose connection and result sets are the governed ones. Metadata queries run ungated. */
public class GovernedDatabaseMetaData extends ForwardingDatabaseMetaData {
    private final GovernedConnection connection;

    public GovernedDatabaseMetaData(GovernedConnection connection, DatabaseMetaData delegate) {
        super(delegate);
        this.connection = connection;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    protected ResultSet wrapResultSet(ResultSet raw) {
        return raw == null ? null : GovernedResultSet.ofMetadata(raw, connection);
    }

    /** The governed connection this metadata describes. */
    GovernedConnection connection() {
        return connection;
    }
}
