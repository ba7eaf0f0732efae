package io.governed.jdbc.it;

import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * MariaDB keeps a role enabled with SET ROLE for the session, and a pooled connection's session outlives a borrowing:
 * whoever runs the next statement there has the role's privileges. Through GovernedDataSource the role is set back
 * (SET ROLE NONE) when a borrowing ends; with the identity taken per statement, another identity's statement is refused
 * until it is.
 */
@ServerWide("SET ROLE / SESSION AUTHORIZATION, roles or users")
class PooledSessionRoleMariaDbIT extends PooledSessionRoleFixture {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    void createRole(Statement raw) throws SQLException {
        raw.execute("CREATE ROLE " + role);
        raw.execute("GRANT " + role + " TO CURRENT_USER");
    }

    @Override
    void dropRole(Statement raw) throws SQLException {
        raw.execute("DROP ROLE IF EXISTS " + role);
    }

    @Test
    void theNextBorrowerOfTheDataSourceRunsWithNoRole() throws Exception {
        assertThat(borrowAs(ADMIN, "SET ROLE " + role, "SELECT CURRENT_ROLE()")).as("the admin's role is set")
                .containsExactly(role);

        assertThat(borrowAs(USER, "SELECT CURRENT_ROLE()")).containsExactly((String) null);
    }

    @Test
    void anotherIdentitysStatementOnTheSameSessionIsRefusedUntilTheRoleIsSetBack() throws Exception {
        assertThat(perStatementAs(ADMIN, "SET ROLE " + role, "SELECT CURRENT_ROLE()")).containsExactly(role);

        assertRoleRefusedAs(USER, "SELECT CURRENT_ROLE()");
        assertRoleRefusedAs(USER, "SELECT id FROM " + secret);

        perStatementAs(ADMIN, "SET ROLE NONE");
        assertThat(perStatementAs(USER, "SELECT CURRENT_ROLE()")).containsExactly((String) null);
    }
}
