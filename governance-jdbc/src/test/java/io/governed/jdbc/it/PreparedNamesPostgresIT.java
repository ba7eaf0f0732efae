package io.governed.jdbc.it;

import io.governed.jdbc.identity.IdentityContext;
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
            PooledSessionRoleFixture.run(c, "PREPARE pn_t AS SELECT ssn FROM " + customers);
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
                PooledSessionRoleFixture.run(b, "PREPARE pn_b AS SELECT ssn FROM " + customers);
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
            PooledSessionRoleFixture.run(c, "PREPARE pn_t AS SELECT id, ssn FROM " + customers);
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
}
