package io.governed.spring.boot;

import io.governed.spring.boot.plain.PlainApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGConnectionPoolDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.xa.PGXADataSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import javax.sql.PooledConnection;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Data sources an application declares as beans of its own beside the one Spring Boot configures: pgjdbc's
 * {@code PGXADataSource} (an {@code XADataSource}, whose {@code XAConnection.getConnection()} is a plain connection) and
 * {@code PGConnectionPoolDataSource} (a {@code ConnectionPoolDataSource}, whose {@code PooledConnection.getConnection()}
 * is one too), neither of them a {@code DataSource}; a second {@code DataSource} bean; and how far a governed connection
 * of such an application unwraps through HikariCP's proxies and Spring's. Whatever the application can reach must not
 * run a statement past the policy: the baseline forbids dropping a table, and whether the table is still there is read
 * through a raw connection.
 */
@EnabledIf("io.governed.spring.boot.BootApplicationOnPostgresIT#reachable")
class PooledAndXaDataSourceBeansOnPostgresIT {
    static final String URL = BootApplicationOnPostgresIT.URL;
    static final String TABLE = "aps_beans_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    ConfigurableApplicationContext context;

    private static <T extends org.postgresql.ds.common.BaseDataSource> T pointed(T ds) {
        ds.setUrl(URL);
        ds.setUser("postgres");
        return ds;
    }

    @Configuration(proxyBeanMethods = false)
    static class XaBean {
        @Bean
        PGXADataSource xaDataSource() {
            return pointed(new PGXADataSource());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PoolBean {
        @Bean
        ConnectionPoolDataSource poolDataSource() {
            return pointed(new PGConnectionPoolDataSource());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoDataSources {
        @Bean
        @Primary
        DataSource dataSource() {
            return DataSourceBuilder.create().url(URL).username("postgres").build();
        }

        @Bean
        DataSource reporting() {
            return pointed(new PGSimpleDataSource());
        }
    }

    private ConfigurableApplicationContext start(Class<?> configuration) {
        context = new SpringApplicationBuilder(PlainApplication.class, configuration).web(WebApplicationType.NONE).properties(
                "spring.datasource.url=" + URL,
                "spring.datasource.username=postgres",
                "spring.flyway.enabled=false",
                "spring.sql.init.mode=never",
                "governed.principal=accounts-app",
                "governed.kind=service").run();
        return context;
    }

    @BeforeEach
    void table() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO " + TABLE + " VALUES (1, 'kept')");
        }
    }

    @AfterEach
    void stop() throws SQLException {
        if (context != null) {
            context.close();
        }
        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    private static boolean tableThere() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "");
             ResultSet rs = c.getMetaData().getTables(null, "public", TABLE, null)) {
            return rs.next();
        }
    }

    /** What the application does with a connection it got: drop the table (ignored when refused). */
    private static void dropThrough(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + TABLE);
        } catch (SQLException refused) {
            // refused: what must happen
        }
    }

    @Test
    void anXaDataSourceBeanFailsTheStartInsteadOfHandingOutUngovernedConnections() throws Exception {
        Throwable failure = catchThrowable(() -> start(XaBean.class));
        if (failure == null) {
            XAConnection xa = context.getBean(XADataSource.class).getXAConnection();
            try (Connection c = xa.getConnection()) {
                dropThrough(c);
            } finally {
                xa.close();
            }
        }
        assertThat(tableThere()).as("the table a connection of the XA data source bean dropped").isTrue();
        assertThat(failure).isNotNull();
        assertThat(rootMessage(failure)).contains("xaDataSource", "XADataSource", "not governed", "governed.enabled=false");
    }

    @Test
    void aConnectionPoolDataSourceBeanFailsTheStartInsteadOfHandingOutUngovernedConnections() throws Exception {
        Throwable failure = catchThrowable(() -> start(PoolBean.class));
        if (failure == null) {
            PooledConnection pooled = context.getBean(ConnectionPoolDataSource.class).getPooledConnection();
            try (Connection c = pooled.getConnection()) {
                dropThrough(c);
            } finally {
                pooled.close();
            }
        }
        assertThat(tableThere()).as("the table a pooled connection of the bean dropped").isTrue();
        assertThat(failure).isNotNull();
        assertThat(rootMessage(failure)).contains("poolDataSource", "ConnectionPoolDataSource", "not governed");
    }

    @Test
    void bothDataSourceBeansOfTheApplicationAreGoverned() throws Exception {
        start(TwoDataSources.class);
        for (String name : List.of("dataSource", "reporting")) {
            DataSource ds = context.getBean(name, DataSource.class);
            try (Connection c = ds.getConnection()) {
                assertThatThrownBy(() -> c.createStatement().execute("DROP TABLE " + TABLE))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            }
            assertThat(tableThere()).as("the table after a drop through %s", name).isTrue();
        }
    }

    @Test
    void nothingUnwrapsThroughHikarisAndSpringsProxiesToThePoolOrTheDriver() throws Exception {
        start(PlainApplication.class);
        DataSource ds = context.getBean(DataSource.class);
        assertThat(ds.isWrapperFor(com.zaxxer.hikari.HikariDataSource.class)).isFalse();
        assertThatThrownBy(() -> ds.unwrap(com.zaxxer.hikari.HikariDataSource.class)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> ds.unwrap(XADataSource.class)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> ds.unwrap(ConnectionPoolDataSource.class)).isInstanceOf(SQLException.class);
        assertThat(context.getBeanProvider(XADataSource.class).getIfAvailable()).isNull();
        List<Connection> ways = List.of(ds.getConnection(), DataSourceUtils.getConnection(ds),
                new TransactionAwareDataSourceProxy(ds).getConnection());
        try {
            for (Connection c : ways) {
                for (Class<?> driverType : List.of(PGConnection.class, org.postgresql.jdbc.PgConnection.class,
                        org.postgresql.core.BaseConnection.class, com.zaxxer.hikari.pool.HikariProxyConnection.class)) {
                    assertThatThrownBy(() -> c.unwrap(driverType)).isInstanceOf(SQLException.class);
                    assertThatThrownBy(() -> c.getMetaData().getConnection().unwrap(driverType)).isInstanceOf(SQLException.class);
                }
                Statement s = c.createStatement();
                assertThat(s.getConnection().getClass().getName()).startsWith("io.governed.");
                assertThatThrownBy(() -> s.unwrap(org.postgresql.PGStatement.class)).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> s.unwrap(com.zaxxer.hikari.pool.HikariProxyStatement.class)).isInstanceOf(SQLException.class);
                try (ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE)) {
                    assertThat(rs.getStatement()).isSameAs(s);
                    assertThatThrownBy(() -> rs.unwrap(org.postgresql.jdbc.PgResultSet.class)).isInstanceOf(SQLException.class);
                    assertThatThrownBy(() -> rs.getMetaData().unwrap(org.postgresql.jdbc.PgResultSetMetaData.class))
                            .isInstanceOf(SQLException.class);
                }
                assertThatThrownBy(() -> c.getMetaData().unwrap(org.postgresql.jdbc.PgDatabaseMetaData.class))
                        .isInstanceOf(SQLException.class);
                dropThrough(c);
                assertThat(tableThere()).isTrue();
            }
        } finally {
            for (Connection c : ways) {
                c.close();
            }
        }
    }

    private static String rootMessage(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }
}
