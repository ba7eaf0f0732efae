package io.governed.jdbc.it;

import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.JdbcValues;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * A statement prepared by name through the governed connection (PREPARE p AS …), whose statement the analysis read, is
 * run by name (EXECUTE p) as that statement: its results masked by that statement's lineage for whoever runs it. A name
 * the connection did not see prepared (by a raw statement on the same session, or before a reset) stays refused to an
 * identity a mask applies to. What a copy would have written is read past governance.
 */
class PreparedNamesPostgresIT extends PreparedNamesFixture {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Test
    void anAgentsPreparedQueryOfTheSsnRunsByNameMasked() throws Exception {
        Connection c = sharedConnection(new Properties());
        sharedAs(c, AGENT, "PREPARE pn_p AS SELECT id, ssn FROM " + customers);
        assertMasked(readAs(c, AGENT, 2, "EXECUTE pn_p"), "EXECUTE pn_p");
        assertThat(readAs(c, AGENT, 1, "EXECUTE pn_p")).as("the id, which no mask names").startsWith("1");

        sharedAs(c, AGENT, "PREPARE pn_q (int) AS SELECT ssn, name FROM " + customers + " WHERE id = $1");
        assertMasked(readAs(c, AGENT, 1, "EXECUTE pn_q(1)"), "EXECUTE pn_q(1)");
        assertThat(readAs(c, AGENT, 2, "EXECUTE pn_q (1)")).startsWith("Ann");
        // a pii-reader's own statement reads it in clear (after the session is reset for it, the names are gone)
        sharedAs(c, PII_READER, "PREPARE pn_p AS SELECT id, ssn FROM " + customers);
        assertThat(readAs(c, PII_READER, 2, "EXECUTE pn_p")).startsWith(SSN);
    }

    @Test
    void aPreparedCopyIsRefusedAndWritesNothing() throws Exception {
        Connection c = sharedConnection(new Properties());
        assertRefused(c, AGENT, "PREPARE pn_w AS INSERT INTO " + clear + " SELECT id, ssn FROM " + customers, "mask-ids");
        assertRefused(c, AGENT, "EXECUTE pn_w", "by name or from text");
        assertThat(clearRows()).containsExactly("0");
    }

    @Test
    void whatAnUnmaskedIdentityPreparedIsNeverRunInClearByTheMaskedAgent() throws Exception {
        Connection c = sharedConnection(new Properties());
        sharedAs(c, PII_READER, "PREPARE pn_p AS SELECT ssn FROM " + customers);
        assertNeverClear(c, AGENT, "EXECUTE pn_p");
        assertRefused(c, AGENT, "EXECUTE pn_p", "by name or from text");

        // in a transaction the session cannot be reset for the agent: refused
        IdentityContext.runAs(PII_READER, () -> {
            c.setAutoCommit(false);
            JdbcValues.firstColumnOfLast(c, "PREPARE pn_t AS SELECT ssn FROM " + customers);
            return null;
        });
        assertNeverClear(c, AGENT, "EXECUTE pn_t");
        IdentityContext.runAs(PII_READER, () -> {
            c.rollback();
            c.setAutoCommit(true);
            return null;
        });

        // the pool's next borrower
        IdentityContext.runAs(PII_READER, () -> {
            try (Connection b = governed.getConnection()) {
                JdbcValues.firstColumnOfLast(b, "PREPARE pn_b AS SELECT ssn FROM " + customers);
            }
            return null;
        });
        IdentityContext.runAs(AGENT, () -> {
            try (Connection b = governed.getConnection()) {
                assertNeverClear(b, AGENT, "EXECUTE pn_b");
            }
            return null;
        });
    }

