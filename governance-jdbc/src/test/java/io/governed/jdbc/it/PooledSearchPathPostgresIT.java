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
 * A borrower of a pooled PostgreSQL connection that sets the search path leaves it in the session; the session is reset
 * (DISCARD ALL) when the borrowing ends, and the schema the pool itself set through JDBC (setSchema, as HikariCP's
 * `schema` does) is set again after the reset. The schema set again must be the pool's, as it was before the borrowing
 * changed anything, not the first schema of the path the borrower left: else the next borrower's unqualified names
 * resolve in a schema the last borrower chose (its tables, its functions, run with the next borrower's privileges).
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PooledSearchPathPostgresIT {
    private static final TestDatabase DB = TestDatabase.POSTGRESQL;
    private static final String HOME = "ds_sp_home";
    private static final String PLANTED = "ds_sp_planted";
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
        dropSchemas();
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            for (String schema : List.of(HOME, PLANTED)) {
                s.execute("CREATE SCHEMA " + schema);
                s.execute("CREATE TABLE " + schema + ".notes (note pg_catalog.text)");
                s.execute("INSERT INTO " + schema + ".notes VALUES ('" + schema + "')");
            }
        }
        physical = DB.connectRaw();
        physical.setSchema(HOME); // as a pool configured with a schema sets it
        governed = new GovernedDataSource(OneConnectionPool.of(physical),
                Governance.builder().policy(PolicyLoader.fromString("sp.yaml", POLICY))
                        .allowUnlistedDataSources(true).build()); // the one-connection pool sets nothing
    }

    @AfterEach
    void tearDown() throws Exception {
        if (physical != null) {
            physical.close();
        }
        dropSchemas();
    }

    private static void dropSchemas() throws SQLException {
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + HOME + ", " + PLANTED + " CASCADE");
        }
    }

    @Test
    void theNextBorrowerFindsThePoolsSchemaNotTheOneTheLastBorrowerPutFirst() throws Exception {
        assertThat(borrowAs(NEXT, "SELECT note FROM notes")).as("the pool's schema").containsExactly(HOME);
        assertThat(borrowAs(MALLORY, "SET search_path TO " + PLANTED + ", public", "SELECT note FROM notes"))
                .containsExactly(PLANTED);

        assertThat(borrowAs(NEXT, "SELECT note FROM notes")).as("the next borrower's unqualified table")
                .containsExactly(HOME);
        assertThat(rawSearchPath()).as("the session's path as the pool left it").isEqualTo(HOME);
    }

    @Test
    void aPathChangedTwiceInOneBorrowingIsSetBackToThePoolsSchema() throws Exception {
        borrowAs(MALLORY, "SET search_path TO public", "SET search_path TO " + PLANTED);
        assertThat(rawSearchPath()).isEqualTo(HOME);
        assertThat(borrowAs(NEXT, "SELECT note FROM notes")).containsExactly(HOME);
    }

    @Test
    void aPoolWithoutASchemaGetsTheDefaultPathBack() throws Exception {
        physical.setSchema(null);
        String asOpened = rawSearchPath();
        borrowAs(MALLORY, "SET search_path TO " + PLANTED);
        assertThat(rawSearchPath()).isEqualTo(asOpened);
    }

    private String rawSearchPath() throws SQLException {
        try (Statement s = physical.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_catalog.current_setting('search_path')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<String> borrowAs(Identity identity, String... statements) throws Exception {
        return OneConnectionPool.borrowAs(governed, identity, statements);
    }
}
