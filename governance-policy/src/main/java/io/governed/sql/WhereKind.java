package io.governed.sql;

/** What bounds an UPDATE or DELETE. */
public enum WhereKind {
    /** Not an UPDATE, DELETE or other statement that a WHERE could bound. */
    NOT_APPLICABLE,
    /** No WHERE at all. */
    ABSENT,
    /** A WHERE that is true for every row ({@code 1=1}, {@code true}, {@code x=x}, {@code … OR 1=1}): as good as absent. */
    ALWAYS_TRUE,
    /** A WHERE that can be false for some rows. */
    PRESENT;

    /** True for {@link #ABSENT} and {@link #ALWAYS_TRUE}: the statement touches every row. */
    public boolean unbounded() {
        return this == ABSENT || this == ALWAYS_TRUE;
    }
}
