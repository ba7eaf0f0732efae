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

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A pool of one physical connection, borrowed by one identity after another, over a table of customers holding an
 * SSN and a table of orders; statements run as an identity through the governed DataSource, or past governance on the
 * same physical connection ({@link #rawSession}): the fixture of {@link PooledSessionValuesIT} and
 * {@link PooledSessionSettingsIT}.
 */
abstract class PooledSessionFixture {
    static final String SSN = "123-45-6789";

    static final Identity PII_READER =
            Identity.builder("rita").kind(IdentityKind.HUMAN).groups("pii-readers").build();
    static final Identity SERVICE = Identity.builder("order-service").kind(IdentityKind.SERVICE).build();
    static final Identity AGENT =
            Identity.builder("bot").kind(IdentityKind.AGENT).onBehalfOf(Identity.human("ann")).build();
    /** No row filter restricts it (the filtering ITs' policies exempt support). */
    static final Identity SUPPORT = Identity.builder("sam").kind(IdentityKind.HUMAN).groups("support").build();
    /** An analyst the filtering ITs' row filters restrict to customer Bob. */
    static final Identity BOB = Identity.builder("bob").kind(IdentityKind.HUMAN).groups("analysts")
            .attribute("customer", "Bob").build();

    private final String prefix;
    final String customers;
    final String orders;
    HikariDataSource pool;
    GovernedDataSource governed;

    PooledSessionFixture(String prefix) {
        this.prefix = prefix;
        this.customers = UniqueNames.of(prefix + "_customers");
        this.orders = UniqueNames.of(prefix + "_orders");
    }

    abstract TestDatabase database();

    /** The policy the identities borrow under. */
    abstract String policy();

    @BeforeEach
    void setUp() throws Exception {
        TestDatabase database = database();
        database.requireReachable();
        try (Connection raw = database.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE " + customers + " (id INT PRIMARY KEY, name VARCHAR(40), ssn VARCHAR(20))");
            st.execute("INSERT INTO " + customers + " VALUES (1, 'Ann', '" + SSN + "')");
            st.execute("CREATE TABLE " + orders + " (id INT PRIMARY KEY, status VARCHAR(40))");
            st.execute("INSERT INTO " + orders + " VALUES (0, 'open')");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName(prefix + "-" + database.name().toLowerCase());
        config.setJdbcUrl(database.rawUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(1); // one physical connection: every borrower shares its session
        pool = new HikariDataSource(config);
        governed = new GovernedDataSource(pool,
                Governance.builder().policy(PolicyLoader.fromString(prefix + ".yaml", policy())).build());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (pool != null) {
            pool.close();
        }
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + customers);
            st.execute("DROP TABLE IF EXISTS " + orders);
        }
    }

    void assertRefusedAs(Identity identity, String sql, String reason) throws Exception {
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

    List<String> queryAs(Identity identity, String sql) throws Exception {
        return IdentityContext.runAs(identity, () -> {
            try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
                return strings(st.executeQuery(sql));
            }
        });
    }

    /** A statement on the pool's physical connection, past governance. */
    List<String> rawSession(String sql) throws SQLException {
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
