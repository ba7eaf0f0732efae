package io.governed.jdbc.masking;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On PostgreSQL: ways a masked column gets a name no pattern of the mask matches without an {@code ALTER TABLE} of its
 * table. {@code ALTER TYPE person RENAME ATTRIBUTE ssn TO tax_id CASCADE} renames the column of every typed table of the
 * type ({@code CREATE TABLE people OF person}); {@code ALTER TABLE kid NO INHERIT people} makes the rows of a child,
 * masked as its parent's while it is one, a table of their own; {@code ALTER TABLE other INHERIT people} makes another
 * table's rows the parent's. Each is refused (42501, naming the mask, never a value) to a caller the mask applies to;
 * the catalog, read through a raw connection, is unchanged, and every getter still returns the masked values.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresMaskedNameMovesIT {
    private static final String SSN = "219-45-6789";
    private static final String KID_SSN = "318-22-4417";

    private final String type = UniqueNames.of("mv_person");
    private final String typed = UniqueNames.of("mv_typed");
    private final String people = UniqueNames.of("mv_people");
    private final String other = UniqueNames.of("mv_other");
    private Path policy;

    @BeforeEach
    void tables() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TYPE " + type + " AS (id int, ssn text)");
            st.execute("CREATE TABLE " + typed + " OF " + type);
            st.execute("INSERT INTO " + typed + " VALUES (1, '" + SSN + "')");
            st.execute("CREATE TABLE " + people + " (id int, ssn text)");
            st.execute("CREATE TABLE " + people + "_kid () INHERITS (" + people + ")");
            st.execute("INSERT INTO " + people + "_kid VALUES (2, '" + KID_SSN + "')");
            st.execute("CREATE TABLE " + other + " (id int, ssn text)");
        }
        policy = Files.createTempFile("moves-policy", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                masks:
                  - id: mask-ssn
                    columns: { patterns: ["%1$s.ssn", "public.%2$s.ssn"] }
                    function: redact
                    unless: { groups: [pii-readers] }
                """.formatted(typed, people));
    }

    @AfterEach
    void drop() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + typed);
            st.execute("DROP TYPE IF EXISTS " + type);
            st.execute("DROP TABLE IF EXISTS " + people + " CASCADE");
            st.execute("DROP TABLE IF EXISTS " + people + "_kid");
            st.execute("DROP TABLE IF EXISTS " + other);
        }
        Files.deleteIfExists(policy);
    }

    private static String rawText(String sql) throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
                out.append(rs.getString(1)).append('\n');
            }
            return out.toString();
        }
    }

    private static void refused(Statement st, String sql) {
        assertThatThrownBy(() -> st.execute(sql)).as(sql)
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                .hasMessageContaining("mask-ssn").hasMessageNotContaining(SSN).hasMessageNotContaining(KID_SSN);
    }

    private static String everything(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            List<String> seen = EveryGetter.ofAllRows(rs);
            return String.join("\n", seen);
        }
    }

    @Test
    void renamingTheAttributeOfATypedTablesTypeWithCascadeIsRefused() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectGoverned(policy, null, "analysts"); Statement st = c.createStatement()) {
            refused(st, "ALTER TYPE " + type + " RENAME ATTRIBUTE ssn TO tax_id CASCADE");
            assertThat(everything(st, "SELECT * FROM " + typed)).doesNotContain(SSN, "6789");
        }
        assertThat(rawText("SELECT column_name FROM information_schema.columns WHERE table_name = '" + typed
                + "' ORDER BY ordinal_position")).isEqualTo("id\nssn\n");
    }

    @Test
    void aChildStopsInheritingOrAnotherTableStartsOnlyForThoseTheMaskExempts() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectGoverned(policy, null, "analysts"); Statement st = c.createStatement()) {
            assertThat(everything(st, "SELECT * FROM " + people + "_kid")).as("the child, masked as its parent")
                    .doesNotContain(KID_SSN, "4417");
            refused(st, "ALTER TABLE " + people + "_kid NO INHERIT " + people);
            refused(st, "ALTER TABLE ONLY " + people + "_kid NO INHERIT public." + people);
            refused(st, "ALTER TABLE " + other + " INHERIT " + people);
            assertThat(everything(st, "SELECT * FROM " + people + "_kid")).doesNotContain(KID_SSN, "4417");
        }
        assertThat(rawText("SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'public." + people
                + "'::regclass")).isEqualTo(people + "_kid\n");
        try (Connection c = TestDatabase.POSTGRESQL.connectGoverned(policy, null, "pii-readers"); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + people + "_kid NO INHERIT " + people);
        }
        assertThat(rawText("SELECT count(*) FROM pg_inherits WHERE inhparent = 'public." + people + "'::regclass"))
                .isEqualTo("0\n");
    }
}
