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
 * PostgreSQL's custom settings (set_config('app.k', …), current_setting('app.k'), SHOW app.k) are kept by the session
 * between statements, and by a pooled connection between borrowers, as MariaDB's user variables are
 * (PooledSessionValuesIT). A value someone the mask exempts put there
 * must not reach, in clear, a caller the mask applies to: not as a result, not written into a table it then reads,
 * not probed in a WHERE. Each test borrows the single connection of a pool as one identity, then as another, and
 * checks what the database holds through a raw borrowing of the same connection.
 */
class PooledSessionSettingsIT {
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
                actions: [select, insert, update, show]
                resources: ["*"]
              - id: pii-readers-keep-settings
                effect: permit
                principals: { groups: [pii-readers] }
                actions: [select, call]
                resources: ["*"]
                when: { traits: [privilege-change] }
            masks:
              - id: mask-ids
                columns: { tags: [pii.ssn] }
                function: partial
                keep-last: 4
                unless: { groups: [pii-readers] }
            """;

    private final TestDatabase database = TestDatabase.POSTGRESQL;
    private final String customers = UniqueNames.of("pss_customers");
    private final String orders = UniqueNames.of("pss_orders");
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
        config.setPoolName("pss-" + database.name().toLowerCase());
        config.setJdbcUrl(database.rawUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(1); // one physical connection: every borrower shares its session
        pool = new HikariDataSource(config);
        governed = new GovernedDataSource(pool,
                Governance.builder().policy(PolicyLoader.fromString("pooled-settings.yaml", POLICY)).build());
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

    private static final Identity ANALYST = Identity.builder("alice").kind(IdentityKind.HUMAN).groups("analysts").build();

    @Test
    void aCustomSettingAnExemptCallerSetIsMaskedWhenTheNextBorrowerShowsIt() throws Exception {
        assertThat(queryAs(PII_READER, "SELECT set_config('app.k', ssn, false) FROM " + customers + " WHERE id = 1"))
                .isNotEmpty();
        assertThat(rawSession("SELECT current_setting('app.k')")).as("the premise: the pooled session keeps the SSN")
                .containsExactly(SSN);

        for (String read : List.of("SHOW app.k", "SHOW ALL")) {
            assertThat(queryAs(ANALYST, read)).as(read).isNotEmpty().noneMatch(v -> v != null && v.contains("45-6789"));
        }
    }

    @Test
    void aCustomSettingAnExemptCallerSetCannotBeWrittenOrProbedByTheNextBorrower() throws Exception {
        queryAs(PII_READER, "SELECT set_config('app.k', ssn, false) FROM " + customers + " WHERE id = 1");
        for (String write : List.of(
                "INSERT INTO " + orders + " (id, status) VALUES (1, current_setting('app.k'))",
                "INSERT INTO " + orders + " (id, status) SELECT 2, replace(current_setting('app.k'), '-', 'x')",
                "UPDATE " + orders + " SET status = current_setting('app.k') WHERE id = 0")) {
            assertRefusedAs(SERVICE, write, "value the session keeps");
        }
        assertRefusedAs(AGENT, "SELECT id FROM " + customers + " WHERE current_setting('app.k') LIKE '123%'",
                "value the session keeps");
        assertThat(rawSession("SELECT id || ':' || status FROM " + orders + " ORDER BY id"))
                .as("nothing was written").containsExactly("0:open");
    }

    @Test
    void theServersOwnSettingsStayClear() throws Exception {
        for (String read : List.of("SELECT current_setting('search_path')", "SHOW search_path",
                "SELECT current_setting('server_version_num')")) {
            assertThat(queryAs(ANALYST, read)).as(read).isEqualTo(rawSession(read));
        }
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
