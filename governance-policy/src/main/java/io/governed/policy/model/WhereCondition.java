package io.governed.policy.model;

import io.governed.sql.WhereKind;

import java.util.Locale;

/** A rule's {@code when.where}: what bounds the statement's UPDATE or DELETE. */
public enum WhereCondition {
    /** No WHERE, or one that is always true ({@code 1=1}, {@code … OR true}): the statement touches every row. */
    ABSENT,
    /** A WHERE that can be false for some rows. */
    PRESENT;

    /** The lower-case name used in policy files. */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a statement bounded as {@code where} says meets this condition; never for {@link WhereKind#NOT_APPLICABLE}. */
    public boolean matches(WhereKind where) {
        return this == ABSENT ? where.unbounded() : where == WhereKind.PRESENT;
    }
}
