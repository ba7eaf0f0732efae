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

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A database role and a table only the connection's own user may read, and two pools of one physical connection each:
 * {@link #governed}, a GovernedDataSource over a HikariCP pool (one borrowing per identity), and {@link #perStatement},
 * a HikariCP pool of {@code jdbc:governed:} connections, where the identity is taken per statement from
 * {@link IdentityContext}. An admin may change the session's role; a user may not.
 */
abstract class PooledSessionRoleFixture {
    static final Identity ADMIN = Identity.builder("dana").kind(IdentityKind.HUMAN).groups("admins").build();
    static final Identity USER = Identity.builder("ulla").kind(IdentityKind.HUMAN).build();

    static final String POLICY = """
            version: 1
            default: deny
            rules:
              - id: everyone-reads
                effect: permit
                principals: { kinds: [human, service, agent] }
                actions: [select, show]
                resources: ["*"]
              - id: admins-call-routines
                effect: permit
                principals: { groups: [admins] }
                actions: [select, call]
                resources: ["*"]
              - id: admins-change-roles
                effect: permit
                principals: { groups: [admins] }
                actions: [select, set, call]
                resources: ["*"]
                when: { traits: [privilege-change] }
            """;

    final String role = UniqueNames.of("rtr_role");
    final String secret = UniqueNames.of("rtr_private");
    HikariDataSource pool;
    GovernedDataSource governed;
    HikariDataSource perStatement;
    private Path policyFile;

    abstract TestDatabase database();

    /** Creates {@link #role}, which the connection's user may switch to, and may read nothing. */
    abstract void createRole(Statement raw) throws SQLException;

    abstract void dropRole(Statement raw) throws SQLException;

    @BeforeEach
    void setUp() throws Exception {
        TestDatabase database = database();
        database.requireReachable();
        try (Connection raw = database.connectRaw(); Statement st = raw.createStatement()) {
            createRole(st);
            st.execute("CREATE TABLE " + secret + " (id INT PRIMARY KEY)");
            st.execute("INSERT INTO " + secret + " VALUES (7)");
        }
        pool = new HikariDataSource(config(database.rawUrl(), "rtr-raw"));
        governed = new GovernedDataSource(pool,
                Governance.builder().policy(PolicyLoader.fromString("rtr.yaml", POLICY)).build());
        policyFile = Files.createTempFile("rtr-policy", ".yaml");
        Files.writeString(policyFile, POLICY);
        HikariConfig config = config(database.governedUrl(), "rtr-governed");
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policyFile.toString());
        config.setDataSourceProperties(settings);
        perStatement = new HikariDataSource(config);
    }

    private HikariConfig config(String url, String name) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name + "-" + database().name().toLowerCase());
        config.setJdbcUrl(url);
        config.setUsername(database().user());
        config.setPassword(database().password());
        config.setMaximumPoolSize(1); // one physical connection: every borrower shares its session
        return config;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (perStatement != null) {
            perStatement.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (policyFile != null) {
            Files.deleteIfExists(policyFile);
        }
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + secret);
            dropRole(st);
        }
    }

    /** Runs {@code statements} as {@code identity} in one borrowing of the GovernedDataSource; returns the last one's first column. */
    List<String> borrowAs(Identity identity, String... statements) throws Exception {
        return IdentityContext.runAs(identity, () -> {
            try (Connection c = governed.getConnection()) {
                return run(c, statements);
            }
        });
    }

    /** Runs {@code statements} as {@code identity} on a borrowing of the pool of jdbc:governed: connections. */
    List<String> perStatementAs(Identity identity, String... statements) throws Exception {
        return IdentityContext.runAs(identity, () -> {
            try (Connection c = perStatement.getConnection()) {
                return run(c, statements);
            }
        });
    }

    void assertRoleRefusedAs(Identity identity, String sql) throws Exception {
        IdentityContext.runAs(identity, () -> {
            try (Connection c = perStatement.getConnection(); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql)
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                        .hasMessageContaining("another identity's statement set")
                        .hasMessageContaining("RESET ROLE")
                        .hasMessageContaining("GovernedDataSource")
                        .hasMessageNotContaining(ADMIN.principal());
            }
        });
    }

    /** Runs {@code statements} on {@code c}; the last one's first column. */
    static List<String> run(Connection c, String... statements) throws SQLException {
        return io.governed.jdbc.support.JdbcValues.firstColumnOfLast(c, statements);
    }
}
