package io.governed.jdbc.session;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.JdbcValues;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * H2 keeps in the session, past the statement and the borrowing, user variables (SET @v = …, SET(@v, …)), local
 * temporary tables and the schema. One identity that may read a table must not hand what it read to the next identity
 * on the same physical session, which the policy forbids that table: neither through a pool's next borrowing
 * (GovernedDataSource over HikariCP, one connection) nor through another identity's statement on one shared
 * jdbc:governed:h2 connection.
 */
class H2SessionLeftoversTest {
    private static final String SECRET = "Z-7731-secret";
    private static final Identity ANN = Identity.builder("ann").kind(IdentityKind.HUMAN).groups("readers").build();
    private static final Identity BOB = Identity.builder("bob").kind(IdentityKind.HUMAN).groups("outsiders").build();
    /* Readers may do anything; outsiders may read orders, their own scratch tables and no-table queries, not notes. */
    private static final String POLICY = """
            version: 1
            default: deny
            on-unparseable: allow
            rules:
              - id: readers-do-anything
                effect: permit
                principals: { groups: [readers] }
                actions: ["*"]
                resources: ["*"]
              - id: outsiders-read-orders
                effect: permit
                principals: { groups: [outsiders] }
                actions: [select, set]
                resources: ["orders", "h2l_*"]
            """;

    private final String url = "jdbc:h2:mem:h2l_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    private Connection keeper;
    private HikariDataSource pool;
    private GovernedDataSource governed;
    private Connection shared;
    private Path policyFile;

    @BeforeEach
    void setUp() throws Exception {
        keeper = DriverManager.getConnection(url, "sa", "");
        try (Statement st = keeper.createStatement()) {
            st.execute("CREATE TABLE notes (id INT PRIMARY KEY, note VARCHAR(40))");
            st.execute("INSERT INTO notes VALUES (1, '" + SECRET + "')");
            st.execute("CREATE TABLE orders (id INT PRIMARY KEY, status VARCHAR(40))");
            st.execute("INSERT INTO orders VALUES (1, 'open')");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("h2l");
        config.setJdbcUrl(url);
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(1); // one physical connection: every borrower shares its session
        pool = new HikariDataSource(config);
        governed = new GovernedDataSource(pool,
                Governance.builder().policy(PolicyLoader.fromString("h2l.yaml", POLICY)).withoutAudit().build());
        policyFile = Files.createTempFile("h2l", ".yaml");
        Files.writeString(policyFile, POLICY);
        Properties settings = new Properties();
        settings.setProperty("user", "sa");
        settings.setProperty("password", "");
        settings.setProperty("governed.policy", policyFile.toString());
        settings.setProperty("governed.principal", "app");
        settings.setProperty("governed.kind", "service");
        shared = DriverManager.getConnection(url.replace("jdbc:", "jdbc:governed:"), settings);
    }

    @AfterEach
    void tearDown() throws Exception {
        shared.close();
        pool.close();
        try (Statement st = keeper.createStatement()) {
            st.execute("DROP ALL OBJECTS");
        }
        keeper.close();
        Files.deleteIfExists(policyFile);
    }

    @Test
    void theForbiddenTableItselfIsRefusedToBob() {
        assertThatThrownBy(() -> borrowAs(BOB, "SELECT note FROM notes")).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SET @h2l_note = (SELECT note FROM notes WHERE id = 1)",
            "SELECT SET(@h2l_note, note) FROM notes",
            "SET @h2l_note = (SELECT ARRAY_AGG(note) FROM notes)",
            "CALL SET(@h2l_note, (SELECT note FROM notes WHERE id = 1))",
    })
    void aUserVariableAnnSetIsGoneForTheNextBorrower(String plant) throws Exception {
        tryAs(() -> borrowAs(ANN, plant));

        assertBobReadsNothing(() -> everyGetterOfBorrowing(BOB, "SELECT @h2l_note"));
        assertBobReadsNothing(() -> everyGetterOfBorrowing(BOB, "SELECT status, CAST(@h2l_note AS VARCHAR) FROM orders"));
        assertThat(sessionState()).as("the pool's session").containsExactly("SCHEMA");
    }

    @Test
    void aUserVariableAnnSetInABatchOrAPreparedStatementIsGoneForTheNextBorrower() throws Exception {
        tryAs(() -> IdentityContext.runAs(ANN, () -> {
            try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
                st.addBatch("UPDATE orders SET status = 'open' WHERE id = 1");
                st.addBatch("SET @h2l_batch = (SELECT note FROM notes WHERE id = 1)");
                return st.executeBatch();
            }
        }));
        tryAs(() -> IdentityContext.runAs(ANN, () -> {
            try (Connection c = governed.getConnection();
                 java.sql.PreparedStatement ps = c.prepareStatement(
                         "SET @h2l_prepared = (SELECT note FROM notes WHERE id = ?)")) {
                ps.setInt(1, 1);
                return ps.execute();
            }
        }));

