package io.governed.jdbc.wrapper;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.SqlText;
import io.governed.jdbc.masking.MaskedColumnReader;
import io.governed.jdbc.masking.ResultMasks;
import io.governed.policy.Decision;
import io.governed.policy.masking.ColumnMask;
import io.governed.policy.masking.MaskPlanner;
import io.governed.sql.SqlAnalysis;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A result set of a governed statement. {@link #getStatement()} gives the governed statement (or
 * {@code null} for a metadata result set); a value that is itself a result set (a refcursor column)
 * or an array comes back governed; {@code updateRow}, {@code insertRow} and {@code deleteRow}
 * pass the gate as the UPDATE, INSERT or DELETE they amount to.
 *
 * <p>Columns the policy masks for the statement's identity are masked in every getter (see
 * {@link MaskingResultSet}); writing to them is denied, and so is unwrapping to the driver's own
 * result set, which would show them in clear. Rows are read one at a time, as the driver gives them.
 */
public class GovernedResultSet extends MaskingResultSet {
    private final GovernedStatement statement;
    /** The connection whose governance this result set answers to: its statement's, or the metadata's. */
    private final GovernedConnection connection;
    private final StatementRun run;
    /** Whom the masks are for, when some column is masked. */
    private Identity viewer;

    /**
     * @param delegate  the driver's result set
     * @param statement the governed statement that produced it, or {@code null} for metadata results
     * @param run       the statement run whose rows these are, or {@code null} (metadata, generated keys)
     * @throws SQLException when the result's metadata, needed to decide its masks, cannot be read
     */
    public GovernedResultSet(ResultSet delegate, GovernedStatement statement, StatementRun run) throws SQLException {
        super(delegate);
        this.statement = statement;
        this.connection = statement == null ? null : statement.connection;
        this.run = run;
        if (run != null) {
            try {
                mask(statement.connection, run.identity(), run::analysis);
            } catch (SQLException | RuntimeException unresolved) {
                // without its masks, none of the result may be read: fail closed
                try {
                    delegate.close();
                } catch (SQLException closing) {
                    unresolved.addSuppressed(closing);
                }
                throw run.failed(new SQLException("The result's masks could not be decided, so it is not handed out: "
                        + unresolved.getMessage(), GovernanceException.SQLSTATE_DENIED, unresolved));
            }
        }
    }

    /** A result set outside any statement run: metadata results, values that are result sets. */
    public GovernedResultSet(ResultSet delegate, GovernedStatement statement) {
        this(delegate, statement, statement == null ? null : statement.connection);
    }

    private GovernedResultSet(ResultSet delegate, GovernedStatement statement, GovernedConnection connection) {
        super(delegate);
        this.statement = statement;
        this.connection = connection;
        this.run = null;
    }

    /** A result set of database metadata, on {@code connection}: no statement of its own. */
    static GovernedResultSet ofMetadata(ResultSet delegate, GovernedConnection connection) {
        return new GovernedResultSet(delegate, null, connection);
    }

    /** The governed connection this result set was read on, or {@code null}. */
    GovernedConnection connection() {
        return connection;
    }

    /**
     * A result set that is a value of another (a refcursor column or OUT parameter, an array's
     * elements): nothing traces its columns, so each is masked as the driver's metadata says, for the
     * identity current now, and redacted when the metadata names no base column.
     */
    static GovernedResultSet nested(ResultSet delegate, GovernedStatement statement) throws SQLException {
        GovernedResultSet nested = new GovernedResultSet(delegate, statement);
        if (statement != null) {
            nested.mask(statement.connection, statement.connection.currentIdentity(), () -> null);
        }
        return nested;
    }

    /**
     * Decides this result's masks for {@code identity}: from the analysis when there is one, else
     * from the metadata alone. Nothing is worked out (not even the analysis) when no mask can apply
     * to the identity.
     */
    private void mask(GovernedConnection connection, Identity identity, Supplier<SqlAnalysis> analysis) throws SQLException {
        MaskPlanner planner = connection.governance().maskPlanner();
        if (planner == null || identity == null || !planner.masksAnythingFor(identity)) {
            return;
        }
        ResultMasks masks = ResultMasks.resolve(planner, identity, analysis.get(), connection.schema(), connection.dialect(),
                delegate::getMetaData);
        if (masks != null) {
            masking = new MaskedColumnReader(delegate, masks, planner, identity);
            viewer = identity;
        }
    }

    @Override
    public boolean next() throws SQLException {
        rowMoved();
        boolean more = delegate.next();
        if (run != null) {
            if (more) {
                run.rowRead();
            } else {
                resultsDone();
            }
        }
        return more;
    }

