package io.governed.jdbc.wrapper;

import io.governed.jdbc.GovernanceException;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.NClob;
import java.sql.SQLException;
import java.util.Set;

/**
 * The large values a governed result set or OUT parameter hands out ({@link Blob}, {@link Clob}, {@link NClob}): read-only
 * views, and a locator only where the server read it from a table column.
 *
 * <p>A driver's lob may be a value it holds (H2's, MariaDB's, the masks' own) or a locator into the database: pgjdbc's
 * {@code getBlob} and {@code getClob} read the column as a large object's number and read and write that object through
 * the protocol's fast-path calls, which run no statement the gate sees. So a lob's writing methods ({@code setBytes},
 * {@code setString}, the streams, {@code truncate}) are refused everywhere, saying to write with an {@code UPDATE}; and a
 * lob that is not of a class proven to hold its value is handed out only for a column the driver names a table column
 * for (the value was read from the table the statement read, which the policy let the caller read): a number written
 * as a value, computed, or returned by a routine would otherwise open any large object in the database.
 */
final class GovernedLobs {
    /** The lob classes proven to hold their value in this process: reading them reaches nothing in the database. */
    private static final Set<String> VALUE_CLASSES = Set.of(
            "javax.sql.rowset.serial.SerialBlob", "javax.sql.rowset.serial.SerialClob",
            "org.h2.jdbc.JdbcBlob", "org.h2.jdbc.JdbcClob",
            "org.mariadb.jdbc.MariaDbBlob", "org.mariadb.jdbc.MariaDbClob");

    private GovernedLobs() {
    }

    /** Whether the value needs governing here: a lob that is not already a governed view. */
    static boolean isLob(Object value) {
        return (value instanceof Blob || value instanceof Clob) && !(value instanceof ReadOnlyBlob)
                && !(value instanceof ReadOnlyClob);
    }

    /** Whether a table column may hand out a locator: asked only for a lob that is not a value. */
    @FunctionalInterface
    interface Origin {
        boolean isTableColumn() throws SQLException;
    }

    /**
     * {@code value} as the caller may have it: a read-only view of a lob, when it holds its value or {@code origin} says
     * it was read from a table column; otherwise refused. Anything that is not a lob is returned as it is.
     */
    static Object governed(Object value, Origin origin) throws SQLException {
        return governed(value, origin, NO_CHECK);
    }

    /** Asked before every read of a lob's content: throws when the identity reading now may not have it. */
    @FunctionalInterface
    interface ReadCheck {
        void check() throws SQLException;
    }

    private static final ReadCheck NO_CHECK = () -> { };

    /** {@link #governed(Object, Origin)}, {@code check} asked before every read of the lob's content. */
    static Object governed(Object value, Origin origin, ReadCheck check) throws SQLException {
        if (!isLob(value)) {
            return value;
        }
        if (!VALUE_CLASSES.contains(value.getClass().getName()) && !origin.isTableColumn()) {
            throw GovernanceException.failedClosed("A large object whose number is not read from a table column (a "
                    + "number written as a value, computed, or returned by a routine) is refused: the driver would open "
                    + "it on the server by that number, past the governance gate, whichever table it belongs to. Select "
                    + "the large-object column of the table that holds it", GovernanceException.SQLSTATE_DENIED, null);
        }
        return value instanceof Clob clob ? new ReadOnlyClob(clob, check) : new ReadOnlyBlob((Blob) value, check);
    }

    private static SQLException writeRefused(String method) {
        return GovernanceException.failedClosed("Writing a large value through the object a result set returned ("
                + method + ") is refused: the driver may write it to the database directly (PostgreSQL's large "
                + "objects), past the governance gate, or change only a copy. Write the new value with a statement "
                + "instead: UPDATE t SET c = ? WHERE …, binding it with setBytes, setString, setBlob or setClob",
                GovernanceException.SQLSTATE_DENIED, null);
    }

    /** A {@link Blob} whose reading methods reach the driver's and whose writing methods are refused. */
    static final class ReadOnlyBlob implements Blob {
        private final Blob delegate;

        private final ReadCheck check;

        ReadOnlyBlob(Blob delegate, ReadCheck check) {
            this.delegate = delegate;
            this.check = check;
        }

        @Override
        public long length() throws SQLException {
            check.check();
            return delegate.length();
        }

        @Override
        public byte[] getBytes(long pos, int length) throws SQLException {
            check.check();
            return delegate.getBytes(pos, length);
        }

        @Override
        public InputStream getBinaryStream() throws SQLException {
            check.check();
            return delegate.getBinaryStream();
        }

        @Override
        public InputStream getBinaryStream(long pos, long length) throws SQLException {
            check.check();
            return delegate.getBinaryStream(pos, length);
        }

        @Override
        public long position(byte[] pattern, long start) throws SQLException {
            check.check();
            return delegate.position(pattern, start);
        }

        @Override
        public long position(Blob pattern, long start) throws SQLException {
            check.check();
            return delegate.position(pattern, start);
        }

        @Override
        public int setBytes(long pos, byte[] bytes) throws SQLException {
            throw writeRefused("Blob.setBytes");
        }

        @Override
        public int setBytes(long pos, byte[] bytes, int offset, int len) throws SQLException {
            throw writeRefused("Blob.setBytes");
        }

        @Override
        public OutputStream setBinaryStream(long pos) throws SQLException {
            throw writeRefused("Blob.setBinaryStream");
        }

        @Override
        public void truncate(long len) throws SQLException {
            throw writeRefused("Blob.truncate");
        }

        @Override
        public void free() throws SQLException {
            delegate.free();
        }
    }

    /** A {@link Clob} (or {@link NClob}) whose reading methods reach the driver's and whose writing methods are refused. */
    static final class ReadOnlyClob implements NClob {
        private final Clob delegate;

        private final ReadCheck check;

        ReadOnlyClob(Clob delegate, ReadCheck check) {
            this.delegate = delegate;
            this.check = check;
        }

        @Override
        public long length() throws SQLException {
            check.check();
            return delegate.length();
        }

        @Override
        public String getSubString(long pos, int length) throws SQLException {
            check.check();
            return delegate.getSubString(pos, length);
        }

        @Override
        public Reader getCharacterStream() throws SQLException {
            check.check();
            return delegate.getCharacterStream();
        }

        @Override
        public Reader getCharacterStream(long pos, long length) throws SQLException {
            check.check();
            return delegate.getCharacterStream(pos, length);
        }

        @Override
        public InputStream getAsciiStream() throws SQLException {
            check.check();
            return delegate.getAsciiStream();
        }

        @Override
        public long position(String searchstr, long start) throws SQLException {
            check.check();
            return delegate.position(searchstr, start);
        }

        @Override
        public long position(Clob searchstr, long start) throws SQLException {
            check.check();
            return delegate.position(searchstr, start);
        }

        @Override
        public int setString(long pos, String str) throws SQLException {
            throw writeRefused("Clob.setString");
        }

        @Override
        public int setString(long pos, String str, int offset, int len) throws SQLException {
            throw writeRefused("Clob.setString");
        }

        @Override
        public OutputStream setAsciiStream(long pos) throws SQLException {
            throw writeRefused("Clob.setAsciiStream");
        }

        @Override
        public Writer setCharacterStream(long pos) throws SQLException {
            throw writeRefused("Clob.setCharacterStream");
        }

        @Override
        public void truncate(long len) throws SQLException {
            throw writeRefused("Clob.truncate");
        }

        @Override
        public void free() throws SQLException {
            delegate.free();
        }
    }
}
