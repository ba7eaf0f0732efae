package io.governed.jdbc.unwrap;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.rowset.JdbcRowSet;
import javax.sql.rowset.RowSetProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * Metadata calls a masked caller makes on PostgreSQL beyond the result getters: getColumns' COLUMN_DEF of a masked
 * column whose default is a literal, getProcedures/getProcedureColumns/getFunctions/getFunctionColumns over a routine
 * of the schema, getClientInfoProperties; and a JdbcRowSet the JDK builds on a jdbc:governed: URL (its own
 * DriverManager connection, with the governed.* settings of the system properties). Every result a metadata call
 * gives is the governed wrapper, with no statement behind it and the governed connection; what a metadata call shows
 * of a masked column is what the database's own description shows the same caller through a governed query; the row
 * set's rows are masked and a write or a drop through it is refused, checked through a raw connection.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresMetadataAndRowSetIT {
    private static final String SCHEMA = UniqueNames.of("aps_meta");
    private static final String SECRET = "sk-live-4242-aps-default";
    private static final String SSN = "219-45-6789";
    private static final String POLICY = """
            version: 1
            default: deny
            on-unparseable: deny
            classification:
              auto-detect: false
              tags:
                secret: ["*.api_key"]
                pii.ssn: ["*.ssn"]
            rules:
              - { id: read, effect: permit, actions: [select] }
            masks:
              - { id: hide-keys, columns: { tags: [secret, pii.ssn] }, function: redact, unless: { groups: [key-holders] } }
            """;
    private static Path policy;

    @BeforeAll
    static void schema() throws Exception {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
            s.execute("CREATE TABLE " + SCHEMA + ".keys_held (id int PRIMARY KEY, ssn text, api_key text DEFAULT '"
                    + SECRET + "')");
            s.execute("INSERT INTO " + SCHEMA + ".keys_held (id, ssn) VALUES (1, '" + SSN + "')");
            s.execute("CREATE FUNCTION " + SCHEMA + ".key_of(who int, OUT k text) LANGUAGE sql AS "
                    + "$$ SELECT api_key FROM " + SCHEMA + ".keys_held WHERE id = who $$");
        }
        policy = Files.createTempFile("meta-rowset", ".yaml");
        Files.writeString(policy, POLICY);
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        Files.deleteIfExists(policy);
    }

    private static Properties settings() {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.POSTGRESQL.user());
        p.setProperty("password", TestDatabase.POSTGRESQL.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        return p;
    }

    private static Connection governed() throws SQLException {
        return DriverManager.getConnection(TestDatabase.POSTGRESQL.governedUrl(), settings());
    }

    private static Connection keyHolder() throws SQLException {
        Properties p = settings();
        p.setProperty("governed.principal", "key-keeper");
        p.setProperty("governed.groups", "key-holders");
        return DriverManager.getConnection(TestDatabase.POSTGRESQL.governedUrl(), p);
    }

    @FunctionalInterface
    private interface Call {
        ResultSet get() throws SQLException;
    }

    /** Every getter of every row of a metadata result, after checking it is governed and has no statement. */
    private static List<String> governedRows(Connection c, String what, Call call) throws SQLException {
        try (ResultSet rs = call.get()) {
            assertThat(rs.getClass().getName()).as("%s's result", what).startsWith("io.governed.");
            assertThat(rs.getStatement()).as("%s's statement", what).isNull();
            assertThatThrownBy(() -> rs.unwrap(org.postgresql.jdbc.PgResultSet.class)).isInstanceOf(SQLException.class);
            return EveryGetter.ofAllRows(rs);
        }
    }

    @Test
    void routineAndClientInfoMetadataIsGovernedAndHasNoStatementBehindIt() throws Exception {
        try (Connection c = governed()) {
            DatabaseMetaData md = c.getMetaData();
            assertThat(md.getConnection()).isSameAs(c);
            Map<String, List<String>> seen = new TreeMap<>();
            seen.put("getProcedures", governedRows(c, "getProcedures", () -> md.getProcedures(null, SCHEMA, "%")));
            seen.put("getProcedureColumns", governedRows(c, "getProcedureColumns",
                    () -> md.getProcedureColumns(null, SCHEMA, "%", "%")));
            seen.put("getFunctions", governedRows(c, "getFunctions", () -> md.getFunctions(null, SCHEMA, "%")));
            seen.put("getFunctionColumns", governedRows(c, "getFunctionColumns",
                    () -> md.getFunctionColumns(null, SCHEMA, "%", "%")));
            seen.put("getClientInfoProperties", governedRows(c, "getClientInfoProperties", md::getClientInfoProperties));
            assertThat(seen.get("getFunctionColumns")).anyMatch(v -> v.contains("who"));
            for (List<String> values : seen.values()) {
                assertThat(values).noneMatch(v -> v.contains(SECRET) || v.contains(SSN));
            }
        }
    }

    /** COLUMN_DEF of the masked column, by every getter of it; and whether wasNull said so after each. */
    private static List<String> columnDefaults(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getColumns(null, SCHEMA, "keys_held", "%")) {
            while (rs.next()) {
                out.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("COLUMN_DEF") + "/" + rs.wasNull());
                out.add(rs.getString(13) + "/" + rs.getObject(13) + "/" + rs.getObject("column_def", String.class)
                        + "/" + rs.getNString("COLUMN_DEF") + "/" + rs.getCharacterStream(13) + "/"
                        + (rs.getBytes(13) == null ? "null" : new String(rs.getBytes(13), java.nio.charset.StandardCharsets.UTF_8)));
                out.addAll(EveryGetter.of(rs, 13, "COLUMN_DEF").values());
                assertThat(rs.getStatement()).isNull();
            }
        }
        return out;
    }

    /**
     * A column's default is a literal written into the schema: a default key, the value every row of a masked column
     * starts with. The same caller reads the defaults redacted through information_schema.columns.column_default;
     * getColumns' COLUMN_DEF must not hand them out in clear (before: 'sk-live-…'::text). For a caller any mask applies
     * to it is SQL NULL; a caller no mask applies to sees the database's own.
     */
    @Test
    void aMaskedCallerIsNotToldTheDefaultsMetadataDescribes() throws Exception {
        String described;
        List<String> viaMetadata;
        try (Connection c = governed()) {
            viaMetadata = columnDefaults(c);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT column_default FROM "
                    + "information_schema.columns WHERE table_schema = '" + SCHEMA + "' AND table_name = 'keys_held'"
                    + " AND column_name = 'api_key'")) {
                assertThat(rs.next()).isTrue();
                described = rs.getString(1);
            }
        }
        assertThat(described).doesNotContain(SECRET);
        assertThat(viaMetadata).isNotEmpty().noneMatch(v -> v.contains("sk-live") || v.contains("4242"));
        assertThat(viaMetadata).contains("api_key:null/true", "id:null/true");
        String raw;
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw();
             ResultSet rs = c.getMetaData().getColumns(null, SCHEMA, "keys_held", "api_key")) {
            rs.next();
            raw = rs.getString("COLUMN_DEF");
        }
        assertThat(raw).contains(SECRET);
        try (Connection c = keyHolder(); ResultSet rs = c.getMetaData().getColumns(null, SCHEMA, "keys_held", "api_key")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("COLUMN_DEF")).isEqualTo(raw);
        }
    }

    @Test
    void aJdbcRowSetOnAGovernedUrlReadsMaskedAndCannotWriteOrDrop() throws Exception {
        Properties before = (Properties) System.getProperties().clone();
        System.setProperty("governed.policy", policy.toString());
        System.setProperty("governed.principal", "analyst");
        try (JdbcRowSet rows = RowSetProvider.newFactory().createJdbcRowSet()) {
            rows.setUrl(TestDatabase.POSTGRESQL.governedUrl());
            rows.setUsername(TestDatabase.POSTGRESQL.user());
            rows.setPassword(TestDatabase.POSTGRESQL.password());
            rows.setCommand("SELECT id, ssn, api_key FROM " + SCHEMA + ".keys_held ORDER BY id");
            rows.setConcurrency(ResultSet.CONCUR_UPDATABLE);
            rows.setType(ResultSet.TYPE_SCROLL_INSENSITIVE);
            rows.execute();
            List<String> values = new ArrayList<>(EveryGetter.ofAllRows(rows));
            assertThat(values).isNotEmpty().noneMatch(v -> v.contains(SSN) || v.contains(SECRET));
            rows.absolute(1);
            assertThatThrownBy(() -> {
                rows.updateString("ssn", "000-00-0000");
                rows.updateRow();
            }).isInstanceOf(SQLException.class);
        } finally {
            System.setProperties(before);
        }
        Properties again = (Properties) System.getProperties().clone();
        System.setProperty("governed.policy", policy.toString());
        System.setProperty("governed.principal", "analyst");
        try (JdbcRowSet drop = RowSetProvider.newFactory().createJdbcRowSet()) {
            drop.setUrl(TestDatabase.POSTGRESQL.governedUrl());
            drop.setUsername(TestDatabase.POSTGRESQL.user());
            drop.setPassword(TestDatabase.POSTGRESQL.password());
            drop.setCommand("DROP TABLE " + SCHEMA + ".keys_held");
            // the JDK's JdbcRowSetImpl turns the refusal of the prepare into a NullPointerException of its own (a
            // message missing from its resource bundle): the refusal is what the raw read below shows
            assertThatThrownBy(drop::execute).isNotNull();
        } finally {
            System.setProperties(again);
        }
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssn FROM " + SCHEMA + ".keys_held WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(SSN);
        }
    }
}
