package io.governed.sql;

/** What bounds an UPDATE or DELETE. */
public enum WhereKind {
    /** Not an UPDATE, DELETE or other statement that a WHERE could bound. */
    NOT_APPLICABLE,
    /** No WHERE at all. */
    ABSENT,
    /**
     * A WHERE not proven to restrict the rows, so possibly true for every row ({@code 1=1}, {@code x=x},
     * {@code … OR 1=1}, {@code x IN (x)}, a form the analysis has no rule for): as good as absent. Also a WHERE
     * proven to restrict the rows only if unqualified names inside its subqueries are the subqueries' own, until the
     * catalog finds them there ({@link StatementAnalysis#boundIf}).
     */
    ALWAYS_TRUE,
    /** A WHERE in a form proven to restrict the rows ({@code id = ?}); literals that make it true for every row are not seen. */
    PRESENT;

    /** True for {@link #ABSENT} and {@link #ALWAYS_TRUE}: the statement touches every row. */
    public boolean unbounded() {
        return this == ABSENT || this == ALWAYS_TRUE;
    }
}
