package io.governed.jdbc.it;

import io.governed.identity.Identity;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SessionLeftoversFixture} (everyone may do anything, the SSN masked for all but pii-readers) with a table
 * {@code clear} a copy would land in: the fixture of the ITs on statements an application prepares by name through the
 * governed connection ({@code PREPARE p AS …}, MariaDB's {@code PREPARE s FROM '…'}) and runs by name ({@code EXECUTE}).
 * What a statement run by name returns is read through every getter; what it wrote, past governance.
 */
abstract class PreparedNamesFixture extends SessionLeftoversFixture {
    final String clear = UniqueNames.of("pn_clear");

    PreparedNamesFixture() {
        super("pn");
    }

    @BeforeEach
    void createClear() throws Exception {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE " + clear + " (id INT, ssn VARCHAR(20))");
        }
    }

    @AfterEach
    void dropClear() throws Exception {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + clear);
        }
    }

    /** Runs {@code statements} as {@code identity} on {@code c}, then {@code query}; its column {@code column} by every getter. */
    static List<String> readAs(Connection c, Identity identity, int column, String query, String... before)
            throws Exception {
        return IdentityContext.runAs(identity, () -> {
            List<String> read = new ArrayList<>();
            try (Statement st = c.createStatement()) {
                for (String sql : before) {
                    st.execute(sql);
                }
                try (ResultSet rs = st.executeQuery(query)) {
                    while (rs.next()) {
                        read.add(rs.getString(column));
                        read.add(String.valueOf(rs.getObject(column)));
                        byte[] bytes = rs.getBytes(column);
                        read.add(bytes == null ? "null" : new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
                        read.add(String.valueOf(rs.getObject(rs.getMetaData().getColumnLabel(column))));
                    }
                }
            }
            return read;
        });
    }

    /** Every value {@link #readAs} read is the SSN masked: never in clear, never a part of its first five digits. */
    static void assertMasked(List<String> read, String what) {
        assertThat(read).as(what + ": read something").isNotEmpty();
        assertThat(read).as(what).allSatisfy(v -> assertThat(v).doesNotContain("123-45").doesNotContain("12345")
                .isNotEqualTo(SSN));
    }

    /** {@code sql} as {@code identity} on {@code c} is refused (42501), its message naming no SSN. */
    static void assertRefused(Connection c, Identity identity, String sql, String... reason) {
        assertThatThrownBy(() -> sharedAs(c, identity, sql)).as(sql)
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql + ": " + e.getMessage())
                        .isEqualTo("42501"))
                .hasMessageNotContaining("6789")
                .satisfies(e -> assertThat(e.getMessage()).contains(reason.length == 0 ? new String[] {""} : reason));
    }

    /** {@code sql} as {@code identity} on {@code c} either is refused or returns the SSN masked: never in clear. */
    static void assertNeverClear(Connection c, Identity identity, String sql) {
        List<String> read;
        try {
            read = readAs(c, identity, 1, sql);
        } catch (SQLException refused) {
            assertThat(refused.getMessage()).doesNotContain("6789").doesNotContain("123-45");
            return;
        } catch (Exception other) {
            throw new AssertionError(other);
        }
        assertThat(read).as(sql).allSatisfy(v -> assertThat(v).doesNotContain("123-45").isNotEqualTo(SSN));
    }

    /** The rows of {@link #clear}, past governance. */
    List<String> clearRows() throws SQLException {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + clear)) {
            rs.next();
            return List.of(rs.getString(1));
        }
    }
}