        assertBobReadsNothing(() -> everyGetterOfBorrowing(BOB, "SELECT status, @h2l_batch, @h2l_prepared FROM orders"));
        assertThat(sessionState()).as("the pool's session").containsExactly("SCHEMA");
    }

    @Test
    void aLocalTemporaryTableAnnFilledIsGoneForTheNextBorrower() throws Exception {
        tryAs(() -> borrowAs(ANN, "CREATE LOCAL TEMPORARY TABLE h2l_copy (note VARCHAR(40))",
                "INSERT INTO h2l_copy SELECT note FROM notes"));
        tryAs(() -> borrowAs(ANN, "CREATE LOCAL TEMPORARY TABLE h2l_as AS SELECT note FROM notes"));

        assertBobReadsNothing(() -> everyGetterOfBorrowing(BOB, "SELECT * FROM h2l_copy"));
        assertBobReadsNothing(() -> everyGetterOfBorrowing(BOB, "SELECT * FROM h2l_as"));
        assertThat(sessionState()).as("the pool's session").containsExactly("SCHEMA");
    }

    @Test
    void anotherIdentitysStatementOnASharedConnectionFindsNoVariableNorTemporaryTable() throws Exception {
        tryAs(() -> sharedAs(ANN, "SET @h2l_note = (SELECT note FROM notes WHERE id = 1)"));
        assertBobReadsNothing(() -> everyGetterShared(BOB, "SELECT status, @h2l_note FROM orders"));

        tryAs(() -> sharedAs(ANN, "CREATE LOCAL TEMPORARY TABLE h2l_copy (note VARCHAR(40))",
                "INSERT INTO h2l_copy SELECT note FROM notes"));
        assertBobReadsNothing(() -> everyGetterShared(BOB, "SELECT * FROM h2l_copy"));

        tryAs(() -> sharedAs(ANN, "SELECT SET(@h2l_fn, note) FROM notes"));
        assertBobReadsNothing(() -> everyGetterShared(BOB, "SELECT @h2l_fn"));
        assertThat(sharedAs(ANN, "SELECT COUNT(*) FROM h2l_copy")).as("the identity that filled it goes on")
                .containsExactly("1");
    }

    /** A trigger is Java code run with the session: the update that fires it names only orders. */
    public static final class CopiesTheNote implements org.h2.api.Trigger {
        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
            try (Statement st = conn.createStatement()) {
                st.execute("SET @h2l_trigger = (SELECT note FROM notes WHERE id = 1)");
            }
        }
    }

    @Test
    void whatATriggerSetInTheSessionIsGoneForTheNextIdentity() throws Exception {
        try (Statement st = keeper.createStatement()) {
            st.execute("CREATE TRIGGER h2l_copies BEFORE UPDATE ON orders FOR EACH ROW CALL \""
                    + CopiesTheNote.class.getName() + "\"");
        }
        tryAs(() -> borrowAs(ANN, "UPDATE orders SET status = 'open' WHERE id = 1"));
        assertBobReadsNothing(() -> everyGetterOfBorrowing(BOB, "SELECT status, @h2l_trigger FROM orders"));

        tryAs(() -> sharedAs(ANN, "UPDATE orders SET status = 'open' WHERE id = 1"));
        assertBobReadsNothing(() -> everyGetterShared(BOB, "SELECT status, @h2l_trigger FROM orders"));
        assertThat(sharedAs(ANN, "UPDATE orders SET status = 'open' WHERE id = 1", "SELECT @h2l_trigger"))
                .as("the premise: the trigger sets it").containsExactly(SECRET);
    }

    @Test
    void aSchemaAnnSetIsNotTheNextBorrowers() throws Exception {
        borrowAs(ANN, "CREATE SCHEMA h2l_other", "SET SCHEMA h2l_other");

        assertThat(borrowAs(BOB, "SELECT SCHEMA()")).containsExactly("PUBLIC");
        assertThat(sessionState()).as("the pool's session").containsExactly("SCHEMA");
    }

    @Test
    void anIsolationLevelAnnSetIsNotTheNextBorrowers() throws Exception {
        int asOpened = poolIsolation();
        assertThat(asOpened).as("the premise: the pool's level is not the one Ann sets")
                .isNotEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(IdentityContext.runAs(ANN, () -> {
            try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
                st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE");
                return c.getTransactionIsolation();
            }
        })).as("the premise: Ann's level is set").isEqualTo(Connection.TRANSACTION_SERIALIZABLE);

        assertThat(IdentityContext.runAs(BOB, () -> {
            try (Connection c = governed.getConnection()) {
                return c.getTransactionIsolation();
            }
        })).as("the next borrower's isolation level").isEqualTo(asOpened);
        assertThat(poolIsolation()).as("the pool's session").isEqualTo(asOpened);
    }

    @Test
    void anIsolationLevelAnnSetOnASharedConnectionIsNotBobs() throws Exception {
        int asOpened = shared.getTransactionIsolation();
        sharedAs(ANN, "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE");
        assertThat(shared.getTransactionIsolation()).as("the premise").isEqualTo(Connection.TRANSACTION_SERIALIZABLE);

        assertThat(sharedAs(BOB, "SELECT status FROM orders")).containsExactly("open");
        assertThat(shared.getTransactionIsolation()).as("the level Bob's statement ran with").isEqualTo(asOpened);
    }

    @Test
    void oneIdentityKeepsItsOwnVariablesWithinABorrowingAndOnASharedConnection() throws Exception {
        assertThat(borrowAs(ANN, "SET @batch = 1", "SELECT @batch")).containsExactly("1");
        assertThat(borrowAs(ANN, "SELECT @batch")).as("a new borrowing starts clear").containsExactly((String) null);
        assertThat(sharedAs(ANN, "SET @batch = 2")).isEmpty();
        assertThat(sharedAs(ANN, "SELECT @batch")).containsExactly("2");
        assertThat(sharedAs(BOB, "SELECT status FROM orders")).as("another identity's statement runs, after a reset")
                .containsExactly("open");
        assertThat(sharedAs(ANN, "SELECT @batch")).containsExactly((String) null);
    }

    @Test
    void aResetDropsNoTableButTheSessionsOwnTemporaryOne() throws Exception {
        IdentityContext.runAs(ANN, () -> {
            try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE LOCAL TEMPORARY TABLE h2l_twin (note VARCHAR(40))");
                try (Statement other = keeper.createStatement()) { // another session, unaware of it
                    other.execute("CREATE TABLE h2l_twin (note VARCHAR(40))");
                    other.execute("INSERT INTO h2l_twin VALUES ('kept')");
                }
            }
            return null;
        });

        try (Statement st = keeper.createStatement(); ResultSet rs = st.executeQuery("SELECT note FROM h2l_twin")) {
            assertThat(rs.next()).as("the other session's table is still there").isTrue();
            assertThat(rs.getString(1)).isEqualTo("kept");
        }
        assertThat(sessionState()).as("the pool's session (a new one)").containsExactly("SCHEMA");
    }

    private interface Attempt {
        Object run() throws Exception;
    }

    /** The attacker's statements: refused or run, either is fine; what matters is what the next identity finds. */
    private static void tryAs(Attempt attempt) {
        try {
            attempt.run();
        } catch (Exception refused) {
            // refused outright: nothing was planted
        }
    }

    private static void assertBobReadsNothing(Attempt read) {
        Object seen;
        try {
            seen = read.run();
        } catch (Exception refused) {
            seen = String.join(" | ", io.governed.jdbc.support.ExceptionTexts.of(refused));
        }
        assertThat(String.valueOf(seen)).doesNotContain(SECRET).doesNotContain("7731");
    }

    private List<String> borrowAs(Identity identity, String... statements) throws Exception {
        return IdentityContext.runAs(identity, () -> {
            try (Connection c = governed.getConnection()) {
                return JdbcValues.firstColumnOfLast(c, statements);
            }
        });
    }

    private List<String> sharedAs(Identity identity, String... statements) throws Exception {
        return IdentityContext.runAs(identity, () -> JdbcValues.firstColumnOfLast(shared, statements));
    }

    private List<String> everyGetterOfBorrowing(Identity identity, String sql) throws Exception {
        return IdentityContext.runAs(identity, () -> {
            try (Connection c = governed.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(sql)) {
                return EveryGetter.ofAllRows(rs);
            }
        });
    }

    private List<String> everyGetterShared(Identity identity, String sql) throws Exception {
        return IdentityContext.runAs(identity, () -> {
            try (Statement st = shared.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                return EveryGetter.ofAllRows(rs);
            }
        });
    }

    /**
     * The keys of INFORMATION_SCHEMA.SESSION_STATE of the pool's physical connection, past governance. A connection the
     * governed one closed rather than hand on may be handed out once more before the pool checks it: it fails.
     */
    private int poolIsolation() throws SQLException {
        try (Connection c = pool.getConnection()) {
            return c.getTransactionIsolation();
        }
    }

    private List<String> sessionState() throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return sessionStateOnce();
            } catch (SQLException closed) {
                if (attempt == 20) {
                    throw closed;
                }
                Thread.sleep(100);
            }
        }
    }

    private List<String> sessionStateOnce() throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT STATE_KEY FROM INFORMATION_SCHEMA.SESSION_STATE ORDER BY STATE_KEY")) {
            List<String> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
            return keys;
        }
    }
}