    @Test
    void aNamePreparedPastTheGovernedConnectionIsRefused() throws Exception {
        try (Connection raw = pool.getConnection(); Statement st = raw.createStatement()) {
            st.execute("PREPARE pn_init AS SELECT ssn FROM " + customers);
        }
        IdentityContext.runAs(AGENT, () -> {
            try (Connection b = governed.getConnection()) {
                assertRefused(b, AGENT, "EXECUTE pn_init", "by name or from text");
                // preparing the name again fails on the server (it exists): nothing is recorded, and it stays refused
                assertThatThrownBy(() -> sharedAs(b, AGENT, "PREPARE pn_init AS SELECT id FROM " + customers))
                        .isInstanceOf(SQLException.class);
                assertRefused(b, AGENT, "EXECUTE pn_init", "by name or from text");
            }
            return null;
        });
    }

    @Test
    void aPrepareThatFailsOrADeallocateLeavesNoStaleStatement() throws Exception {
        Connection c = sharedConnection(new Properties());
        sharedAs(c, AGENT, "PREPARE pn_p AS SELECT name FROM " + customers);
        // a second PREPARE of the name fails on the server, which keeps the first: so does the connection
        assertThatThrownBy(() -> sharedAs(c, AGENT, "PREPARE pn_p AS SELECT ssn FROM " + customers))
                .isInstanceOf(SQLException.class);
        assertThat(readAs(c, AGENT, 1, "EXECUTE pn_p")).startsWith("Ann");

        sharedAs(c, AGENT, "DEALLOCATE pn_p");
        assertRefused(c, AGENT, "EXECUTE pn_p", "by name or from text");
        sharedAs(c, AGENT, "PREPARE pn_p AS SELECT ssn FROM " + customers);
        assertMasked(readAs(c, AGENT, 1, "EXECUTE pn_p"), "prepared again after DEALLOCATE");

        // a text that deallocates and prepares the name again, then fails: the server keeps the new statement
        assertThatThrownBy(() -> sharedAs(c, AGENT, "DEALLOCATE pn_p; PREPARE pn_p AS SELECT ssn AS name FROM "
                + customers + "; SELECT 1 / 0")).isInstanceOf(SQLException.class);
        assertNeverClear(c, AGENT, "EXECUTE pn_p");

        sharedAs(c, AGENT, "PREPARE pn_a AS SELECT ssn FROM " + customers);
        sharedAs(c, AGENT, "DEALLOCATE ALL");
        assertRefused(c, AGENT, "EXECUTE pn_a", "by name or from text");
        sharedAs(c, AGENT, "PREPARE pn_a AS SELECT ssn FROM " + customers);
        sharedAs(c, AGENT, "DISCARD ALL");
        assertRefused(c, AGENT, "EXECUTE pn_a", "by name or from text");
        assertThat(clearRows()).containsExactly("0");
    }

