package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.masking.ResultMasks;
import io.governed.policy.masking.MaskPlanner;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;

import io.governed.classification.QualifiedColumn;

/**
 * A governed result set that the {@link MaskingStage} can put masks on: every getter of a masked
 * column then reads through them. A result set that is not one cannot be masked, and is not handed
 * out when a mask could apply.
 */
public interface MaskableResult {

    /** What a result set is. */
    enum Kind {
        /** A result of the statement itself (its query, or a further result of {@code getMoreResults}). */
        RESULTS,
        /** The keys {@code getGeneratedKeys()} returns, which the driver made by appending to the statement. */
        GENERATED_KEYS
    }

    Kind resultKind();

    /** The driver's metadata of the result, from which the masks are laid over its columns. */
    ResultSetMetaData driverMetaData() throws SQLException;

    /**
     * The auto-increment column of table {@code schema.table} as the driver's metadata names it, or
     * {@code null} when it has none or the metadata cannot tell ({@code schema} may be {@code null}).
     */
    String autoIncrementColumn(String schema, String table) throws SQLException;

    /**
     * The columns of table {@code schema.table} as the driver's metadata lists them (of every table of
     * that name when {@code schema} is {@code null}), or {@code null} when the metadata cannot tell.
     */
    default List<QualifiedColumn> tableColumns(String schema, String table) throws SQLException {
        return null;
    }

    /**
     * Up to {@code rows} non-null values of base column {@code column}, read by the driver itself for auto-detection,
     * or {@code null} when they cannot be read ({@link ResultMasks.ColumnValues}).
     */
    default List<Object> columnValues(QualifiedColumn column, int rows) {
        return null;
    }

    /** Masks the result's columns as {@code masks} says, for {@code viewer}. */
    void applyMasks(ResultMasks masks, MaskPlanner planner, Identity viewer) throws SQLException;
}
