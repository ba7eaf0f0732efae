package io.governed.jdbc.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.gate.CallKind;
import io.governed.jdbc.gate.GateRequest;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.JdbcValues;
import io.governed.jdbc.support.RecordingDecisions;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * Proves HikariCP and the governed driver compose both ways: a pool whose jdbcUrl is
 * jdbc:governed:... (identity passed as data source properties) serves governed connections whose
 * statements need that identity, and a GovernedDataSource around a pool of raw connections sends
 * every statement of every borrowing through the gate, as the identity current at the time. Driver
 * options given as data source properties reach the delegate driver as they would without governance.
 */
class HikariIT {
    private static final Identity SERVICE = Identity.builder("billing").kind(IdentityKind.SERVICE).build();
    private static final Identity ALICE =
            Identity.builder("alice").kind(IdentityKind.HUMAN).groups("analysts").build();

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL"})
    void aPoolOfGovernedUrlConnectionsServesQueriesAsTheConfiguredPrincipal(TestDatabase database) throws Exception {
        database.requireReachable();
        Properties governedSettings = new Properties();
        governedSettings.setProperty("governed.principal", "pool-user");
        governedSettings.setProperty("governed.kind", "service");
        governedSettings.setProperty("governed.groups", "billing,readers");
        try (HikariDataSource pool = pool(database.governedUrl(), database, governedSettings)) {
            for (int borrowing = 0; borrowing < 5; borrowing++) {
                try (Connection c = pool.getConnection();
                     PreparedStatement ps = c.prepareStatement("SELECT ? + 1")) {
                    GovernedConnection governed = c.unwrap(GovernedConnection.class);
                    assertThat(governed.identity().principal()).isEqualTo("pool-user");
                    assertThat(governed.identity().kind()).isEqualTo(IdentityKind.SERVICE);
                    assertThat(governed.identity().groups()).containsExactly("billing", "readers"); // as governed.groups lists them
                    ps.setInt(1, borrowing);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(borrowing + 1);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL"})
    void aPoolOfGovernedUrlConnectionsWithoutAnyIdentityRefusesStatements(TestDatabase database) throws Exception {
        database.requireReachable();
        try (HikariDataSource pool = pool(database.governedUrl(), database, new Properties());
             Connection c = pool.getConnection();
             Statement st = c.createStatement()) {
            assertThat(c.isValid(5)).as("the pool's own liveness check is not a statement").isTrue();
            assertThatThrownBy(() -> st.executeQuery("SELECT 1"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("governed.principal")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL"})
    void aGovernedDataSourceAroundAPoolGatesEveryStatementAsTheCurrentIdentity(TestDatabase database) throws Exception {
        database.requireReachable();
        RecordingDecisions decisions = new RecordingDecisions();
        Governance governance = Governance.builder().decisionFunction(decisions).defaultIdentity(SERVICE).build();
        String table = UniqueNames.of("hikari_wrapped");
        try (GovernedDataSource governed = new GovernedDataSource(pool(database.rawUrl(), database, new Properties()), governance)) {
            try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
                assertThat(c).isInstanceOf(GovernedConnection.class);
                st.execute("CREATE TABLE " + table + " (n INT)");
                st.addBatch("INSERT INTO " + table + " VALUES (1)");
                st.addBatch("INSERT INTO " + table + " VALUES (2)");
                assertThat(st.executeBatch()).containsExactly(1, 1);
            }
            List<List<Object>> rows = IdentityContext.runAs(ALICE, () -> {
                try (Connection c = governed.getConnection();
                     PreparedStatement ps = c.prepareStatement("SELECT n FROM " + table + " WHERE n > ? ORDER BY n")) {
                    ps.setInt(1, 0);
                    try (ResultSet rs = ps.executeQuery()) {
                        return JdbcValues.rows(rs);
                    }
                }
            });
            assertThat(rows).containsExactly(List.of(1), List.of(2));
            try (Connection c = governed.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP TABLE " + table);
            }
        }
        assertThat(decisions.requests()).extracting(r -> r.identity().principal() + " " + r.callKind() + " " + r.sql().sql())
                .containsExactly(
                        "billing EXECUTE CREATE TABLE " + table + " (n INT)",
                        "billing BATCH INSERT INTO " + table + " VALUES (1)",
                        "billing BATCH INSERT INTO " + table + " VALUES (2)",
                        "billing BATCH INSERT INTO " + table + " VALUES (1)",
                        "billing BATCH INSERT INTO " + table + " VALUES (2)",
                        "alice PREPARE SELECT n FROM " + table + " WHERE n > ? ORDER BY n",
                        "alice QUERY SELECT n FROM " + table + " WHERE n > ? ORDER BY n",
                        "billing EXECUTE DROP TABLE " + table);
        assertThat(decisions.requests()).extracting(GateRequest::callKind).doesNotContain(CallKind.NATIVE_SQL);
    }

    @Test
    void aDataSourcePropertyWithATypedValueReachesTheDriverAsItDoesWithoutGovernance() throws Exception {
        TestDatabase database = TestDatabase.MARIADB;
        database.requireReachable();
        Properties typed = new Properties();
        typed.put("defaultFetchSize", 77); // HikariConfig.addDataSourceProperty takes any Object, as here
        Properties governedTyped = new Properties();
        governedTyped.putAll(typed);
        governedTyped.setProperty("governed.principal", "pool-user");
        try (HikariDataSource raw = pool(database.rawUrl(), database, typed);
             HikariDataSource governed = pool(database.governedUrl(), database, governedTyped);
             Connection rawConnection = raw.getConnection();
             Connection governedConnection = governed.getConnection();
             Statement rawStatement = rawConnection.createStatement();
             Statement governedStatement = governedConnection.createStatement()) {
            assertThat(rawStatement.getFetchSize()).as("the raw driver honours the typed property").isEqualTo(77);
            assertThat(governedStatement.getFetchSize()).as("the same property through jdbc:governed:").isEqualTo(77);
        }
    }

    private static HikariDataSource pool(String url, TestDatabase database, Properties dataSourceProperties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("governed-it-" + database.name().toLowerCase());
        config.setJdbcUrl(url);
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(1);
        config.setDataSourceProperties(dataSourceProperties);
        return new HikariDataSource(config);
    }
}
