package io.governed.jdbc.wrapper;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.gate.SqlText;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.session.SessionState;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * An application that prepares the same statement again (an ORM does, in every transaction) finds what was worked
 * out for the text the last time on that physical connection: the analysis, the name resolution, the decision. What
 * it finds is keyed by what it depends on, so preparing again never hands out another identity's decision or one
 * made under another session state: checked here by the outcome in the database, statement by statement.
 */
class PreparedAgainTest {
    private static final String READ_NOTES = "SELECT body FROM notes WHERE id = ?";

    private final JdbcDataSource h2 = new JdbcDataSource();
    private GovernedDataSource governed;

    @BeforeEach
    void database() throws SQLException {
        h2.setURL("jdbc:h2:mem:prepared-again-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(40))");
            s.execute("INSERT INTO notes VALUES (1, 'public note')");
            s.execute("CREATE SCHEMA vault");
            s.execute("CREATE TABLE vault.notes (id INT PRIMARY KEY, body VARCHAR(40))");
            s.execute("INSERT INTO vault.notes VALUES (1, 'vault note')");
        }
        Governance governance = Governance.builder().withoutAudit()
                .policy(PolicyLoader.fromString("again.yaml", """
                        version: 1
                        default: deny
                        rules:
                          - { id: readers, effect: permit, principals: { groups: [readers] }, actions: [select], resources: ["PUBLIC.*"] }
                          - { id: schema, effect: permit, actions: [set], resources: ["*"] }
                        """))
                .defaultIdentity(Identity.builder("rita").groups("readers").build())
                .build();
        governed = new GovernedDataSource(h2, governance);
    }

    private static String read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(READ_NOTES)) {
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void theSameTextPreparedAgainOnOneConnectionIsFoundAgainAndOthersAreNot() throws SQLException {
        try (Connection c = governed.getConnection()) {
            SessionState session = ((GovernedConnection) c).session();
            SqlText first = session.preparedText(READ_NOTES);
            assertThat(session.preparedText(READ_NOTES)).isSameAs(first);
            assertThat(session.preparedText(READ_NOTES + " ")).isNotSameAs(first);
            String huge = "SELECT 1" + " ".repeat(9000);
            assertThat(session.preparedText(huge)).as("a very long text is not kept").isNotSameAs(session.preparedText(huge));
            for (int i = 0; i < 200; i++) {
                session.preparedText("SELECT " + i + " FROM notes");
            }
            assertThat(session.preparedText(READ_NOTES)).as("only the last texts are kept").isNotSameAs(first);
        }
    }

    @Test
    void anotherIdentityPreparingTheTextAgainIsDecidedForItself() throws Exception {
        Identity outsider = Identity.builder("otto").groups("guests").build();
        try (Connection c = governed.getConnection()) {
            assertThat(read(c)).isEqualTo("public note");
            GovernanceException refused = IdentityContext.runAs(outsider,
                    () -> catchThrowableOfType(GovernanceException.class, () -> read(c)));
            assertThat((Throwable) refused).as("the outsider is refused, though the text was allowed a moment ago").isNotNull();
            assertThat(refused.getSQLState()).isEqualTo("42501");
            assertThat(read(c)).as("and the reader, again, is allowed").isEqualTo("public note");
        }
    }

    @Test
    void afterTheSessionChangesTheTextPreparedAgainResolvesItsNamesAgain() throws SQLException {
        try (Connection c = governed.getConnection()) {
            assertThat(read(c)).isEqualTo("public note");
            try (Statement s = c.createStatement()) {
                s.execute("SET SCHEMA vault");
            }
            GovernanceException refused = catchThrowableOfType(GovernanceException.class, () -> read(c));
            assertThat((Throwable) refused).as("notes is vault.notes now, which no rule permits").isNotNull();
            assertThat(refused.getMessage()).containsIgnoringCase("vault");
            try (Statement s = c.createStatement()) {
                s.execute("SET SCHEMA PUBLIC");
            }
            assertThat(read(c)).isEqualTo("public note");
        }
    }
}