    @Test
    void aPrepareInATransactionRolledBackStaysAsTheServerKeepsIt() throws Exception {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            raw.setAutoCommit(false);
            st.execute("PREPARE pn_r AS SELECT 1");
            raw.rollback();
            // PostgreSQL's PREPARE is not undone by a rollback: the name is still there
            assertThat(io.governed.jdbc.support.JdbcValues.firstColumnOfLast(raw,
                    "SELECT count(*) FROM pg_prepared_statements WHERE name = 'pn_r'")).as("the premise")
                    .containsExactly("1");
            raw.rollback();
        }
        Connection c = sharedConnection(new Properties());
        IdentityContext.runAs(AGENT, () -> {
            c.setAutoCommit(false);
            JdbcValues.firstColumnOfLast(c, "PREPARE pn_t AS SELECT id, ssn FROM " + customers);
            c.rollback();
            c.setAutoCommit(true);
            return null;
        });
        assertMasked(readAs(c, AGENT, 2, "EXECUTE pn_t"), "EXECUTE pn_t after a rollback");
    }

    @Test
    void namesAreFoldedAsPostgresqlFoldsThem() throws Exception {
        Connection c = sharedConnection(new Properties());
        sharedAs(c, AGENT, "PREPARE Pn_Case AS SELECT name FROM " + customers);
        sharedAs(c, AGENT, "PREPARE \"PN_CASE\" AS SELECT ssn FROM " + customers);
        assertThat(readAs(c, AGENT, 1, "EXECUTE pn_case")).startsWith("Ann");
        assertThat(readAs(c, AGENT, 1, "EXECUTE PN_CASE")).startsWith("Ann");
        assertThat(readAs(c, AGENT, 1, "EXECUTE \"pn_case\"")).startsWith("Ann");
        assertMasked(readAs(c, AGENT, 1, "EXECUTE \"PN_CASE\""), "EXECUTE \"PN_CASE\"");
        sharedAs(c, AGENT, "DEALLOCATE PREPARE PN_CASE");
        assertRefused(c, AGENT, "EXECUTE pn_case", "by name or from text");
        assertMasked(readAs(c, AGENT, 1, "EXECUTE \"PN_CASE\""), "the quoted name stays");
    }

    @Test
    void aStatementThatMayRunCodeForgetsTheNames() throws Exception {
        Connection c = sharedConnection(new Properties());
        sharedAs(c, AGENT, "PREPARE pn_d AS SELECT ssn FROM " + customers);
        // a DO block could deallocate and prepare the name again through dynamic SQL the analysis does not see
        try {
            sharedAs(c, AGENT, "DO $$ BEGIN PERFORM 1; END $$");
        } catch (SQLException refused) {
            // refused or not, what follows holds
        }
        assertNeverClear(c, AGENT, "EXECUTE pn_d");
        assertRefused(c, AGENT, "EXECUTE pn_d", "by name or from text");
    }

    @Test
    void aKeptNameOutlivesSettingsAndTransactionsThatLeaveItAsItWas() throws Exception {
        Connection c = sharedConnection(new Properties());
        sharedAs(c, AGENT, "PREPARE pn_k AS SELECT id, ssn FROM " + customers);
        // a setting that changes nothing the statement means, transaction control, SHOW, DISCARD PLANS: the database
        // keeps the statement as prepared, and so does the connection
        sharedAs(c, AGENT, "SET statement_timeout = '5s'");
        assertMasked(readAs(c, AGENT, 2, "EXECUTE pn_k"), "after SET statement_timeout");
        sharedAs(c, AGENT, "SET SESSION application_name TO 'pn_app'", "SHOW statement_timeout",
                "RESET statement_timeout");
        assertMasked(readAs(c, AGENT, 2, "EXECUTE pn_k"), "after SET, SHOW and RESET");
        IdentityContext.runAs(AGENT, () -> {
            c.setAutoCommit(false);
            assertMasked(readAs(c, AGENT, 2, "EXECUTE pn_k"), "in a transaction");
            c.commit();
            JdbcValues.firstColumnOfLast(c, "SELECT 1");
            c.rollback();
            c.setAutoCommit(true);
            return null;
        });
        assertMasked(readAs(c, AGENT, 2, "EXECUTE pn_k"), "after commit() and rollback()");
        sharedAs(c, AGENT, "BEGIN");
        assertMasked(readAs(c, AGENT, 2, "EXECUTE pn_k"), "after SQL BEGIN");
        sharedAs(c, AGENT, "COMMIT");
        sharedAs(c, AGENT, "START TRANSACTION", "SELECT 1", "ROLLBACK");
        assertMasked(readAs(c, AGENT, 2, "EXECUTE pn_k"), "after SQL COMMIT and ROLLBACK");
        sharedAs(c, AGENT, "DISCARD PLANS");
        assertMasked(readAs(c, AGENT, 2, "EXECUTE pn_k"), "after DISCARD PLANS, which deallocates nothing");
        // a plain query or row change leaves it too
        sharedAs(c, AGENT, "UPDATE " + orders + " SET status = 'shipped' WHERE id = 0");
        assertThat(readAs(c, AGENT, 1, "EXECUTE pn_k")).as("the id, which no mask names").startsWith("1");
    }

    @Test
    void aSearchPathThatRedirectsAKeptNameToAnotherTableRefusesIt() throws Exception {
        String schema = io.governed.jdbc.support.UniqueNames.of("pn_sp");
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            st.execute("CREATE TABLE " + schema + "." + customers + " (id INT, name VARCHAR(40), ssn VARCHAR(20))");
            st.execute("INSERT INTO " + schema + "." + customers + " VALUES (7, 'Other', 'other-ssn')");
        }
        try {
            Connection c = sharedConnection(new Properties());
            sharedAs(c, AGENT, "PREPARE pn_r AS SELECT id, name FROM " + customers);
            assertThat(readAs(c, AGENT, 2, "EXECUTE pn_r")).startsWith("Ann");
            // a search path under which the name still finds the same table keeps it
            sharedAs(c, AGENT, "SET search_path TO public, " + schema);
            assertThat(readAs(c, AGENT, 2, "EXECUTE pn_r")).as("the same table").startsWith("Ann");
            // one under which it finds another: the database parses the statement again (the premise, below)
            sharedAs(c, AGENT, "SET search_path TO " + schema + ", public");
            assertRefused(c, AGENT, "EXECUTE pn_r", "by name or from text");
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("PREPARE pn_r AS SELECT id, name FROM " + customers);
                st.execute("SET search_path TO " + schema + ", public");
                assertThat(io.governed.jdbc.support.JdbcValues.firstColumnOfLast(raw, "EXECUTE pn_r"))
                        .as("the premise: the database runs the name on the other table now").containsExactly("7");
            }
            // back to the path it was prepared under, it is the statement the connection judged again
            sharedAs(c, AGENT, "SET search_path TO public");
            assertThat(readAs(c, AGENT, 2, "EXECUTE pn_r")).startsWith("Ann");
        } finally {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Test
    void aTableCreatedElsewhereThatShadowsAKeptNamesTableRefusesIt() throws Exception {
        String schema = io.governed.jdbc.support.UniqueNames.of("pn_sh");
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        try {
            Connection c = sharedConnection(new Properties());
            sharedAs(c, AGENT, "SET search_path TO " + schema + ", public");
            sharedAs(c, AGENT, "PREPARE pn_h AS SELECT id, name FROM " + customers);
            assertThat(readAs(c, AGENT, 2, "EXECUTE pn_h")).startsWith("Ann");
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("SET search_path TO " + schema + ", public");
                st.execute("PREPARE pn_h AS SELECT id, name FROM " + customers);
                // another session creates a table of the name in the schema searched first: a statement written now
                // reads it, while the name keeps the table it was prepared on until something makes the database
                // analyse it again, which the connection cannot see coming
                try (Connection other = database().connectRaw(); Statement o = other.createStatement()) {
                    o.execute("CREATE TABLE " + schema + "." + customers + " (id INT, name VARCHAR(40), ssn VARCHAR(20))");
                    o.execute("INSERT INTO " + schema + "." + customers + " VALUES (7, 'Other', 'other-ssn')");
                }
                assertThat(io.governed.jdbc.support.JdbcValues.firstColumnOfLast(raw, "EXECUTE pn_h"))
                        .as("the premise: the name still runs on the table it was prepared on").containsExactly("1");
                assertThat(io.governed.jdbc.support.JdbcValues.firstColumnOfLast(raw,
                        "SELECT id, name FROM " + customers)).as("the premise: the text names the new one").containsExactly("7");
            }
            Thread.sleep(1_100); // the catalog's readings are kept about a second
            assertThat(readAs(c, AGENT, 2, "SELECT id, name FROM " + customers)).startsWith("Other");
            // run by name, it is refused or read as the statement the database runs: never judged on the new table
            try {
                assertThat(readAs(c, AGENT, 2, "EXECUTE pn_h")).startsWith("Ann");
            } catch (SQLException refused) {
                assertThat(refused.getSQLState()).isEqualTo("42501");
            }
            // once the session's names are read again, the text resolves to the new table: the name is not used
            sharedAs(c, AGENT, "SET search_path TO " + schema + ", public");
            assertRefused(c, AGENT, "EXECUTE pn_h", "by name or from text");
        } finally {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /**
     * Another session creates, under a schema the agent's session searches first, a view of the kept name's table name
     * that shows the SSN under a column no mask names, and makes the database analyse the statement again (ANALYZE of
     * the table it was prepared on): the database now runs the name on the view. Run by name, it is refused.
     */
    @Test
    void aViewCreatedElsewhereThatShadowsAKeptNameNeverShowsTheSsn() throws Exception {
        String schema = io.governed.jdbc.support.UniqueNames.of("pf_shv");
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        try {
            Connection c = sharedConnection(new Properties());
            sharedAs(c, AGENT, "SET search_path TO " + schema + ", public");
            sharedAs(c, AGENT, "PREPARE pf_v AS SELECT id, name FROM " + customers);
            assertThat(readAs(c, AGENT, 2, "EXECUTE pf_v")).startsWith("Ann");
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("SET search_path TO " + schema + ", public");
                st.execute("PREPARE pf_v AS SELECT id, name FROM " + customers);
                shadow(schema + "." + customers, "SELECT id, ssn::VARCHAR(40) AS name FROM public." + customers, customers);
                try (java.sql.ResultSet rs = st.executeQuery("EXECUTE pf_v")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(2)).as("the premise: the database runs the name on the view now").isEqualTo(SSN);
                }
            }
            assertNeverClearIn(c, AGENT, 2, "EXECUTE pf_v");
            assertRefused(c, AGENT, "EXECUTE pf_v", "by name or from text");
        } finally {
            dropSchema(schema);
        }
    }

    /**
     * A temporary table of the kept name's table name, made on the agent's own session by a function it calls (the
     * session's temporary schema is searched before any other): the name is not run as it was prepared.
     */
    @Test
    void aTemporaryTableThatShadowsAKeptNameNeverShowsTheSsn() throws Exception {
        String schema = io.governed.jdbc.support.UniqueNames.of("pf_tmp");
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            st.execute("CREATE FUNCTION " + schema + ".pf_mk() RETURNS int LANGUAGE plpgsql AS $$ BEGIN"
                    + " CREATE TEMP TABLE " + customers + " AS SELECT id, ssn::VARCHAR(40) AS name FROM public." + customers
                    + "; RETURN 1; END $$");
        }
        try {
            Connection c = sharedConnection(new Properties());
            sharedAs(c, AGENT, "PREPARE pf_t AS SELECT id, name FROM " + customers);
            assertThat(readAs(c, AGENT, 2, "EXECUTE pf_t")).startsWith("Ann");
            try {
                sharedAs(c, AGENT, "SELECT " + schema + ".pf_mk()");
            } catch (SQLException refused) {
                // refused or not, what follows holds
            }
            assertNeverClearIn(c, AGENT, 2, "EXECUTE pf_t");
        } finally {
            dropSchema(schema);
        }
    }

    /**
     * A function the agent calls between PREPARE and EXECUTE sets the search path to a schema holding a view of the
     * table's name showing the SSN: the database analyses the statement again under the new path.
     */
    @Test
    void aSearchPathSetInsideAFunctionNeverRedirectsAKeptNameToTheSsn() throws Exception {
        String schema = io.governed.jdbc.support.UniqueNames.of("pf_scf");
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            st.execute("CREATE VIEW " + schema + "." + customers + " AS SELECT id, ssn::VARCHAR(40) AS name FROM public." + customers);
            st.execute("CREATE FUNCTION " + schema + ".pf_sp() RETURNS text LANGUAGE plpgsql AS $$ BEGIN"
                    + " RETURN pg_catalog.set_config('search_path', '" + schema + ", public', false); END $$");
        }
        try {
            Connection c = sharedConnection(new Properties());
            sharedAs(c, AGENT, "PREPARE pf_c AS SELECT id, name FROM " + customers);
            assertThat(readAs(c, AGENT, 2, "EXECUTE pf_c")).startsWith("Ann");
            try {
                sharedAs(c, AGENT, "SELECT " + schema + ".pf_sp()");
            } catch (SQLException refused) {
                // refused or not, what follows holds
            }
            assertNeverClearIn(c, AGENT, 2, "EXECUTE pf_c");
            // set_config in a query of the agent's own: the same
            sharedAs(c, AGENT, "SET search_path TO public", "DEALLOCATE ALL",
                    "PREPARE pf_c AS SELECT id, name FROM " + customers);
            try {
                sharedAs(c, AGENT, "SELECT pg_catalog.set_config('search_path', '" + schema + ", public', false)");
            } catch (SQLException refused) {
                // refused or not, what follows holds
            }
            assertNeverClearIn(c, AGENT, 2, "EXECUTE pf_c");
        } finally {
            dropSchema(schema);
        }
    }

    /** One text deallocates a kept name and prepares it again with a statement showing the SSN under another column. */
    @Test
    void aNameDeallocatedAndPreparedAgainInOneTextIsNeverRunAsTheFirst() throws Exception {
        Connection c = sharedConnection(new Properties());
        sharedAs(c, AGENT, "PREPARE pf_d AS SELECT id, name FROM " + customers);
        assertThat(readAs(c, AGENT, 2, "EXECUTE pf_d")).startsWith("Ann");
        try {
            sharedAs(c, AGENT, "DEALLOCATE pf_d; PREPARE pf_d AS SELECT id, ssn::VARCHAR(40) AS name FROM " + customers);
        } catch (SQLException refused) {
            // refused or not, what follows holds
        }
        assertNeverClearIn(c, AGENT, 2, "EXECUTE pf_d");
        try {
            sharedAs(c, AGENT, "DEALLOCATE pf_d; PREPARE pf_d AS SELECT id, name FROM " + customers
                    + "; DEALLOCATE pf_d; PREPARE pf_d AS SELECT id, ssn::VARCHAR(40) AS name FROM " + customers);
        } catch (SQLException refused) {
            // refused or not, what follows holds
        }
        assertNeverClearIn(c, AGENT, 2, "EXECUTE pf_d");
    }

    /** An EXECUTE in a batch writing the masked SSN back over the clear one is refused, and writes nothing. */
    @Test
    void aMaskedValueWrittenBackThroughExecuteInABatchIsRefused() throws Exception {
        Connection c = sharedConnection(new Properties());
        String masked = readAs(c, AGENT, 1, "SELECT ssn FROM " + customers).get(0);
        assertThat(masked).as("the premise: the agent reads the SSN masked").isNotEqualTo(SSN).endsWith("6789");
        sharedAs(c, AGENT, "PREPARE pf_w (text, int) AS UPDATE " + customers + " SET ssn = $1 WHERE id = $2");
        IdentityContext.runAs(AGENT, () -> {
            // refused when added or when the batch runs
            try (Statement st = c.createStatement()) {
                assertThatThrownBy(() -> {
                    st.addBatch("EXECUTE pf_w('" + masked + "', 1)");
                    st.executeBatch();
                }).isInstanceOf(SQLException.class).hasMessageNotContaining("6789");
            }
            try (Statement st = c.createStatement()) {
                assertThatThrownBy(() -> {
                    st.addBatch("UPDATE " + clear + " SET id = 0 WHERE id = -1");
                    st.addBatch("EXECUTE pf_w('" + masked + "', 1)");
                    st.executeBatch();
                }).isInstanceOf(SQLException.class).hasMessageNotContaining("6789");
            }
            return null;
        });
        assertThat(rawSsn()).as("nothing was written").isEqualTo(SSN);
    }

    /**
     * {@code relation} created by another session as a view of {@code definition}; then {@code analysed} analysed, which
     * makes the database analyse the statements prepared on it again.
     */
    private void shadow(String relation, String definition, String analysed) throws SQLException {
        try (Connection other = database().connectRaw(); Statement o = other.createStatement()) {
            o.execute("CREATE VIEW " + relation + " AS " + definition);
            o.execute("ANALYZE public." + analysed);
        }
    }

    private void dropSchema(String schema) throws SQLException {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /** {@code sql} as {@code identity} either is refused or returns column {@code column} without the SSN, by every getter. */
    static void assertNeverClearIn(Connection c, io.governed.identity.Identity identity, int column, String sql) {
        List<String> read;
        try {
            read = readAs(c, identity, column, sql);
        } catch (SQLException refused) {
            assertThat(refused.getMessage()).doesNotContain("6789").doesNotContain("123-45");
            return;
        } catch (Exception other) {
            throw new AssertionError(other);
        }
        assertThat(read).as(sql).allSatisfy(v -> assertThat(v).doesNotContain("123-45").doesNotContain("12345"));
    }

    @Test
    void ddlOnTheSessionForgetsEveryName() throws Exception {
        String other = io.governed.jdbc.support.UniqueNames.of("pn_ren");
        Connection c = sharedConnection(new Properties());
        try {
            sharedAs(c, AGENT, "PREPARE pn_n AS SELECT id, status FROM " + orders);
            // a rename swaps the table the name's text names: the database plans the statement again on the new one
            sharedAs(c, AGENT, "ALTER TABLE " + orders + " RENAME TO " + other,
                    "CREATE TABLE " + orders + " (id INT PRIMARY KEY, status VARCHAR(20))",
                    "INSERT INTO " + orders + " VALUES (5, 'renamed')");
            assertRefused(c, AGENT, "EXECUTE pn_n", "by name or from text");
        } finally {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + other);
            }
        }
    }

    @Test
    void aMaskedValueWrittenBackThroughExecuteIsRefusedAsWhenBound() throws Exception {
        Connection c = sharedConnection(new Properties());
        String masked = readAs(c, AGENT, 1, "SELECT ssn FROM " + customers).get(0);
        assertThat(masked).as("the premise: the agent reads the SSN masked").isNotEqualTo(SSN).endsWith("6789");
        // the same UPDATE prepared by the application with the value bound: refused
        IdentityContext.runAs(AGENT, () -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement("UPDATE " + customers + " SET ssn = ? WHERE id = ?")) {
                ps.setString(1, masked);
                ps.setInt(2, 1);
                assertThatThrownBy(ps::executeUpdate).isInstanceOf(SQLException.class)
                        .hasMessageContaining("mask-ids").hasMessageNotContaining("6789");
            }
            return null;
        });
        sharedAs(c, AGENT, "PREPARE pn_w (text, int) AS UPDATE " + customers + " SET ssn = $1 WHERE id = $2");
        assertRefused(c, AGENT, "EXECUTE pn_w('" + masked + "', 1)", "mask-ids", "in the form the mask shows it");
        sharedAs(c, AGENT, "PREPARE pn_v (int, text) AS UPDATE " + customers + " SET ssn = $2::text WHERE id = $1");
        assertRefused(c, AGENT, "EXECUTE pn_v(1, '" + masked + "')", "mask-ids");
        assertThat(rawSsn()).as("nothing was written").isEqualTo(SSN);
        // a new value is written, as when bound
        sharedAs(c, AGENT, "EXECUTE pn_w('987-65-4321', 1)");
        assertThat(rawSsn()).isEqualTo("987-65-4321");
    }

    /** Customer 1's SSN, past governance. */
    private String rawSsn() throws SQLException {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT ssn FROM " + customers + " WHERE id = 1")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
