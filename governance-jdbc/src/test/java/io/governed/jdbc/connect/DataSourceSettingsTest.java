package io.governed.jdbc.connect;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a data source wrapped by {@link GovernedDataSource} may do when it opens a connection: the settings a
 * {@code jdbc:governed:} URL may not carry (H2's INIT here) and the statements a pool runs on its raw connections
 * (HikariCP's connectionInitSql, connectionTestQuery) act before governance sees the connection, so a borrowing is
 * refused (08001) with a message naming the setting, never its value; a data source whose settings cannot be read is
 * refused unless allowed. The attacks' outcomes are read through a raw connection.
 */
class DataSourceSettingsTest {
    private static final Identity MALLORY = Identity.builder("mallory").kind(IdentityKind.SERVICE).build();

    private final Governance governance = Governance.builder().withoutAudit().defaultIdentity(MALLORY).build();
    private H2Victim victim;
    private String url;

    @BeforeEach
    void createVictim() throws SQLException {
        victim = new H2Victim("ds_settings");
        url = "jdbc:" + victim.database;
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        victim.close();
    }

    @Test
    void theGateRefusesTheDeleteTheAttacksBelowRunWhenTheyConnect() throws SQLException {
        try (GovernedDataSource governed = new GovernedDataSource(h2(url), governance);
             Connection c = governed.getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("DELETE FROM victim")).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
        }
        assertThat(victimRows()).isEqualTo(1);
    }

    @Test
    void anH2DataSourceWhoseUrlRunsInitIsRefusedAndTheRowStays() throws SQLException {
        GovernedDataSource governed = new GovernedDataSource(h2(url + ";INIT=DELETE FROM victim"), governance);
        assertRefused(() -> governed.getConnection(), "'INIT'", "in the H2 data source's URL");
        assertThat(victimRows()).isEqualTo(1);
    }

    @Test
    void aHikariPoolWhoseInitSqlDeletesIsRefusedBeforeItsPoolStarts() throws SQLException {
        HikariDataSource pool = lazyPool();
        pool.setConnectionInitSql("DELETE FROM victim");
        try (GovernedDataSource governed = new GovernedDataSource(pool, governance)) {
            assertRefused(governed::getConnection, "connectionInitSql", "runs a statement on each new connection");
            assertThat(pool.isRunning()).as("the pool was never started").isFalse();
        }
        assertThat(victimRows()).isEqualTo(1);
    }

    @Test
    void aHikariPoolStartedBeforeItWasWrappedIsRefusedAllTheSame() throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("sa");
        config.setConnectionInitSql("SET @planted = 1");
        try (HikariDataSource pool = new HikariDataSource(config);
             GovernedDataSource governed = new GovernedDataSource(pool, governance)) {
            assertThat(pool.isRunning()).isTrue();
            assertRefused(governed::getConnection, "connectionInitSql", "the gate never sees");
            assertRefused(governed::getConnection, "connectionInitSql", "the gate never sees");
        }
    }

    @Test
    void aHikariTestQueryOtherThanAPingIsRefusedAndAPingIsNot() throws SQLException {
        HikariDataSource pool = lazyPool();
        pool.setConnectionTestQuery("DELETE FROM victim");
        try (GovernedDataSource governed = new GovernedDataSource(pool, governance)) {
            assertRefused(governed::getConnection, "connectionTestQuery", "other than a ping");
        }
        assertThat(victimRows()).isEqualTo(1);

        HikariDataSource pinging = lazyPool();
        pinging.setConnectionTestQuery(" select   1 ;");
        try (GovernedDataSource governed = new GovernedDataSource(pinging, governance);
             Connection c = governed.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM victim")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void driverSettingsAmongAHikariPoolsDataSourcePropertiesAreRefused() throws SQLException {
        HikariDataSource pool = lazyPool();
        pool.addDataSourceProperty("init", "DELETE FROM victim");
        try (GovernedDataSource governed = new GovernedDataSource(pool, governance)) {
            assertRefused(governed::getConnection, "'init'", "in HikariCP's dataSourceProperties");
        }
        assertThat(victimRows()).isEqualTo(1);
    }

    @Test
    void aHikariPoolOfADataSourceClassIsReadThroughItsProperties() throws SQLException {
        HikariDataSource pool = new HikariDataSource();
        pool.setDataSourceClassName(JdbcDataSource.class.getName());
        pool.addDataSourceProperty("url", url + ";INIT=DELETE FROM victim");
        pool.addDataSourceProperty("user", "sa");
        try (GovernedDataSource governed = new GovernedDataSource(pool, governance)) {
            assertRefused(governed::getConnection, "'INIT'", "in the H2 data source's URL");
        }
        assertThat(victimRows()).isEqualTo(1);

        HikariDataSource benign = new HikariDataSource();
        benign.setDataSourceClassName(JdbcDataSource.class.getName());
        benign.addDataSourceProperty("url", url);
        benign.addDataSourceProperty("user", "sa");
        try (GovernedDataSource governed = new GovernedDataSource(benign, governance);
             Connection c = governed.getConnection()) {
            assertThat(c).isInstanceOf(GovernedConnection.class);
        }
    }

    @Test
    void aHikariPoolAroundADataSourceIsReadThroughThatDataSource() throws SQLException {
        HikariDataSource pool = new HikariDataSource();
        pool.setDataSource(h2(url + ";INIT=DELETE FROM victim"));
        try (GovernedDataSource governed = new GovernedDataSource(pool, governance)) {
            assertRefused(governed::getConnection, "'INIT'", "in the H2 data source's URL");
        }
        assertThat(victimRows()).isEqualTo(1);
    }

    @Test
    void aPoolOfGovernedUrlConnectionsMayRunInitSqlSinceTheGateSeesIt() throws SQLException {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:governed:" + url.substring("jdbc:".length()));
        pool.setUsername("sa");
        pool.addDataSourceProperty("governed.principal", "pool");
        pool.addDataSourceProperty("governed.kind", "service");
        pool.addDataSourceProperty("governed.audit", "memory");
        pool.setConnectionInitSql("DELETE FROM victim");
        try (GovernedDataSource governed = new GovernedDataSource(pool, governance)) {
            // HikariCP reports a pool that could not start as its own exception, the gate's refusal beneath it
            assertThatThrownBy(governed::getConnection).satisfies(e -> assertThat(sqlStates(e)).contains("42501"));
        }
        assertThat(victimRows()).as("the gate beneath the pool refused its init statement").isEqualTo(1);
    }

    @Test
    void aPoolWhoseGovernedJdbcUrlGivesWayToItsDataSourceIsReadThroughThatDataSource() throws SQLException {
        // HikariCP connects through its dataSource and ignores its jdbcUrl: the init statement runs on a raw connection
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:governed:" + url.substring("jdbc:".length()));
        pool.setDataSource(h2(url));
        pool.setMaximumPoolSize(1);
        pool.setConnectionInitSql("DELETE FROM victim");
        try (GovernedDataSource governed = new GovernedDataSource(pool, governance)) {
            assertRefused(governed::getConnection, "connectionInitSql", "runs a statement on each new connection");
            assertThat(victimRows()).isEqualTo(1);
            pool.getConnection().close();
            assertThat(victimRows()).as("the row, after borrowing from the pool directly").isZero();
        }
    }

    @Test
    void aSettingAddedAfterTheFirstBorrowingIsRefusedAtTheNext() throws SQLException {
        JdbcDataSource h2 = h2(url);
        GovernedDataSource governed = new GovernedDataSource(h2, governance);
        try (Connection c = governed.getConnection()) {
            assertThat(c).isInstanceOf(GovernedConnection.class);
        }
        h2.setURL(url + ";INIT=DELETE FROM victim");
        assertRefused(governed::getConnection, "'INIT'", "in the H2 data source's URL");
        assertThat(victimRows()).isEqualTo(1);
    }

    @Test
    void aDataSourceWhoseSettingsCannotBeReadIsRefusedUnlessAllowed() throws SQLException {
        DataSource opaque = new Opaque(h2(url + ";INIT=DELETE FROM victim"));
        GovernedDataSource governed = new GovernedDataSource(opaque, governance);
        assertThatThrownBy(governed::getConnection).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                .hasMessageContaining(Opaque.class.getName())
                .hasMessageContaining("governed.connect.unlisted-data-source=allow")
                .hasMessageNotContaining("DELETE");
        assertThat(victimRows()).isEqualTo(1);

        Properties settings = new Properties();
        settings.setProperty("governed.principal", "app");
        settings.setProperty("governed.kind", "service");
        settings.setProperty("governed.audit", "memory");
        settings.setProperty("governed.connect.unlisted-data-source", "allow");
        try (Connection c = new GovernedDataSource(new Opaque(h2(url)), settings).getConnection()) {
            assertThat(c).isInstanceOf(GovernedConnection.class);
        }
        Governance allowing = Governance.builder().withoutAudit().defaultIdentity(MALLORY)
                .allowUnlistedDataSources(true).build();
        try (Connection c = new GovernedDataSource(new Opaque(h2(url)), allowing).getConnection()) {
            assertThat(c).isInstanceOf(GovernedConnection.class);
        }
    }

    @Test
    void harmlessSettingsPassAtEveryLevel() throws SQLException {
        HikariDataSource pool = lazyPool();
        pool.setJdbcUrl(url + ";LOCK_TIMEOUT=5000");
        pool.addDataSourceProperty("ACCESS_MODE_DATA", "rw");
        pool.setConnectionTestQuery("SELECT 1");
        try (GovernedDataSource governed = new GovernedDataSource(pool, governance)) {
            for (int borrowing = 0; borrowing < 3; borrowing++) {
                try (Connection c = governed.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT id FROM victim")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
        }
    }

    private HikariDataSource lazyPool() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername("sa");
        pool.setMaximumPoolSize(2);
        return pool;
    }

    private static JdbcDataSource h2(String url) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser("sa");
        return h2;
    }

    private int victimRows() throws SQLException {
        return victim.rows();
    }

    private static java.util.List<String> sqlStates(Throwable failure) {
        java.util.List<String> states = new java.util.ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                states.add(e.getSQLState());
            }
        }
        return states;
    }

    private interface Borrowing {
        Connection borrow() throws SQLException;
    }

    private static void assertRefused(Borrowing borrowing, String setting, String why) {
        assertThatThrownBy(() -> borrowing.borrow().close()).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                .hasMessageContaining("Connection refused")
                .hasMessageContaining(setting)
                .hasMessageContaining(why)
                .hasMessageContaining("jdbc:governed:")
                .hasMessageNotContaining("DELETE")
                .hasMessageNotContaining("planted");
    }

    /** A data source of a kind whose settings cannot be read: it connects through another. */
    private static final class Opaque implements DataSource {
        private final DataSource inner;

        Opaque(DataSource inner) {
            this.inner = inner;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return inner.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return inner.getConnection(username, password);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
