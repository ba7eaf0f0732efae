package io.governed.policy.masking;

import io.governed.classification.QualifiedColumn;
import io.governed.sql.ResultColumn;

import java.util.Objects;

/**
 * What the plan says about one result column of a query.
 *
 * @param column     the result column as the analysis sees it
 * @param mask       how its values are shown, or {@code null} when they are shown in clear
 * @param resolution how much of the decision must wait for the result's metadata
 * @param sampledAs  for a clear column traced to one base column that auto-detection is still sampling,
 *                   that base column: its values are shown to the column's sampler (and checked one by
 *                   one) until the sampler settles; {@code null} otherwise
 */
public record PlannedColumn(ResultColumn column, ColumnMask mask, Resolution resolution, QualifiedColumn sampledAs) {

    /** How far the analysis alone decides a column. */
    public enum Resolution {
        /** The analysis traced the column: {@link #mask} is final. */
        TRACED,
        /**
         * {@code *} or {@code t.*}: it stands for several columns of the result, each decided from the
         * driver's metadata (base table and column); {@link #mask} is the fallback for a column the
         * metadata does not name.
         */
        EXPANDS,
        /**
         * Some of its values come from where the analysis cannot see: it is redacted ({@link #mask})
         * unless the driver's metadata proves it a base column that is not sensitive.
         */
        UNTRACED
    }

    public PlannedColumn {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(resolution, "resolution");
    }

    /** A column that is not sampled. */
    public PlannedColumn(ResultColumn column, ColumnMask mask, Resolution resolution) {
        this(column, mask, resolution, null);
    }

    public boolean masked() {
        return mask != null;
    }
}
