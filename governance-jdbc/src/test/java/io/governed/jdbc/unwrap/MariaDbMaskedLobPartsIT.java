package io.governed.jdbc.unwrap;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.NClob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * The partial readers of a masked LOB on MariaDB, where the driver hands text and blob columns out as Clob and Blob:
 * Clob.getSubString at every offset, getCharacterStream(pos, len), position of a piece of the value,
 * Blob.getBytes and getBinaryStream(pos, len) at every offset, Blob.position, each through getClob/getBlob/getNClob
 * and getObject(i, type). None reads a piece of the value the mask hides; ResultSetMetaData describes the column as
 * the database does (name, label, type) and holds no value either.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbMaskedLobPartsIT {
    private static final String DB = UniqueNames.of("aps_lobs");
    private static final String SECRET = "sk-live-4242-aps-SECRET-TOKEN";
    private static final List<String> PIECES = List.of("sk-live", "4242", "SECRET", "TOKEN", "aps-S");
    private static final String POLICY = """
            version: 1
            default: deny
            on-unparseable: deny
            classification:
              auto-detect: false
              tags:
                secret: ["*.api_key", "*.key_doc"]
            rules:
              - { id: read, effect: permit, actions: [select] }
            masks:
              - { id: hide-keys, columns: { tags: [secret] }, function: redact }
            """;
    private static Path policy;

    @BeforeAll
    static void database() throws Exception {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DB);
            s.execute("CREATE TABLE " + DB + ".keys_held (id INT PRIMARY KEY, api_key LONGTEXT, key_doc LONGBLOB)");
            s.execute("INSERT INTO " + DB + ".keys_held VALUES (1, '" + SECRET + "', '" + SECRET + "')");
        }
        policy = Files.createTempFile("lob-parts", ".yaml");
        Files.writeString(policy, POLICY);
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB);
        }
        Files.deleteIfExists(policy);
    }

    private static Connection governed() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.MARIADB.user());
        p.setProperty("password", TestDatabase.MARIADB.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection("jdbc:governed:mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000", p);
    }

    @FunctionalInterface
    private interface Read {
        Object get() throws Exception;
    }

    private static void read(List<String> out, String what, Read read) {
        try {
            Object v = read.get();
            out.add(what + "=" + (v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(v)));
        } catch (Exception e) {
            out.add(what + " refused: " + e.getMessage());
        }
    }

    private static String text(Reader r) throws Exception {
        try (r) {
            StringBuilder b = new StringBuilder();
            for (int ch; (ch = r.read()) >= 0; ) {
                b.append((char) ch);
            }
            return b.toString();
        }
    }

    private static String bytes(InputStream in) throws Exception {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static void clobParts(List<String> out, String how, Clob clob) {
        int longest = SECRET.length();
        for (int pos = 1; pos <= longest; pos++) {
            final int p = pos;
            read(out, how + ".getSubString(" + p + ")", () -> clob.getSubString(p, longest));
            read(out, how + ".getCharacterStream(" + p + ")", () -> text(clob.getCharacterStream(p, 1)));
        }
        for (int k = 0; k < PIECES.size(); k++) {
            String piece = PIECES.get(k);
            read(out, how + ".position(piece " + k + ")", () -> clob.position(piece, 1) > 0 ? "found " : "absent");
        }
        read(out, how + ".getAsciiStream", () -> bytes(clob.getAsciiStream()));
        read(out, how + ".length", clob::length);
    }

    private static void blobParts(List<String> out, String how, Blob blob) {
        int longest = SECRET.length();
        for (int pos = 1; pos <= longest; pos++) {
            final int p = pos;
            read(out, how + ".getBytes(" + p + ")", () -> blob.getBytes(p, longest));
            read(out, how + ".getBinaryStream(" + p + ")", () -> bytes(blob.getBinaryStream(p, 1)));
        }
        for (int k = 0; k < PIECES.size(); k++) {
            byte[] piece = PIECES.get(k).getBytes(StandardCharsets.ISO_8859_1);
            read(out, how + ".position(piece " + k + ")", () -> blob.position(piece, 1) > 0 ? "found " : "absent");
        }
    }

    @Test
    void everyPartialReadOfAMaskedLobReadsTheMaskedValue() throws Exception {
        List<String> seen = new ArrayList<>();
        try (Connection c = governed(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, api_key, key_doc, api_key AS k2 FROM keys_held")) {
            assertThat(rs.next()).isTrue();
            for (String col : List.of("api_key", "k2")) {
                clobParts(seen, col + ".getClob", rs.getClob(col));
                clobParts(seen, col + ".getNClob", rs.getNClob(col));
                clobParts(seen, col + ".getObject(Clob)", rs.getObject(col, Clob.class));
                clobParts(seen, col + ".getObject(NClob)", rs.getObject(col, NClob.class));
                read(seen, col + ".getBlob", () -> {
                    List<String> inner = new ArrayList<>();
                    blobParts(inner, col + ".getBlob", rs.getBlob(col));
                    return inner;
                });
            }
            blobParts(seen, "key_doc.getBlob", rs.getBlob("key_doc"));
            blobParts(seen, "key_doc.getObject(Blob)", rs.getObject("key_doc", Blob.class));
            read(seen, "key_doc.getClob", () -> {
                List<String> inner = new ArrayList<>();
                clobParts(inner, "key_doc.getClob", rs.getClob("key_doc"));
                return inner;
            });
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                seen.add(md.getColumnName(i) + "/" + md.getColumnLabel(i) + "/" + md.getColumnTypeName(i) + "/"
                        + md.getColumnClassName(i) + "/" + md.getTableName(i) + "/" + md.getCatalogName(i));
            }
            assertThat(md.getColumnName(2)).isEqualToIgnoringCase("api_key");
        }
        assertThat(seen).isNotEmpty();
        for (String value : seen) {
            for (String piece : PIECES) {
                assertThat(value).as("a partial read of a masked lob").doesNotContain(piece).doesNotContain("found ");
            }
        }
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT api_key FROM " + DB + ".keys_held")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(SECRET);
        }
    }
}
