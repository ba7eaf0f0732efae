package io.governed.jdbc.it;

import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * PostgreSQL keeps a role set with SET ROLE, SET SESSION AUTHORIZATION or set_config('role', …) for the session, and
 * a pooled connection's session outlives a borrowing: whoever runs the next statement there runs it with that role's
 * privileges (here: not allowed to read a table the pool's own user may read; row security that depends on
 * current_user would choose other rows). Through GovernedDataSource the role is reset when a borrowing ends; with the
 * identity taken per statement, another identity's statement is refused until the role is reset.
 */
@ServerWide("SET ROLE / SESSION AUTHORIZATION, other sessions, roles or users")
class PooledSessionRolePostgresIT extends PooledSessionRoleFixture {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    void createRole(Statement raw) throws SQLException {
        raw.execute("CREATE ROLE " + role);
    }

    @Override
    void dropRole(Statement raw) throws SQLException {
        raw.execute("DROP ROLE IF EXISTS " + role);
    }

    @Test
    void theNextBorrowerOfTheDataSourceRunsWithThePoolsOwnRole() throws Exception {
        assertThat(borrowAs(ADMIN, "SET ROLE " + role, "SELECT current_user")).as("the admin's role is set")
                .containsExactly(role);

        assertThat(borrowAs(USER, "SELECT current_user")).containsExactly("postgres");
        assertThat(borrowAs(USER, "SELECT id FROM " + secret)).as("the pool user's privileges, not the role's")
                .containsExactly("7");
    }

    @Test
    void aSessionAuthorizationAndARoleSetWithSetConfigAreResetToo() throws Exception {
        borrowAs(ADMIN, "SET SESSION AUTHORIZATION " + role);
        assertThat(borrowAs(USER, "SELECT session_user || ' ' || current_user")).containsExactly("postgres postgres");

        borrowAs(ADMIN, "SELECT set_config('role', '" + role + "', false)");
        assertThat(borrowAs(USER, "SELECT current_user")).containsExactly("postgres");
    }

