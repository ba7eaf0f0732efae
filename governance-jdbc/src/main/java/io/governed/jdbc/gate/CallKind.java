package io.governed.jdbc.gate;

/** Which JDBC call brought a statement to the gate. */
public enum CallKind {
    /** {@code Statement.executeQuery} and {@code PreparedStatement.executeQuery}. */
    QUERY,
    /** {@code executeUpdate} and {@code executeLargeUpdate}, every overload. */
    UPDATE,
    /** {@code execute}, every overload: the statement may return results, counts or both. */
    EXECUTE,
    /** {@code addBatch}, and each statement again when {@code executeBatch}/{@code executeLargeBatch} runs it. */
    BATCH,
    /** {@code Connection.prepareStatement}, every overload: checked before the driver sees the SQL. */
    PREPARE,
    /** {@code Connection.prepareCall}, every overload. */
    PREPARE_CALL,
    /** {@code Connection.nativeSQL}: translates, runs nothing, but still reveals the SQL to the driver. */
    NATIVE_SQL,
    /**
     * {@code updateRow}, {@code insertRow} or {@code deleteRow} of an updatable result set, checked as
     * the UPDATE, INSERT or DELETE of the row it amounts to; it runs when the driver writes the row, and is audited
     * as that statement.
     */
    ROW_WRITE
}
