package io.governed.spring.boot;

import io.governed.jdbc.GovernedDataSource;
import io.governed.spring.boot.plain.PlainApplication;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import javax.sql.XADataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@code DataSource} bean of the application's own that is an {@code XADataSource} and a
 * {@code ConnectionPoolDataSource} as well (H2's {@code JdbcDataSource}; MariaDB's {@code MariaDbDataSource} is alike):
 * governed as a {@code DataSource}, it is neither of the other two to the application any more, by type or by
 * {@code unwrap}, so no {@code XAConnection.getConnection()} or {@code PooledConnection.getConnection()} of it runs a
 * statement past the policy; a drop through it is refused and the table is still there, read through a raw connection.
 */
class XaCapableDataSourceBeanOnH2Test {
    static final String DATABASE = "jdbc:h2:mem:aps-xa-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    ConfigurableApplicationContext context;

    @Configuration(proxyBeanMethods = false)
    static class XaCapableBean {
        @Bean
        DataSource dataSource() {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(DATABASE);
            h2.setUser("sa");
            return h2;
        }
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void aDataSourceBeanThatIsAlsoXaAndPooledIsOnlyAGovernedDataSource() throws Exception {
        try (Connection c = DriverManager.getConnection(DATABASE, "sa", "")) {
            c.createStatement().execute("CREATE TABLE kept (id INT PRIMARY KEY)");
        }
        context = new SpringApplicationBuilder(PlainApplication.class, XaCapableBean.class).web(WebApplicationType.NONE)
                .properties("spring.flyway.enabled=false", "spring.sql.init.mode=never",
                        "governed.principal=accounts-app", "governed.kind=service").run();
        DataSource ds = context.getBean(DataSource.class);
        assertThat(ds).isInstanceOf(GovernedDataSource.class).isNotInstanceOf(XADataSource.class)
                .isNotInstanceOf(ConnectionPoolDataSource.class);
        assertThat(context.getBeanProvider(XADataSource.class).getIfAvailable()).isNull();
        assertThat(context.getBeanProvider(ConnectionPoolDataSource.class).getIfAvailable()).isNull();
        assertThat(ds.isWrapperFor(XADataSource.class)).isFalse();
        assertThatThrownBy(() -> ds.unwrap(XADataSource.class)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> ds.unwrap(JdbcDataSource.class)).isInstanceOf(SQLException.class);
        try (Connection c = ds.getConnection()) {
            assertThatThrownBy(() -> c.createStatement().execute("DROP TABLE kept"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        }
        try (Connection c = DriverManager.getConnection(DATABASE, "sa", "");
             ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "KEPT", null)) {
            assertThat(rs.next()).as("the table after a drop through the bean").isTrue();
        }
    }
}