    @Override
    public void close() throws SQLException {
        try {
            if (run != null) {
                resultsDone();
            }
        } finally {
            delegate.close();
        }
    }

    private void resultsDone() throws SQLException {
        if (masking != null) {
            run.masked(masking.masks().maskedLabels(), masking.maskedValues());
        }
        run.resultsDone();
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    @Override
    public Object getObject(int columnIndex) throws SQLException {
        return governedValue(masking == null ? delegate.getObject(columnIndex) : masking.getObject(columnIndex));
    }

    @Override
    public Object getObject(String columnLabel) throws SQLException {
        return governedValue(masking == null ? delegate.getObject(columnLabel) : masking.getObject(masking.index(columnLabel)));
    }

    @Override
    public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
        return governedValue(masking == null ? delegate.getObject(columnIndex, map) : masking.getObject(columnIndex, map));
    }

    @Override
    public Object getObject(String columnLabel, Map<String, Class<?>> map) throws SQLException {
        return governedValue(masking == null ? delegate.getObject(columnLabel, map)
                : masking.getObject(masking.index(columnLabel), map));
    }

    @Override
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        return type.cast(governedValue(masking == null ? delegate.getObject(columnIndex, type) : masking.getObject(columnIndex, type)));
    }

    @Override
    public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
        return type.cast(governedValue(masking == null ? delegate.getObject(columnLabel, type)
                : masking.getObject(masking.index(columnLabel), type)));
    }

    @Override
    public Array getArray(int columnIndex) throws SQLException {
        if (masking != null) {
            masking.refuseOpaque(columnIndex, "getArray");
        }
        return (Array) governedValue(delegate.getArray(columnIndex));
    }

    @Override
    public Array getArray(String columnLabel) throws SQLException {
        if (masking != null) {
            masking.refuseOpaque(masking.index(columnLabel), "getArray");
        }
        return (Array) governedValue(delegate.getArray(columnLabel));
    }

    /**
     * The governed result set itself for JDBC interfaces; the driver's own result set (for vendor
     * interfaces) only when no column is masked, since it would show masked columns in clear, and then
     * only as {@link UnwrapGuard} allows.
     */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (masking != null && !iface.isInstance(this)) {
            throw GovernanceException.failedClosed("This result set has masked columns " + masking.masks().maskedLabels()
                    + ": it cannot be unwrapped to " + iface.getName() + ", which would show them in clear. "
                    + "Read the columns through the ResultSet interface", GovernanceException.SQLSTATE_DENIED, null);
        }
        return Wrappers.unwrap(this, delegate, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return masking != null ? iface.isInstance(this) : Wrappers.isWrapperFor(this, delegate, iface);
    }

    @Override
    public void updateRow() throws SQLException {
        checkRowWrite(RowWriteStatement.Kind.UPDATE);
        rowMoved();
        delegate.updateRow();
    }

    @Override
    public void insertRow() throws SQLException {
        checkRowWrite(RowWriteStatement.Kind.INSERT);
        rowMoved();
        delegate.insertRow();
    }

    @Override
    public void deleteRow() throws SQLException {
        checkRowWrite(RowWriteStatement.Kind.DELETE);
        rowMoved();
        delegate.deleteRow();
    }

    @Override
    protected void checkColumnWrite(int columnIndex) throws SQLException {
        if (masking != null && masking.guards(columnIndex)) {
            ColumnMask mask = masking.maskOf(columnIndex);
            String label = masking.masks().label(columnIndex);
            String reason = "Column '" + label + "' of this result set is masked for " + viewer.describe()
                    + (mask == null ? "" : " by " + mask.describe())
                    + ": it cannot be updated through the result set, whose values are masked. Run an UPDATE statement instead";
            throw new GovernanceException(Decision.deny(mask == null ? List.of() : List.of(mask.maskId()), reason));
        }
    }

    @Override
    protected void checkColumnWrite(String columnLabel) throws SQLException {
        if (masking != null) {
            checkColumnWrite(masking.index(columnLabel));
        }
    }

    /** A row write changes the table like the statement it amounts to, so it passes the gate as that statement. */
    private void checkRowWrite(RowWriteStatement.Kind kind) throws SQLException {
        if (statement == null) {
            throw new SQLException("This result set (from database metadata) cannot be updated", "24000");
        }
        GovernedConnection connection = statement.connection;
        String sql = RowWriteStatement.of(kind, delegate.getMetaData(), connection.dialect());
        connection.check(new SqlText(sql), CallKind.ROW_WRITE);
    }

    private Object governedValue(Object value) throws SQLException {
        return value == delegate ? value : Wrappers.governed(value, statement);
    }
}
