package io.governed.jdbc.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * A pool hands one physical connection to one caller after another, and the database session keeps what a
 * statement left in it (a user variable, a custom setting) for the next. A value someone the mask exempts put there
 * must not reach, in clear, a caller the mask applies to: not as a result, not written into a table it then reads,
 * not probed in a WHERE. Each test borrows the single connection of a pool as one identity, then as another, and
 * checks what the database holds through a raw borrowing of the same connection.
 */
class PooledSessionValuesIT {
    private static final String SSN = "123-45-6789";

    private static final Identity PII_READER =
            Identity.builder("rita").kind(IdentityKind.HUMAN).groups("pii-readers").build();
    private static final Identity SERVICE = Identity.builder("order-service").kind(IdentityKind.SERVICE).build();
    private static final Identity AGENT =
            Identity.builder("bot").kind(IdentityKind.AGENT).onBehalfOf(Identity.human("ann")).build();

    private static final String POLICY = """
            version: 1
            default: deny
            classification:
              auto-detect: false
              tags:
                pii.ssn: ["*.ssn"]
            rules:
              - id: everyone-reads-and-writes
                effect: permit
                principals: { kinds: [human, service, agent] }
                actions: [select, insert, update]
                resources: ["*"]
            masks:
              - id: mask-ids
                columns: { tags: [pii.ssn] }
                function: partial
                keep-last: 4
                unless: { groups: [pii-readers] }
            """;

    private final TestDatabase database = TestDatabase.MARIADB;
    private final String customers = UniqueNames.of("psv_customers");
    private final String orders = UniqueNames.of("psv_orders");
    private HikariDataSource pool;
    private GovernedDataSource governed;

    @BeforeEach
    void setUp() throws Exception {
        database.requireReachable();
        try (Connection raw = database.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE " + customers + " (id INT PRIMARY KEY, name VARCHAR(40), ssn VARCHAR(20))");
            st.execute("INSERT INTO " + customers + " VALUES (1, 'Ann', '" + SSN + "')");
            st.execute("CREATE TABLE " + orders + " (id INT PRIMARY KEY, status VARCHAR(40))");
            st.execute("INSERT INTO " + orders + " VALUES (0, 'open')");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("psv-" + database.name().toLowerCase());
        config.setJdbcUrl(database.rawUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(1); // one physical connection: every borrower shares its session
        pool = new HikariDataSource(config);
        governed = new GovernedDataSource(pool,
                Governance.builder().policy(PolicyLoader.fromString("pooled-session.yaml", POLICY)).build());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (pool != null) {
            pool.close();
        }
        try (Connection raw = database.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + customers);
            st.execute("DROP TABLE IF EXISTS " + orders);
        }
    }

    @Test
    void aUserVariableAnExemptCallerSetCannotBeWrittenInClearByTheNextBorrower() throws Exception {
        assertThat(queryAs(PII_READER, "SELECT @k := ssn FROM " + customers + " WHERE id = 1")).containsExactly(SSN);
        assertThat(rawSession("SELECT @k")).as("the premise: the pooled session still holds the SSN").containsExactly(SSN);

        for (String write : List.of(
                "INSERT INTO " + orders + " (id, status) VALUES (1, @k)",
                "INSERT INTO " + orders + " (id, status) VALUES (2, REPLACE(@k, '-', 'x'))",
                "INSERT INTO " + orders + " (id, status) SELECT 3, @k",
                "UPDATE " + orders + " SET status = @k WHERE id = 0",
                "UPDATE " + orders + " SET status = (SELECT CONCAT('', @k)) WHERE id = 0")) {
            assertRefusedAs(SERVICE, write, "value the session keeps");
        }
        assertThat(rawSession("SELECT CONCAT(id, ':', status) FROM " + orders + " ORDER BY id"))
                .as("nothing was written").containsExactly("0:open");
        assertThat(queryAs(SERVICE, "SELECT @k")).as("read back, it stays masked").doesNotContain(SSN);
    }

    @Test
    void aUserVariableAnExemptCallerSetCannotBeProbedByAnAgent() throws Exception {
        queryAs(PII_READER, "SELECT @k := ssn FROM " + customers + " WHERE id = 1");
        assertRefusedAs(AGENT, "SELECT id FROM " + customers + " WHERE @k LIKE '123%'", "value the session keeps");
        assertRefusedAs(AGENT, "SELECT id FROM " + customers + " ORDER BY @k", "value the session keeps");
    }

    @Test
    void userVariablesStayUsableWhereNoMaskApplies() throws Exception {
        assertThat(queryAs(PII_READER, "SELECT @k := ssn FROM " + customers + " WHERE id = 1")).containsExactly(SSN);
        IdentityContext.runAs(PII_READER, () -> {
            try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("INSERT INTO " + orders + " (id, status) VALUES (1, @k)")).isEqualTo(1);
            }
        });
        assertThat(queryAs(SERVICE, "SELECT status FROM " + orders + " WHERE id = 0")).containsExactly("open");
        assertThat(rawSession("SELECT status FROM " + orders + " WHERE id = 1")).containsExactly(SSN);
    }

    private void assertRefusedAs(Identity identity, String sql, String reason) throws Exception {
        IdentityContext.runAs(identity, () -> {
            try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql)
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                        .hasMessageContaining(reason)
                        .hasMessageNotContaining("6789");
            }
        });
    }

    private List<String> queryAs(Identity identity, String sql) throws Exception {
        return IdentityContext.runAs(identity, () -> {
            try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
                return strings(st.executeQuery(sql));
            }
        });
    }

    /** A statement on the pool's physical connection, past governance. */
    private List<String> rawSession(String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            return strings(st.executeQuery(sql));
        }
    }

    private static List<String> strings(ResultSet rs) throws SQLException {
        List<String> values = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
