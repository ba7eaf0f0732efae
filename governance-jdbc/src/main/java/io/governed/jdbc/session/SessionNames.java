package io.governed.jdbc.session;

import io.governed.sql.SqlAnalysis;
import io.governed.sql.names.NameResolver;

/**
 * How a connection's session resolves unqualified relation names, as the gate sees it: the resolver
 * that describes the session now, and the news that a statement is about to run (which may change it).
 */
public interface SessionNames {

    /**
     * The resolver for the session as it stands. Cheap: nothing is read from the database until the
     * resolver is asked about a name. A new object after anything that may have changed the session.
     */
    NameResolver current();

    /**
     * {@link #current()}, with the time now ({@link System#nanoTime}) as the caller read it already: a statement's
     * entry into the pipeline, so that deciding and resolving it does not read the clock again.
     */
    /**
     * {@link #current()}, but never a reading taken before {@code sinceNanos} ({@link System#nanoTime}): a reading made
     * earlier is replaced by one read on its first question. For a statement whose caller the policy limits (a mask, a
     * row filter, a permit of some relations only), which must be judged on the relations its names find now, not on
     * a reading another session's DDL has overtaken. The default is {@link #current()}: a session that is not read.
     */
    default NameResolver currentReadSince(long sinceNanos) {
        return current();
    }

    default NameResolver current(long nowNanos) {
        return current();
    }

    /**
     * A statement with this analysis (names resolved by {@link #current()}) was allowed and is about
     * to run: what it may change is read again before the next need.
     */
    void running(SqlAnalysis resolved);

    /**
     * A statement with this analysis, told by {@link #running}, ran (or failed, possibly part done): what it may have
     * changed is read again before the next need, also when a stage read the session after it was told and before it ran.
     */
    default void ran(SqlAnalysis resolved) {
    }

    /**
     * A batch entry with this analysis was allowed; it runs only when the whole batch does, after the
     * later entries are decided. When it may change the session, every name counts as unknown (any
     * schema) until {@link #settled()}: the later entries must not be judged by the session as it was.
     */
    default void batched(SqlAnalysis resolved) {
        running(resolved);
    }

    /** The batch ran (or was abandoned): the session can be read again. */
    default void settled() {
    }

    /**
     * {@link #settled()} (a batch before this statement has run, or was abandoned), then, when {@code runs},
     * {@link #running} of this statement: what every statement that is not a batch entry tells the session, in one
     * call.
     */
    default void settledThenRunning(SqlAnalysis resolved, boolean runs) {
        settled();
        if (runs) {
            running(resolved);
        }
    }

    /**
     * Whether the session, as it stands, certainly reads backslashes in plain strings the way the analysis does
     * (PostgreSQL: {@code standard_conforming_strings} on); false when that is not known.
     */
    default boolean readsPlainStringsTheUsualWay() {
        return false;
    }

    /**
     * A session whose unqualified names certainly resolve to {@code schema}: for tests and tools with no database, which
     * say so ({@link NameResolver#withoutInheritance}: no relation has partitions, runs routines when written or is
     * written through a foreign key).
     */
    static SessionNames fixed(String schema) {
        NameResolver resolver = NameResolver.withoutInheritance(NameResolver.fixed(schema));
        return new SessionNames() {
            @Override
            public NameResolver current() {
                return resolver;
            }

            @Override
            public void running(SqlAnalysis resolved) {
            }
        };
    }
}
