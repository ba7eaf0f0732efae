package io.governed.jdbc.it;

import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * MariaDB's PREPARE s FROM '…' through the governed connection, whose string the analysis reads, is run by name
 * (EXECUTE s [USING …]) as that statement: its results masked by its lineage. A text from a variable (FROM @q) is not
 * seen, and stays refused to an identity a mask applies to, as does a name the connection no longer knows for certain.
 */
class PreparedNamesMariaDbIT extends PreparedNamesFixture {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Test
    void anAgentsPreparedQueryOfTheSsnRunsByNameMasked() throws Exception {
        Connection c = sharedConnection(new Properties());
        sharedAs(c, AGENT, "PREPARE pn_s FROM 'SELECT id, ssn FROM " + customers + "'");
        assertMasked(readAs(c, AGENT, 2, "EXECUTE pn_s"), "EXECUTE pn_s");
        assertThat(sharedAs(c, AGENT, "EXECUTE pn_s")).as("the id, which no mask names").containsExactly("1");

        sharedAs(c, AGENT, "PREPARE pn_u FROM 'SELECT ssn, name FROM " + customers + " WHERE id = ?'");
        assertMasked(readAs(c, AGENT, 1, "EXECUTE pn_u USING @pn_id", "SET @pn_id = 1"), "EXECUTE … USING @v");
        assertMasked(readAs(c, AGENT, 1, "EXECUTE pn_u USING 1"), "EXECUTE … USING 1");
        // names are case-insensitive
        assertThat(readAs(c, AGENT, 2, "EXECUTE PN_U USING 1")).startsWith("Ann");
    }

    @Test
    void aCopyOrATextFromAVariableIsRefusedAndWritesNothing() throws Exception {
        Connection c = sharedConnection(new Properties());
        assertRefused(c, AGENT, "PREPARE pn_w FROM 'INSERT INTO " + clear + " SELECT id, ssn FROM " + customers + "'",
                "mask-ids");
        assertRefused(c, AGENT, "EXECUTE pn_w", "by name or from text");
        sharedAs(c, AGENT, "SET @pn_q = 'INSERT INTO " + clear + " SELECT id, ssn FROM " + customers + "'");
        assertRefused(c, AGENT, "PREPARE pn_w FROM @pn_q", "by name or from text");
        assertRefused(c, AGENT, "EXECUTE pn_w", "by name or from text");
        assertRefused(c, AGENT, "EXECUTE IMMEDIATE @pn_q");
        assertThat(clearRows()).containsExactly("0");
    }

    @Test
    void aPrepareOverANameOrADeallocateForgetsIt() throws Exception {
        Connection c = sharedConnection(new Properties());
        sharedAs(c, AGENT, "PREPARE pn_s FROM 'SELECT name FROM " + customers + "'");
        assertThat(readAs(c, AGENT, 1, "EXECUTE pn_s")).startsWith("Ann");
        // MariaDB drops the name before preparing it again, and keeps none when the new text fails
        assertThatThrownBy(() -> sharedAs(c, AGENT, "PREPARE pn_s FROM 'SELECT ssn FROM pn_no_such_table'"))
                .isInstanceOf(SQLException.class);
        assertRefused(c, AGENT, "EXECUTE pn_s", "by name or from text");
        sharedAs(c, AGENT, "PREPARE pn_s FROM 'SELECT ssn FROM " + customers + "'");
        assertMasked(readAs(c, AGENT, 1, "EXECUTE pn_s"), "prepared over");
        sharedAs(c, AGENT, "DEALLOCATE PREPARE pn_s");
        assertRefused(c, AGENT, "EXECUTE pn_s", "by name or from text");
        sharedAs(c, AGENT, "PREPARE pn_s FROM 'SELECT ssn FROM " + customers + "'");
        sharedAs(c, AGENT, "DROP PREPARE PN_S");
        assertRefused(c, AGENT, "EXECUTE pn_s", "by name or from text");
    }

