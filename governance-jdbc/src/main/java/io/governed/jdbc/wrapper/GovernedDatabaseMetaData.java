package io.governed.jdbc.wrapper;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Database metadata whose connection and result sets are the governed ones. Metadata queries run ungated.
 *
 * <p>For a caller any mask of the policy applies to, the default expressions and the comments the metadata describes
 * are not told: {@code COLUMN_DEF} of {@link #getColumns} and {@link #getProcedureColumns}, {@code ATTR_DEF} of
 * {@link #getAttributes}, and {@code REMARKS} of those and of {@link #getTables}, {@link #getProcedures},
 * {@link #getFunctions}, {@link #getFunctionColumns} and {@link #getUDTs} read as SQL NULL (a comment holds whatever
 * was written into it, and the same caller reads it redacted through {@code pg_description} or
 * {@code information_schema}). Names, types, keys and kinds are told as the driver gives them. A default is written into the schema as a literal (a default API key, the
 * value every row of a masked column starts with), and the same caller reads it redacted through
 * {@code information_schema.columns.column_default}; which columns a mask covers is not asked, as a default of one
 * column may be the value of another. The caller is the one of the call (scoped, resolved or the connection's); when
 * it cannot be established, the defaults are not told either.
 */
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
    public ResultSet getColumns(String catalog, String schemaPattern, String tableNamePattern, String columnNamePattern)
            throws SQLException {
        return wrapResultSet(defaultsUntold(delegate.getColumns(catalog, schemaPattern, tableNamePattern,
                columnNamePattern), "COLUMN_DEF", "REMARKS"));
    }

    @Override
    public ResultSet getProcedureColumns(String catalog, String schemaPattern, String procedureNamePattern,
                                         String columnNamePattern) throws SQLException {
        return wrapResultSet(defaultsUntold(delegate.getProcedureColumns(catalog, schemaPattern, procedureNamePattern,
                columnNamePattern), "COLUMN_DEF", "REMARKS"));
    }

    @Override
    public ResultSet getAttributes(String catalog, String schemaPattern, String typeNamePattern,
                                   String attributeNamePattern) throws SQLException {
        return wrapResultSet(defaultsUntold(delegate.getAttributes(catalog, schemaPattern, typeNamePattern,
                attributeNamePattern), "ATTR_DEF", "REMARKS"));
    }

    @Override
    public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types)
            throws SQLException {
        return wrapResultSet(defaultsUntold(delegate.getTables(catalog, schemaPattern, tableNamePattern, types), "REMARKS"));
    }

    @Override
    public ResultSet getProcedures(String catalog, String schemaPattern, String procedureNamePattern) throws SQLException {
        return wrapResultSet(defaultsUntold(delegate.getProcedures(catalog, schemaPattern, procedureNamePattern), "REMARKS"));
    }

    @Override
    public ResultSet getFunctions(String catalog, String schemaPattern, String functionNamePattern) throws SQLException {
        return wrapResultSet(defaultsUntold(delegate.getFunctions(catalog, schemaPattern, functionNamePattern), "REMARKS"));
    }

    @Override
    public ResultSet getFunctionColumns(String catalog, String schemaPattern, String functionNamePattern,
                                        String columnNamePattern) throws SQLException {
        return wrapResultSet(defaultsUntold(delegate.getFunctionColumns(catalog, schemaPattern, functionNamePattern,
                columnNamePattern), "REMARKS"));
    }

    @Override
    public ResultSet getUDTs(String catalog, String schemaPattern, String typeNamePattern, int[] types) throws SQLException {
        return wrapResultSet(defaultsUntold(delegate.getUDTs(catalog, schemaPattern, typeNamePattern, types), "REMARKS"));
    }

    /** {@code raw} with its default-expression and comment columns untold when a mask applies to the caller (or it is unknown). */
    private ResultSet defaultsUntold(ResultSet raw, String... columns) throws SQLException {
        io.governed.policy.masking.MaskPlanner planner = connection.governance().maskPlanner();
        if (raw == null || !planner.masksAnyone()) {
            return raw;
        }
        io.governed.identity.Identity caller;
        try {
            caller = connection.currentIdentity();
        } catch (SQLException unknown) {
            caller = null;
        }
        if (caller != null && !planner.masksAnythingFor(caller)) {
            return raw;
        }
        try {
            return UntoldColumns.of(raw, columns);
        } catch (SQLException | RuntimeException e) {
            try {
                raw.close();
            } catch (SQLException notClosed) {
                e.addSuppressed(notClosed);
            }
            throw e;
        }
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
