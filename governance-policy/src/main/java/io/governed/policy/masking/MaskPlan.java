package io.governed.policy.masking;

import java.util.List;

/**
 * Which result columns of a query are masked for one caller, in the order of the select list as
 * written ({@code *} is one entry; see {@link PlannedColumn.Resolution#EXPANDS}).
 *
 * @param columns one entry per select-list item
 */
public record MaskPlan(List<PlannedColumn> columns) {

    /** Nothing to mask: no mask applies to the caller, or the statement returns no columns. */
    public static final MaskPlan NONE = new MaskPlan(List.of());

    public MaskPlan {
        columns = List.copyOf(columns);
    }

    /** Whether anything must be looked at when the results come: a masked column, a column to resolve or to detect. */
    public boolean needsResults() {
        for (PlannedColumn c : columns) {
            if (c.masked() || c.resolution() != PlannedColumn.Resolution.TRACED || c.sampledAs() != null) {
                return true;
            }
        }
        return false;
    }
}