    @Test
    void whatAnUnmaskedIdentityPreparedIsNeverRunInClearByTheMaskedAgent() throws Exception {
        Connection c = sharedConnection(new Properties());
        sharedAs(c, PII_READER, "PREPARE pn_s FROM 'SELECT ssn FROM " + customers + "'");
        assertNeverClear(c, AGENT, "EXECUTE pn_s");
        // the session cannot be reset for the agent here (no useResetConnection): refused either way
        assertRefused(c, AGENT, "EXECUTE pn_s");
    }
    /**
     * The masked agent reads the SSN masked and writes it back through a statement prepared by name, the value given
     * as a constant or through a user variable: refused, and nothing is written (read past governance); a new value is
     * written, as when bound.
     */
    @Test
    void aMaskedValueWrittenBackThroughExecuteIsRefused() throws Exception {
        Connection c = sharedConnection(new Properties());
        String masked = readAs(c, AGENT, 1, "SELECT ssn FROM " + customers).get(0);
        assertThat(masked).as("the premise: the agent reads the SSN masked").isNotEqualTo(SSN).endsWith("6789");
        sharedAs(c, AGENT, "PREPARE pf_w FROM 'UPDATE " + customers + " SET ssn = ? WHERE id = ?'");
        assertRefused(c, AGENT, "EXECUTE pf_w USING '" + masked + "', 1", "mask-ids");
        // a user variable given a constant keeps the names
        sharedAs(c, AGENT, "SET @pf_v = '" + masked + "'");
        assertRefused(c, AGENT, "EXECUTE pf_w USING @pf_v, 1", "mask-ids");
        // USE forgets them: the EXECUTE is then SQL the analysis does not see, never a text it cannot read (which
        // on-unparseable: allow would let run)
        sharedAs(c, AGENT, "USE " + TestDatabase.DATABASE);
        assertRefused(c, AGENT, "EXECUTE pf_w USING @pf_v, 1", "by name or from text");
        assertRefused(c, AGENT, "EXECUTE pf_w USING '" + masked + "', 1", "by name or from text");
        sharedAs(c, AGENT, "PREPARE pf_w FROM 'UPDATE " + customers + " SET ssn = ? WHERE id = ?'");
        sharedAs(c, AGENT, "PREPARE pf_x FROM 'UPDATE " + customers + " SET name = ?, ssn = ? WHERE id = 1'");
        assertRefused(c, AGENT, "EXECUTE pf_x USING 'Ann', @pf_v", "mask-ids");
        assertThat(rawSsn()).as("nothing was written").isEqualTo(SSN);
        sharedAs(c, AGENT, "EXECUTE pf_w USING '987-65-4321', 1");
        assertThat(rawSsn()).isEqualTo("987-65-4321");
    }

    /**
     * The masked value written back through every other form of {@code EXECUTE … USING} MariaDB takes: expressions of
     * built-ins, several user variables, and a JDBC batch of plain statements. Each is refused (judged as the kept
     * statement, or as SQL the analysis does not see), never let through as a text the connection cannot read, which
     * {@code on-unparseable: allow} would run; the SSN is as it was (read past governance).
     */
    @Test
    void aMaskedValueWrittenBackThroughAnyFormOfUsingOrABatchIsRefused() throws Exception {
        Connection c = sharedConnection(new Properties());
        String masked = readAs(c, AGENT, 1, "SELECT ssn FROM " + customers).get(0);
        assertThat(masked).as("the premise: the agent reads the SSN masked").isNotEqualTo(SSN).endsWith("6789");
        String head = masked.substring(0, 3);
        String tail = masked.substring(3);
        sharedAs(c, AGENT, "PREPARE pf_w FROM 'UPDATE " + customers + " SET ssn = ? WHERE id = ?'");
        sharedAs(c, AGENT, "SET @pf_v = '" + masked + "', @pf_i = 1");
        for (List<String> batch : List.of(List.of("EXECUTE pf_w USING '" + masked + "', 1"),
                List.of("SET @pf_v = '" + masked + "'", "EXECUTE pf_w USING @pf_v, 1"),
                List.of("SET @pf_v = '" + masked + "', @pf_i = 1", "EXECUTE pf_w USING @pf_v, @pf_i"),
                List.of("EXECUTE pf_w USING CONCAT('" + head + "', '" + tail + "'), 1"))) {
            assertThatThrownBy(() -> io.governed.jdbc.identity.IdentityContext.runAs(AGENT, () -> {
                try (java.sql.Statement st = c.createStatement()) {
                    for (String sql : batch) {
                        st.addBatch(sql);
                    }
                    return st.executeBatch();
                }
            })).as(batch.toString()).isInstanceOf(SQLException.class).hasMessageNotContaining("6789");
            assertThat(rawSsn()).as(batch.toString()).isEqualTo(SSN);
        }
        for (String execute : List.of("EXECUTE pf_w USING @pf_v, @pf_i",
                "EXECUTE pf_w USING CONCAT('" + head + "', '" + tail + "'), 1",
                "EXECUTE pf_w USING '" + masked + "', 2-1",
                "EXECUTE pf_w USING ('" + masked + "'), (1)",
                "EXECUTE pf_w USING @pf_v, @pf_i + 0",
                "EXECUTE pf_w USING TRIM(@pf_v), 1",
                "execute PF_W using @pf_v,1;")) {
            try {
                sharedAs(c, AGENT, execute);
            } catch (SQLException refused) {
                assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
                assertThat(refused.getMessage()).doesNotContain("6789");
            }
            assertThat(rawSsn()).as(execute).isEqualTo(SSN);
        }
    }

    /** Customer 1's SSN, past governance. */
    private String rawSsn() throws SQLException {
        try (Connection raw = database().connectRaw(); java.sql.Statement st = raw.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT ssn FROM " + customers + " WHERE id = 1")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
