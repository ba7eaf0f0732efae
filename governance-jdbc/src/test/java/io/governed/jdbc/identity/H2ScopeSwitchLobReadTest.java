package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * A large value (Clob, NClob, Blob) handed out to an identity no mask applies to and read in the scope of one a mask of
 * its column applies to: its content cannot be masked, so every reading method is refused (42501) there; read in the
 * first identity's own scope, the clear value; a lob of a column no mask names reads in any scope.
 */
class H2ScopeSwitchLobReadTest {
    private static final TestDatabase DB = TestDatabase.H2;
    private static final String SSN = "219-45-6789";
    private static final Identity AGENT = Identity.builder("bot").kind(IdentityKind.AGENT)
            .onBehalfOf(Identity.human("ann")).build();
    private static final String TABLE = UniqueNames.of("api_lob_switch");
    @TempDir
    static Path dir;
    private static Path policy;

    @BeforeAll
    static void fixture() throws Exception {
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, ssn_doc CLOB, ssn_bin BLOB, note CLOB)");
            s.execute("INSERT INTO " + TABLE + " VALUES (1, '" + SSN + "', CAST(X'" + hex(SSN) + "' AS BLOB), 'plain')");
        }
        policy = dir.resolve("lob-masks.yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                classification:
                  auto-detect: false
                  tags:
                    pii.ssn: ["*.ssn_doc", "*.ssn_bin"]
                rules:
                  - { id: read, effect: permit, actions: [select], resources: ["public.*"] }
                masks:
                  - id: mask-ssn
                    columns: { tags: [pii.ssn] }
                    function: redact
                    unless: { groups: [back-office] }
                """);
    }

    private static String hex(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            b.append(String.format("%02X", x));
        }
        return b.toString();
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    private static Connection backOffice() throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "back-office");
        p.setProperty("governed.groups", "back-office");
        return DB.connectGoverned(p);
    }

    @FunctionalInterface
    interface Read {
        Object of(Object lob) throws Exception;
    }

    private static final Map<String, Read> READS = new LinkedHashMap<>();

    static {
        READS.put("text", EveryGetter::text);
        READS.put("length", lob -> lob instanceof Clob c ? c.length() : ((Blob) lob).length());
        READS.put("stream", lob -> EveryGetter.text(lob instanceof Clob c ? c.getCharacterStream() : ((Blob) lob).getBinaryStream()));
        READS.put("part", lob -> lob instanceof Clob c ? c.getSubString(1, 3) : new String(((Blob) lob).getBytes(1, 3)));
        READS.put("position", lob -> lob instanceof Clob c ? c.position("6789", 1) : ((Blob) lob).position("6789".getBytes(), 1));
        READS.put("ascii or part stream", lob -> EveryGetter.text(lob instanceof Clob c ? c.getAsciiStream() : ((Blob) lob).getBinaryStream(1, 3)));
    }

    @Test
    void aLobOfAMaskedColumnTakenByTheBackOfficeIsRefusedToAnAgent() throws Exception {
        for (String column : new String[]{"ssn_doc", "ssn_bin"}) {
            for (Map.Entry<String, Read> read : READS.entrySet()) {
                try (Connection c = backOffice(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT ssn_doc, ssn_bin, note FROM " + TABLE)) {
                    assertThat(rs.next()).isTrue();
                    Object lob = rs.getObject(column);
                    assertThatThrownBy(() -> IdentityContext.runAs(AGENT, () -> read.getValue().of(lob)))
                            .as(column + " " + read.getKey())
                            .isInstanceOfSatisfying(SQLException.class, e -> {
                                assertThat(e.getSQLState()).isEqualTo("42501");
                                assertThat(e.getMessage()).doesNotContain(SSN).contains("run the query again");
                            });
                    try {
                        read.getValue().of(lob); // the back office's own read
                    } catch (java.sql.SQLFeatureNotSupportedException notByH2) {
                        // H2 searches no lob
                    }
                }
            }
        }
        try (Connection c = backOffice(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssn_doc FROM " + TABLE)) {
            rs.next();
            Clob clob = rs.getClob(1);
            assertThat(clob.getSubString(1, SSN.length())).isEqualTo(SSN);
        }
    }

    @Test
    void aLobOfAnUnmaskedColumnReadsInAnyScope() throws Exception {
        try (Connection c = backOffice(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssn_doc, note FROM " + TABLE)) {
            assertThat(rs.next()).isTrue();
            Clob note = rs.getClob("note");
            assertThat(IdentityContext.runAs(AGENT, () -> EveryGetter.text(note))).isEqualTo("plain");
        }
    }
}
