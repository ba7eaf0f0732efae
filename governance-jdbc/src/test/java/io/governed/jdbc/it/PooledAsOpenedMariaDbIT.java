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
 * A borrower of a pooled MariaDB connection may change the session's current database (USE) or its transaction
 * isolation level (SET SESSION TRANSACTION ISOLATION LEVEL, SET SESSION tx_isolation) by SQL. The session is reset
 * (COM_RESET_CONNECTION) when the borrowing ends, and what the pool set through JDBC (setCatalog, setTransactionIsolation,
 * as HikariCP's `catalog` and `transactionIsolation` do) is set again: as it was before the borrowing changed anything,
 * never what the last borrower chose, else the next borrower's unqualified names resolve in the last borrower's database.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class PooledAsOpenedMariaDbIT {
    private static final TestDatabase DB = TestDatabase.MARIADB;
    private static final String HOME = TestDatabase.forkName("ro_db1");
    private static final String PLANTED = TestDatabase.forkName("ro_db2");
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
        dropDatabases();
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            for (String db : List.of(HOME, PLANTED)) {
                s.execute("CREATE DATABASE " + db);
                s.execute("CREATE TABLE " + db + ".notes (note VARCHAR(20))");
                s.execute("INSERT INTO " + db + ".notes VALUES ('" + db + "')");
            }
        }
        physical = java.sql.DriverManager.getConnection(DB.rawUrl() + "&useResetConnection=true", DB.user(),
                DB.password());
        physical.setCatalog(HOME); // as a pool configured with a catalog sets it
        governed = new GovernedDataSource(OneConnectionPool.of(physical),
                Governance.builder().policy(PolicyLoader.fromString("ro.yaml", POLICY))
                        .allowUnlistedDataSources(true).build()); // the one-connection pool sets nothing
    }

    @AfterEach
    void tearDown() throws Exception {
        if (physical != null) {
            physical.close();
        }
        dropDatabases();
    }

    private static void dropDatabases() throws SQLException {
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + HOME);
            s.execute("DROP DATABASE IF EXISTS " + PLANTED);
        }
    }

    @Test
    void theNextBorrowerFindsThePoolsDatabaseNotTheOneTheLastBorrowerChose() throws Exception {
        assertThat(borrowAs(NEXT, "SELECT note FROM notes")).as("the pool's database").containsExactly(HOME);
        assertThat(borrowAs(MALLORY, "USE " + PLANTED, "SELECT note FROM notes")).containsExactly(PLANTED);

        assertThat(borrowAs(NEXT, "SELECT note FROM notes")).as("the next borrower's unqualified table")
                .containsExactly(HOME);
        assertThat(rawQuery("SELECT DATABASE()")).as("the session's database as the pool left it").isEqualTo(HOME);
        assertThat(physical.getCatalog()).isEqualTo(HOME);
    }

    @Test
    void aDatabaseChangedTwiceInOneBorrowingIsSetBackToThePools() throws Exception {
        borrowAs(MALLORY, "USE " + TestDatabase.DATABASE, "USE " + PLANTED);
        assertThat(rawQuery("SELECT DATABASE()")).isEqualTo(HOME);
    }

    @Test
    void theNextBorrowerFindsThePoolsIsolationLevelNotTheLastBorrowers() throws Exception {
        physical.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED); // as HikariCP's transactionIsolation
        assertThat(borrowAs(MALLORY, "SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE",
                "SELECT @@tx_isolation")).containsExactly("SERIALIZABLE");

        assertThat(borrowAs(NEXT, "SELECT @@tx_isolation")).as("the next borrower's isolation level")
                .containsExactly("READ-COMMITTED");
        // the server's: MariaDB Connector/J's getTransactionIsolation answers from a cache a SQL SET leaves stale
        assertThat(rawQuery("SELECT @@SESSION.tx_isolation")).as("the session's isolation level as the pool left it")
                .isEqualTo("READ-COMMITTED");
    }

    @Test
    void anIsolationLevelSetAsAVariableIsSetBackToThePools() throws Exception {
        physical.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        borrowAs(MALLORY, "SET SESSION tx_isolation = 'SERIALIZABLE'");

        assertThat(rawQuery("SELECT @@tx_isolation")).isEqualTo("READ-COMMITTED");
    }

    private String rawQuery(String sql) throws SQLException {
        try (Statement s = physical.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<String> borrowAs(Identity identity, String... statements) throws Exception {
        return OneConnectionPool.borrowAs(governed, identity, statements);
    }
}
