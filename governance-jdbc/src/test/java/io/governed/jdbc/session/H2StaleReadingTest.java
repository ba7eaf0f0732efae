package io.governed.jdbc.session;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.GovernedTwins;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two connections to one H2 database: a masked and row-filtered analyst's governed one, whose unqualified names find
 * schema {@code EARLIER} first, then {@code PUBLIC}; and another, past governance, that changes the catalog between the
 * analyst's statements: a view in {@code EARLIER} under the name of {@code PUBLIC}'s table, its columns swapped or every
 * tenant's rows under the analyst's tenant, or a view replaced in place under a kept {@code PreparedStatement}. The
 * analyst's next statement, at once, must give no SSN in clear through any getter, and no row of another tenant.
 */
class H2StaleReadingTest {
    private static final List<String> CLEAR = List.of("123-45", "222-33");
    private static final String OTHER_TENANT = "Bob";

    @TempDir
    Path dir;
    private final String db = "h2:mem:frr-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1" + nameCase();
    private Connection other;
    private Path policy;

    /** The database's name case, as its first connection's URL sets it: H2's default here. */
    String nameCase() {
        return "";
    }

    @BeforeEach
    void database() throws Exception {
        other = DriverManager.getConnection("jdbc:" + db, "sa", "");
        try (Statement st = other.createStatement()) {
            st.execute("CREATE SCHEMA EARLIER");
            st.execute("CREATE TABLE PUBLIC.CUSTOMERS (ID INT PRIMARY KEY, TENANT VARCHAR(5), NAME VARCHAR(20), SSN VARCHAR(20))");
            st.execute("INSERT INTO PUBLIC.CUSTOMERS VALUES (1, 't1', 'Ann', '123-45-6789'), (2, 't2', 'Bob', '222-33-4444')");
            st.execute("CREATE TABLE PUBLIC.PEOPLE (ID INT PRIMARY KEY, NAME VARCHAR(20), SSN VARCHAR(20))");
            st.execute("INSERT INTO PUBLIC.PEOPLE VALUES (1, 'Ann', '123-45-6789')");
            st.execute("CREATE VIEW PUBLIC.V AS SELECT ID, NAME, SSN FROM PUBLIC.PEOPLE");
        }
        policy = dir.resolve("h2-stale.yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                classification: { auto-detect: false, tags: { pii.ssn: ["*.SSN"] } }
                rules:
                  - { id: read, effect: permit, principals: { kinds: [agent] }, actions: [select], resources: ["*"] }
                  - { id: path, effect: permit, principals: { kinds: [agent] }, actions: [set], resources: ["*"] }
                masks:
                  - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4 }
                row-filters:
                  - { id: tenant, tables: ["PUBLIC.CUSTOMERS"], filter: "TENANT = :identity.tenant" }
                """);
    }

    @AfterEach
    void close() throws SQLException {
        try (Statement st = other.createStatement()) {
            st.execute("SHUTDOWN");
        }
    }

    /** The analyst of tenant t1, its current schema EARLIER, then PUBLIC searched. */
    private Connection analyst() throws SQLException {
        Connection c = GovernedTwins.governed(db + ";SCHEMA=EARLIER", "sa", policy, "ann", "agent", "t1");
        try (Statement st = c.createStatement()) {
            st.execute("SET SCHEMA_SEARCH_PATH EARLIER, PUBLIC");
        }
        return c;
    }

    private void other(String ddl) throws SQLException {
        try (Statement st = other.createStatement()) {
            st.execute(ddl);
        }
    }

    private static List<String> seen(Connection c, String sql) {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            seen.addAll(EveryGetter.ofAllRows(rs));
        } catch (SQLException refused) {
            seen.add("refused: " + refused.getSQLState());
            seen.addAll(ExceptionTexts.of(refused));
        }
        return seen;
    }

    /** The first row's SSN as {@code getString} gives it, masked to its last four digits (the label in the database's case). */
    private static boolean maskedSsn(String seen) {
        return seen.regionMatches(true, 0, "1.SSN.getString=", 0, 16) && seen.endsWith("6789");
    }

    private static void noLeak(List<String> seen) {
        for (String clear : CLEAR) {
            assertThat(seen).as("no SSN in clear").noneMatch(s -> s.contains(clear));
        }
        assertThat(seen).as("no row of another tenant").noneMatch(s -> s.contains(OTHER_TENANT));
    }

    @Test
    void aViewSwappingColumnsInASchemaSearchedFirstIsSeenAtOnce() throws SQLException {
        try (Connection c = analyst()) {
            List<String> before = seen(c, "SELECT * FROM CUSTOMERS");
            assertThat(before).anyMatch(s -> s.contains("Ann")).anyMatch(s -> s.contains("6789"));
            noLeak(before);
            other("CREATE VIEW EARLIER.CUSTOMERS AS SELECT ID, TENANT, SSN AS NAME, NAME AS SSN FROM PUBLIC.CUSTOMERS");
            noLeak(seen(c, "SELECT * FROM CUSTOMERS"));
            noLeak(seen(c, "SELECT NAME FROM CUSTOMERS"));
        }
    }

    @Test
    void aViewOfEveryTenantInASchemaSearchedFirstIsSeenAtOnce() throws SQLException {
        try (Connection c = analyst()) {
            noLeak(seen(c, "SELECT ID, NAME FROM CUSTOMERS"));
            other("CREATE VIEW EARLIER.CUSTOMERS AS SELECT ID, CAST('t1' AS VARCHAR(5)) AS TENANT, NAME, SSN FROM PUBLIC.CUSTOMERS");
            noLeak(seen(c, "SELECT ID, NAME FROM CUSTOMERS"));
        }
    }

    @Test
    void aViewReplacedInPlaceUnderAKeptPreparedStatementIsSeenAtOnce() throws SQLException {
        try (Connection c = analyst(); PreparedStatement kept = c.prepareStatement("SELECT ID, NAME FROM V WHERE ID = ?")) {
            List<String> viaView = seen(c, "SELECT ID, NAME, SSN FROM V");
            assertThat(viaView).anyMatch(s -> s.equalsIgnoreCase("1.NAME.getString=Ann")).anyMatch(H2StaleReadingTest::maskedSsn);
            noLeak(viaView);
            kept.setInt(1, 1);
            try (ResultSet rs = kept.executeQuery()) {
                noLeak(EveryGetter.ofAllRows(rs));
            }
            other("CREATE OR REPLACE VIEW PUBLIC.V AS SELECT ID, SSN AS NAME, NAME AS SSN FROM PUBLIC.PEOPLE");
            List<String> keptSeen = new ArrayList<>();
            try (ResultSet rs = kept.executeQuery()) {
                keptSeen.addAll(EveryGetter.ofAllRows(rs));
            } catch (SQLException refused) {
                keptSeen.addAll(ExceptionTexts.of(refused));
            }
            List<String> plain = seen(c, "SELECT ID, NAME FROM V");
            org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
                for (String clear : CLEAR) {
                    soft.assertThat(keptSeen).as("the kept PreparedStatement").noneMatch(s -> s.contains(clear));
                    soft.assertThat(plain).as("the plain statement").noneMatch(s -> s.contains(clear));
                }
            });
        }
    }

    /** Inside a transaction too: H2's names are looked up on the newest catalog whatever the isolation. */
    @Test
    void aViewInASchemaSearchedFirstMadeInsideARepeatableReadTransactionIsSeen() throws SQLException {
        try (Connection c = analyst()) {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            noLeak(seen(c, "SELECT ID, NAME FROM CUSTOMERS"));
            other("CREATE VIEW EARLIER.CUSTOMERS AS SELECT ID, TENANT, SSN AS NAME, NAME AS SSN FROM PUBLIC.CUSTOMERS");
            List<String> after = seen(c, "SELECT ID, NAME FROM CUSTOMERS");
            c.rollback();
            noLeak(after);
        }
    }

    /** With nothing changed, the analyst's statements read as before: names found, SSN masked, own tenant only. */
    @Test
    void anUnchangedCatalogReadsAsBefore() throws SQLException {
        try (Connection c = analyst()) {
            for (int i = 0; i < 3; i++) {
                List<String> seen = seen(c, "SELECT ID, NAME, SSN FROM CUSTOMERS");
                assertThat(seen).anyMatch(s -> s.equalsIgnoreCase("1.NAME.getString=Ann")).anyMatch(H2StaleReadingTest::maskedSsn);
                noLeak(seen);
            }
        }
    }
}
