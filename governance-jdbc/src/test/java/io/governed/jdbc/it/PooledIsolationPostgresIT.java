package io.governed.jdbc.it;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.OneConnectionPool;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * A borrower of a pooled PostgreSQL connection that sets the session's transaction isolation level by SQL leaves it in
 * the session; the session is reset when the borrowing ends, and the level the pool set through JDBC
 * (setTransactionIsolation, as HikariCP's `transactionIsolation` does) is set again. The level set again must be the
 * pool's, as it was before the borrowing changed anything, not the one the last borrower chose.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PooledIsolationPostgresIT {
    private static final TestDatabase DB = TestDatabase.POSTGRESQL;
    private static final Identity MALLORY = Identity.builder("mallory").kind(IdentityKind.SERVICE).build();
    private static final Identity NEXT = Identity.builder("next-borrower").kind(IdentityKind.SERVICE).build();
    private static final String POLICY = """
            version: 1
            rules:
              - { id: everything, effect: permit, actions: ["*"], resources: ["*"] }
            """;

    private Connection physical;
    private GovernedDataSource governed;

    @BeforeEach
    void setUp() throws Exception {
        physical = DB.connectRaw();
        governed = new GovernedDataSource(OneConnectionPool.of(physical),
                Governance.builder().policy(PolicyLoader.fromString("iso.yaml", POLICY))
                        .allowUnlistedDataSources(true).build()); // the one-connection pool sets nothing
    }

    @AfterEach
    void tearDown() throws Exception {
        if (physical != null) {
            physical.close();
        }
    }

    @Test
    void theNextBorrowerFindsThePoolsIsolationLevelNotTheLastBorrowers() throws Exception {
        String asOpened = rawIsolation();
        assertThat(borrowAs(MALLORY, "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE",
                "SHOW transaction_isolation")).containsExactly("serializable");

        assertThat(borrowAs(NEXT, "SHOW transaction_isolation")).as("the next borrower's isolation level")
                .containsExactly(asOpened);
        assertThat(rawIsolation()).as("the session's isolation level as the pool left it").isEqualTo(asOpened);
    }

    @Test
    void theIsolationLevelThePoolSetThroughJdbcIsKept() throws Exception {
        physical.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // as HikariCP's transactionIsolation
        borrowAs(MALLORY, "SET default_transaction_isolation = 'serializable'");

        assertThat(borrowAs(NEXT, "SHOW transaction_isolation")).containsExactly("repeatable read");
        assertThat(physical.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
    }

    @Test
    void aLevelChangedTwiceInOneBorrowingIsSetBackToThePools() throws Exception {
        physical.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        borrowAs(MALLORY, "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED",
                "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE");
        assertThat(rawIsolation()).isEqualTo("repeatable read");
    }

    private String rawIsolation() throws SQLException {
        try (Statement s = physical.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_catalog.current_setting('transaction_isolation')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<String> borrowAs(Identity identity, String... statements) throws Exception {
        return OneConnectionPool.borrowAs(governed, identity, statements);
    }
}
