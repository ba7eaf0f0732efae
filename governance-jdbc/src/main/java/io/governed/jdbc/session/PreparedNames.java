package io.governed.jdbc.session;

import io.governed.jdbc.gate.SqlText;

import java.util.HashMap;
import java.util.Map;

/**
 * The statements one physical connection's session holds prepared by name that were prepared through the governed
 * connection, with the text of each: PostgreSQL's {@code PREPARE name [(types)] AS statement} and MariaDB's
 * {@code PREPARE s FROM '…'}, whose statement the analysis read. {@code EXECUTE name} of a name kept here is judged as
 * that statement ({@code PreparedNamesStage}); a name not kept here (prepared past governance, by init SQL, from a
 * variable, or before the last reset) stays a statement the analysis does not see.
 *
 * <p>Fail closed: a name is kept only once its {@code PREPARE} succeeded; it is forgotten before anything runs that may
 * drop or prepare it again ({@code DEALLOCATE}, MariaDB's {@code PREPARE} over it), and every name is forgotten before
 * a statement runs that is not known to leave the names as they are (one that may run code the analysis does not see,
 * which could prepare a name again through dynamic SQL; DDL, which fires event triggers and may change what a name's
 * text names: {@code PreparedNamesStage} tells which), when the session is reset ({@code DISCARD ALL}, a reset between
 * borrowers or identities), and at the end of a transaction in which such a statement ran (its deferred triggers run
 * then). Names are keys as the database folds
 * them ({@link io.governed.sql.PreparedStatementNames}). Statements analysed here are one statement of a query or a
 * row change, identity-independent; what a statement is allowed, masked or filtered is decided at each {@code EXECUTE}
 * for the identity that runs it.
 */
public final class PreparedNames {

    /**
     * One name prepared through the governed connection: the text of the statement it holds, and that statement's
     * analysis with its names resolved as the session resolved them when it was prepared ({@code null} when no policy
     * resolves names), against which each {@code EXECUTE} compares how they resolve then.
     */
    public record Entry(String name, SqlText statement, io.governed.sql.SqlAnalysis resolved) {
    }

    private final Map<String, Entry> names = new HashMap<>();
    /** Every name was forgotten for code that may have run since the transaction began: forget again at its end. */
    private boolean codeInTransaction;

    /** The statement {@code name} (folded) holds, or {@code null} when the name is not kept. */
    public synchronized Entry find(String name) {
        return names.get(name);
    }

    /** {@code name} (folded) was prepared with {@code statement}, successfully, its names resolving as {@code resolved}. */
    public synchronized void prepared(String name, SqlText statement, io.governed.sql.SqlAnalysis resolved) {
        names.put(name, new Entry(name, statement, resolved));
    }

    /** {@code name} (folded) may be dropped or prepared again. */
    public synchronized void forget(String name) {
        names.remove(name);
    }

    /** Any name may be dropped or prepared again, now or when the transaction ends. */
    public synchronized void forgetAll() {
        names.clear();
        codeInTransaction = true;
    }

    /** Whether code the analysis did not see ran in the transaction, whose deferred triggers run at its end. */
    public synchronized boolean codeRanInTransaction() {
        return codeInTransaction;
    }

    /** The session was reset: it holds no statement prepared by name. */
    synchronized void reset() {
        names.clear();
        codeInTransaction = false;
    }

    /** The transaction ended: code that ran in it may have run again now (a deferred trigger). */
    synchronized void transactionEnded() {
        if (codeInTransaction) {
            names.clear();
            codeInTransaction = false;
        }
    }

    /** Whether no name is kept. */
    public synchronized boolean isEmpty() {
        return names.isEmpty();
    }

    @Override
    public synchronized String toString() {
        return "prepared by name: " + names.keySet();
    }
}
