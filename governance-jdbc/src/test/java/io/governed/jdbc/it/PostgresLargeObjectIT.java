package io.governed.jdbc.it;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * pgjdbc's {@code getBlob} and {@code getClob} return no value but a handle on a large object, the number in the column:
 * reading or writing through it goes to the server by the driver's fast-path calls, past every statement the governed
 * driver checks. An analyst allowed to read {@code notes} only must neither open another table's large object by
 * writing its number as a value, nor change a large object through the handle a permitted read gave.
 */
class PostgresLargeObjectIT {
    private static final String SECRET = "vault-document-7731";
    private static final String NOTE = "an ordinary note";

    @TempDir
    Path dir;

    private final String notes = UniqueNames.of("lo_notes");
    private final String vault = UniqueNames.of("lo_vault");
    private long secretOid;
    private long noteOid;
    private Path policy;

    @BeforeEach
    void largeObjectsInTwoTables() throws Exception {
        TestDatabase.POSTGRESQL.requireReachable();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + notes + " (id int PRIMARY KEY, doc oid)");
            s.execute("CREATE TABLE " + vault + " (id int PRIMARY KEY, doc oid)");
            s.execute("INSERT INTO " + notes + " VALUES (1, lo_from_bytea(0, convert_to('" + NOTE + "', 'UTF8')))");
            s.execute("INSERT INTO " + vault + " VALUES (1, lo_from_bytea(0, convert_to('" + SECRET + "', 'UTF8')))");
            noteOid = oidIn(s, notes);
            secretOid = oidIn(s, vault);
        }
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: read-notes, effect: permit, actions: [select], resources: ["%s"] }
                """.formatted(notes));
    }

    @AfterEach
    void dropThem() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("SELECT lo_unlink(doc) FROM " + notes);
            s.execute("SELECT lo_unlink(doc) FROM " + vault);
            s.execute("DROP TABLE " + notes + ", " + vault);
        }
    }

    @Test
    void aLargeObjectOfAPermittedTableReadsThroughTheHandle() throws Exception {
        try (Connection c = analyst(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT doc FROM " + notes + " WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            Blob blob = rs.getBlob(1);
            assertThat(new String(blob.getBytes(1, (int) blob.length()), StandardCharsets.UTF_8)).isEqualTo(NOTE);
            try (InputStream in = rs.getBlob("doc").getBinaryStream()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(NOTE);
            }
            Clob clob = rs.getClob(1);
            assertThat(clob.getSubString(1, (int) clob.length())).isEqualTo(NOTE);
            assertThat(rs.getObject(1, Blob.class).length()).isEqualTo(NOTE.length());
        }
    }

    @Test
    void aLargeObjectNumberWrittenAsAValueOpensNothing() throws Exception {
        String[] forged = {
                "SELECT " + secretOid + "::oid AS doc",
                "SELECT doc FROM " + notes + " UNION ALL SELECT " + secretOid + "::oid",
                "SELECT x.doc FROM (SELECT " + secretOid + "::oid AS doc) x",
                "SELECT CASE WHEN id = 1 THEN " + secretOid + "::oid ELSE doc END FROM " + notes,
        };
        try (Connection c = analyst(); Statement s = c.createStatement()) {
            for (String sql : forged) {
                String read = readEveryWay(s, sql);
                assertThat(read).as(sql).doesNotContain(SECRET);
            }
        }
    }

    @Test
    void aHandleFromAPermittedReadWritesNothing() throws Exception {
        try (Connection c = analyst(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT doc FROM " + notes + " WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            Blob blob = rs.getBlob(1);
            assertRefused(() -> blob.setBytes(1, "overwritten".getBytes(StandardCharsets.UTF_8)));
            assertRefused(() -> blob.setBytes(1, new byte[4], 0, 4));
            assertRefused(() -> blob.setBinaryStream(1));
            assertRefused(() -> blob.truncate(0));
            Clob clob = rs.getClob(1);
            assertRefused(() -> clob.setString(1, "overwritten"));
            assertRefused(() -> clob.setString(1, "overwritten", 0, 3));
            assertRefused(() -> clob.setCharacterStream(1));
            assertRefused(() -> clob.setAsciiStream(1));
            assertRefused(() -> clob.truncate(0));
            c.commit();
        }
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT convert_from(lo_get(" + noteOid + "), 'UTF8')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("the note's large object, read raw").isEqualTo(NOTE);
        }
    }

    /** Everything a large-object handle of the first column gives, or the refusal's SQLState. */
    private static String readEveryWay(Statement s, String sql) throws Exception {
        StringBuilder read = new StringBuilder();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                read.append(attempt(() -> {
                    Blob blob = rs.getBlob(1);
                    return blob == null ? "null" : new String(blob.getBytes(1, (int) blob.length()), StandardCharsets.UTF_8);
                }));
                read.append(attempt(() -> {
                    Clob clob = rs.getClob(1);
                    try (Reader r = clob.getCharacterStream()) {
                        StringWriter text = new StringWriter();
                        r.transferTo(text);
                        return text.toString();
                    }
                }));
                read.append(attempt(() -> {
                    try (InputStream in = rs.getObject(1, Blob.class).getBinaryStream()) {
                        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }));
                read.append(attempt(() -> rs.getObject(1, Clob.class).getSubString(1, SECRET.length())));
            }
        } catch (SQLException refused) {
            assertThat(refused.getSQLState()).as(sql).isEqualTo("42501");
        }
        return read.toString();
    }

    private interface Read {
        String get() throws Exception;
    }

    private static String attempt(Read read) throws Exception {
        try {
            return read.get() + "|";
        } catch (SQLException refused) {
            assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
            assertThat(refused.getMessage()).doesNotContain(SECRET);
            return "refused|";
        }
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable write) {
        assertThatThrownBy(write).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                .hasMessageContaining("UPDATE");
    }

    private Connection analyst() throws SQLException {
        Connection c = TestDatabase.POSTGRESQL.connectGoverned(policy, null, "analysts");
        c.setAutoCommit(false); // large objects are read and written inside a transaction
        return c;
    }

    private static long oidIn(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT doc FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