    @Test
    void aRoleSetInsideARoutineIsResetWhenTheBorrowingEnds() throws Exception {
        String become = io.governed.jdbc.support.UniqueNames.of("rtr_become");
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE FUNCTION " + become + "(r text) RETURNS text LANGUAGE sql AS "
                    + "$$ SELECT set_config('role', r, false) $$");
        }
        try {
            assertThat(borrowAs(ADMIN, "SELECT " + become + "('" + role + "')", "SELECT current_user"))
                    .as("the premise: the routine set the role").containsExactly(role);

            assertThat(borrowAs(USER, "SELECT current_user")).containsExactly("postgres");
        } finally {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP FUNCTION IF EXISTS " + become + "(text)");
            }
        }
    }

    @Test
    void aRoleSetInATransactionThatFailedIsResetWhenTheBorrowingEnds() throws Exception {
        io.governed.jdbc.identity.IdentityContext.runAs(ADMIN, () -> {
            try (Connection c = governed.getConnection()) {
                c.setAutoCommit(false);
                run(c, "SET ROLE " + role);
                c.commit();
                run(c, "SET SESSION AUTHORIZATION " + role);
                assertThatThrownBy(() -> run(c, "SELECT id FROM " + secret)).isInstanceOf(SQLException.class);
                // closed with the transaction aborted: the pool rolls it back
            }
            return null;
        });

        assertThat(borrowAs(USER, "SELECT session_user || ' ' || current_user")).containsExactly("postgres postgres");
        assertThat(borrowAs(USER, "SELECT id FROM " + secret)).containsExactly("7");
    }

    @Test
    void anotherIdentitysStatementOnTheSameSessionIsRefusedUntilTheRoleIsReset() throws Exception {
        assertThat(perStatementAs(ADMIN, "SET ROLE " + role, "SELECT current_user")).containsExactly(role);

        assertRoleRefusedAs(USER, "SELECT current_user");
        assertRoleRefusedAs(USER, "SELECT id FROM " + secret);
        io.governed.jdbc.identity.IdentityContext.runAs(USER, () -> {
            try (Connection c = perStatement.getConnection();
                 java.sql.PreparedStatement ps = c.prepareStatement("SELECT id FROM " + secret + " WHERE id = ?")) {
                ps.setInt(1, 7);
                assertThatThrownBy(ps::executeQuery).as("a prepared statement too")
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                        .hasMessageContaining("another identity's statement set");
            }
            return null;
        });
        assertThat(perStatementAs(ADMIN, "SELECT current_user")).as("the identity that set it goes on")
                .containsExactly(role);

        perStatementAs(ADMIN, "RESET ROLE");
        assertThat(perStatementAs(USER, "SELECT current_user")).containsExactly("postgres");
        assertThat(perStatementAs(USER, "SELECT id FROM " + secret)).containsExactly("7");
    }

    @Test
    void aSessionWhoseRoleCannotBeResetIsNotHandedBack() throws Exception {
        io.governed.jdbc.identity.IdentityContext.runAs(ADMIN, () -> {
            try (Connection c = governed.getConnection()) {
                String pid = run(c, "SELECT pg_backend_pid()").get(0);
                run(c, "SET ROLE " + role);
                try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                    st.execute("SELECT pg_terminate_backend(" + Integer.parseInt(pid) + ")");
                }
            }
            return null;
        });

        assertThat(borrowAs(USER, "SELECT current_user")).containsExactly("postgres");
    }

    @Test
    void aPoolThatEndsTheRequestHasTheRoleReset() throws Exception {
        io.governed.jdbc.identity.IdentityContext.runAs(ADMIN, () -> {
            try (Connection c = perStatement.getConnection()) {
                run(c, "SET ROLE " + role);
                c.endRequest(); // as a pool following JDBC 4.3 does when the connection goes back
            }
            return null;
        });

        assertThat(perStatementAs(USER, "SELECT current_user")).containsExactly("postgres");
    }

    @Test
    void resettingOnlyTheRoleDoesNotUndoASessionAuthorization() throws Exception {
        perStatementAs(ADMIN, "SET SESSION AUTHORIZATION " + role, "RESET ROLE");
        assertThat(perStatementAs(ADMIN, "SELECT current_user")).as("the premise").containsExactly(role);

        assertRoleRefusedAs(USER, "SELECT current_user");

        perStatementAs(ADMIN, "RESET SESSION AUTHORIZATION");
        assertThat(perStatementAs(USER, "SELECT current_user")).containsExactly("postgres");
    }

    @Test
    void aRoleSetByAQueryWhoseResultIsLeftOpenIsKeptFromAnotherIdentity() throws Exception {
        try (Connection c = perStatement.getConnection(); Statement open = c.createStatement()) {
            io.governed.jdbc.identity.IdentityContext.runAs(ADMIN, () -> {
                java.sql.ResultSet rs = open.executeQuery("SELECT set_config('role', '" + role + "', false)");
                assertThat(rs.next()).isTrue(); // neither read to the end nor closed
                return null;
            });
            io.governed.jdbc.identity.IdentityContext.runAs(USER, () -> {
                try (Statement st = c.createStatement()) {
                    assertThatThrownBy(() -> st.executeQuery("SELECT id FROM " + secret)).isInstanceOf(SQLException.class)
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                            .hasMessageContaining("another identity's statement set");
                }
                return null;
            });
            open.close();
            io.governed.jdbc.identity.IdentityContext.runAs(ADMIN, () -> run(c, "RESET SESSION AUTHORIZATION"));
        }
        assertThat(perStatementAs(USER, "SELECT id FROM " + secret)).containsExactly("7");
    }

    @Test
    void aRoleSetWithSetConfigIsKeptFromAnotherIdentityToo() throws Exception {
        perStatementAs(ADMIN, "SELECT set_config('role', '" + role + "', false)");

        assertRoleRefusedAs(USER, "SELECT current_user");
        perStatementAs(ADMIN, "RESET ROLE");
        assertRoleRefusedAs(USER, "SELECT current_user"); // set_config may have set session_authorization as well

        perStatementAs(ADMIN, "RESET SESSION AUTHORIZATION");
        assertThat(perStatementAs(USER, "SELECT current_user")).containsExactly("postgres");
    }

    @Test
    void aResetThatIsRolledBackDoesNotCount() throws Exception {
        for (String reset : List.of("RESET ROLE", "RESET SESSION AUTHORIZATION", "SET ROLE NONE")) {
            perStatementAs(ADMIN, "SET ROLE " + role);
            try (Connection c = perStatement.getConnection()) {
                c.setAutoCommit(false);
                IdentityContext.runAs(ADMIN, () -> run(c, reset));
                c.rollback(); // the reset is undone: the role is the admin's again
                c.setAutoCommit(true);
            }
            assertThat(perStatementAs(ADMIN, "SELECT current_user")).as("the premise: " + reset).containsExactly(role);
            assertRoleRefusedAs(USER, "SELECT current_user");
            assertRoleRefusedAs(USER, "SELECT id FROM " + secret);
            perStatementAs(ADMIN, "RESET SESSION AUTHORIZATION");
            assertThat(perStatementAs(USER, "SELECT current_user")).containsExactly("postgres");
        }
    }

    @Test
    void aResetThatFailedDoesNotCount() throws Exception {
        perStatementAs(ADMIN, "SET ROLE " + role);
        try (Connection c = perStatement.getConnection()) {
            c.setAutoCommit(false);
            IdentityContext.runAs(ADMIN, () -> {
                assertThatThrownBy(() -> run(c, "SELECT 1 / 0")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> run(c, "RESET ROLE")).as("the transaction is aborted")
                        .isInstanceOf(SQLException.class);
            });
            c.rollback();
            c.setAutoCommit(true);
        }
        assertThat(perStatementAs(ADMIN, "SELECT current_user")).as("the premise").containsExactly(role);
        assertRoleRefusedAs(USER, "SELECT current_user");
        perStatementAs(ADMIN, "RESET ROLE");
        assertThat(perStatementAs(USER, "SELECT current_user")).containsExactly("postgres");
    }

    @Test
    void aResetUndoneByARollbackToASavepointDoesNotCount() throws Exception {
        perStatementAs(ADMIN, "SET ROLE " + role);
        try (Connection c = perStatement.getConnection()) {
            c.setAutoCommit(false);
            java.sql.Savepoint before = c.setSavepoint();
            IdentityContext.runAs(ADMIN, () -> run(c, "RESET ROLE"));
            c.rollback(before);
            c.commit();
            c.setAutoCommit(true);
        }
        assertThat(perStatementAs(ADMIN, "SELECT current_user")).as("the premise").containsExactly(role);
        assertRoleRefusedAs(USER, "SELECT current_user");
        perStatementAs(ADMIN, "RESET ROLE");
        assertThat(perStatementAs(USER, "SELECT current_user")).as("a reset that ran outside a transaction counts")
                .containsExactly("postgres");
    }

    @Test
    void aResetInATransactionThatCommitsIsKeptUntilTheRoleIsResetOutsideOne() throws Exception {
        perStatementAs(ADMIN, "SET ROLE " + role);
        try (Connection c = perStatement.getConnection()) {
            c.setAutoCommit(false);
            IdentityContext.runAs(ADMIN, () -> run(c, "RESET ROLE"));
            c.commit();
            c.setAutoCommit(true);
        }
        assertThat(perStatementAs(ADMIN, "SELECT current_user")).containsExactly("postgres");
        // the driver cannot tell a commit from a rollback of every transaction: fail closed until a reset that ran alone
        assertRoleRefusedAs(USER, "SELECT current_user");
        perStatementAs(ADMIN, "RESET ROLE");
        assertThat(perStatementAs(USER, "SELECT current_user")).containsExactly("postgres");
    }
}
