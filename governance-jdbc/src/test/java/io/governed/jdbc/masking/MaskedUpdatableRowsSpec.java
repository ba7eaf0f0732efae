package io.governed.jdbc.masking;

import io.governed.jdbc.support.EveryGetter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * An updatable result set over a masked column, on a server's driver, as a caller the mask applies to: a row updated
 * in another column, a row inserted without the masked column (a trigger fills it in from another row), and a row
 * refreshed, each read back through every getter; and the masked value written back as read (refused at the update,
 * 42501). The masked value never comes back, and the database holds what the caller wrote (read through a raw
 * connection): the clear value stays where the caller did not write it. The insert whose trigger copies the masked
 * value is refused (the code it runs reads a masked column); a refusal is an SQLException, never a leak.
 */
abstract class MaskedUpdatableRowsSpec {
    static final String POLICY = """
            version: 1
            default: deny
            classification:
              auto-detect: false
              tags:
                pii.ssn: ["*.ssn"]
            rules:
              - { id: write, effect: permit, actions: [select, insert, update, delete, call] }
            masks:
              - { id: hide-ssn, columns: { tags: [pii.ssn] }, function: redact }
            """;
    static final String SSN = "219-45-6789";
    static final List<String> PIECES = List.of(SSN, "219-45", "45-6789");

    abstract Connection governed() throws Exception;

    abstract Connection raw() throws Exception;

    /** The table: (id primary key, owner, ssn), named as the caller's session names it. */
    abstract String table();

    @BeforeEach
    void rows() throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM " + table());
            s.execute("INSERT INTO " + table() + " (id, owner, ssn) VALUES (1, 'ada', '" + SSN + "')");
        }
    }

    String rawSsn(int id) throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssn FROM " + table() + " WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : "<no row>";
        }
    }

    private static List<String> everyGetter(ResultSet rs) {
        List<String> out = new ArrayList<>();
        for (String label : List.of("id", "owner", "ssn")) {
            try {
                int i = rs.findColumn(label);
                EveryGetter.of(rs, i, label).forEach((k, v) -> out.add(label + "." + k + "=" + v));
            } catch (SQLException e) {
                out.add(label + "!" + e.getMessage());
            }
        }
        return out;
    }

    private static void assertNoPiece(List<String> seen) {
        for (String s : seen) {
            for (String piece : PIECES) {
                assertThat(s).as(s).doesNotContain(piece);
            }
        }
    }

    private static Statement updatable(Connection c) throws SQLException {
        return c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE);
    }

    @Test
    void updateAnotherColumnThenReadTheRow() throws Exception {
        List<String> seen = new ArrayList<>();
        try (Connection c = governed(); Statement s = updatable(c);
             ResultSet rs = s.executeQuery("SELECT id, owner, ssn FROM " + table() + " WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            rs.updateString("owner", "bea");
            try {
                rs.updateRow();
                seen.add("updateRow");
            } catch (SQLException refused) {
                seen.add("updateRow!" + refused.getMessage());
            }
            seen.addAll(everyGetter(rs));
            try {
                rs.refreshRow();
                seen.addAll(everyGetter(rs));
            } catch (SQLException refused) {
                seen.add("refreshRow!" + refused.getMessage());
            }
        }
        assertNoPiece(seen);
        assertThat(rawSsn(1)).as("the clear value, untouched").isEqualTo(SSN);
    }

    /**
     * A row write the database rejects for a constraint over the masked column (a unique key of owner and ssn): the
     * database's message quotes the key's values, the masked one among them; what the caller sees does not.
     */
    @Test
    void aRowWriteFailingOnAKeyOverTheMaskedColumn() throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + table() + " (id, owner, ssn) VALUES (2, 'bea', '" + SSN + "')");
        }
        List<String> seen = new ArrayList<>();
        try (Connection c = governed(); Statement s = updatable(c);
             ResultSet rs = s.executeQuery("SELECT id, owner, ssn FROM " + table() + " WHERE id = 2")) {
            assertThat(rs.next()).isTrue();
            rs.updateString("owner", "ada");
            try {
                rs.updateRow();
                seen.add("updateRow");
            } catch (SQLException failed) {
                seen.add("updateRow!" + String.join(" | ", io.governed.jdbc.support.ExceptionTexts.of(failed)));
            }
            seen.add("warnings=" + rs.getWarnings() + s.getWarnings() + c.getWarnings());
        }
        assertThat(seen.get(0)).as("the database refuses the row").startsWith("updateRow!");
        assertNoPiece(seen);
        assertThat(rawSsn(2)).isEqualTo(SSN);
    }

    @Test
    void writeTheMaskedValueBack() throws Exception {
        List<String> seen = new ArrayList<>();
        try (Connection c = governed(); Statement s = updatable(c);
             ResultSet rs = s.executeQuery("SELECT id, owner, ssn FROM " + table() + " WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            String masked = rs.getString("ssn");
            seen.add("masked=" + masked);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> rs.updateString("ssn", masked))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            rs.updateString("owner", "bea");
            rs.updateRow();
            seen.addAll(everyGetter(rs));
        }
        assertNoPiece(seen);
        assertThat(rawSsn(1)).as("the clear value is not overwritten with its mask").isEqualTo(SSN);
    }

    @Test
    void insertARowWhoseMaskedColumnTheDatabaseFills() throws Exception {
        List<String> seen = new ArrayList<>();
        try (Connection c = governed(); Statement s = updatable(c);
             ResultSet rs = s.executeQuery("SELECT id, owner, ssn FROM " + table())) {
            rs.moveToInsertRow();
            rs.updateInt("id", 2);
            rs.updateString("owner", "copy");
            try {
                rs.insertRow();
                seen.add("insertRow");
                seen.addAll(everyGetter(rs));
                rs.moveToCurrentRow();
                rs.beforeFirst();
                while (rs.next()) {
                    seen.addAll(everyGetter(rs));
                }
            } catch (SQLException refused) {
                seen.add("insertRow!" + refused.getMessage());
            }
        }
        assertNoPiece(seen);
    }
}
