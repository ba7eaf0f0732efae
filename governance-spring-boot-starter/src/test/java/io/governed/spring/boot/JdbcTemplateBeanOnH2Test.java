package io.governed.spring.boot;

import io.governed.spring.boot.plain.PlainApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@code JdbcTemplate}, {@code NamedParameterJdbcTemplate} or {@code JdbcClient} bean of the application's own: on the application's
 * {@code DataSource} bean (through Spring's transaction-aware proxy, say) its statements run governed; on a data source
 * built by hand, which is not a bean and so never governed, the application fails to start saying what to change,
 * instead of running its statements unchecked and unaudited.
 */
class JdbcTemplateBeanOnH2Test {
    static final String DATABASE = "jdbc:h2:mem:template-bean-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    ConfigurableApplicationContext context;

    private static DataSource builtByHand() {
        return DataSourceBuilder.create().type(SimpleDriverDataSource.class).url(DATABASE).username("sa").build();
    }

    @Configuration(proxyBeanMethods = false)
    static class TemplateOnTheApplicationsDataSource {
        @Bean
        JdbcTemplate reportingJdbc(DataSource dataSource) {
            return new JdbcTemplate(new TransactionAwareDataSourceProxy(dataSource));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TemplateOnADataSourceBuiltByHand {
        @Bean
        JdbcTemplate reportingJdbc() {
            return new JdbcTemplate(builtByHand());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NamedTemplateOnADataSourceBuiltByHand {
        @Bean
        NamedParameterJdbcTemplate reportingNamedJdbc() {
            return new NamedParameterJdbcTemplate(builtByHand());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ClientOnTheApplicationsDataSource {
        @Bean
        JdbcClient reportingClient(DataSource dataSource) {
            return JdbcClient.create(dataSource);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ClientOnADataSourceBuiltByHand {
        @Bean
        JdbcClient reportingClient() {
            return JdbcClient.create(builtByHand());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ClientOnATemplateBuiltByHand {
        @Bean
        JdbcClient reportingClient() {
            return JdbcClient.create(new JdbcTemplate(builtByHand()));
        }
    }

    private ConfigurableApplicationContext start(Class<?> configuration) {
        context = new SpringApplicationBuilder(PlainApplication.class, configuration).web(WebApplicationType.NONE).properties(
                "spring.datasource.url=" + DATABASE,
                "spring.flyway.enabled=false",
                "governed.principal=accounts-app",
                "governed.kind=service").run();
        return context;
    }

    private static boolean accountExists() throws SQLException {
        try (Connection c = DriverManager.getConnection(DATABASE, "sa", "");
             ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "ACCOUNT", null)) {
            return rs.next();
        }
    }

    @BeforeEach
    void createTable() throws SQLException {
        try (Connection c = DriverManager.getConnection(DATABASE, "sa", "")) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS account (id INT PRIMARY KEY, email VARCHAR(100))");
        }
    }

    @AfterEach
    void stop() throws SQLException {
        if (context != null) {
            context.close();
        }
        try (Connection c = DriverManager.getConnection(DATABASE, "sa", "")) {
            c.createStatement().execute("DROP TABLE IF EXISTS account");
        }
    }

    @Test
    void aTemplateOnTheApplicationsDataSourceRunsGoverned() throws SQLException {
        start(TemplateOnTheApplicationsDataSource.class);
        JdbcTemplate reporting = context.getBean("reportingJdbc", JdbcTemplate.class);
        assertThatThrownBy(() -> reporting.execute("DROP TABLE account"))
                .isInstanceOf(PermissionDeniedDataAccessException.class).hasMessageContaining("baseline-no-destructive-ddl");
        assertThat(accountExists()).isTrue();
    }

    @Test
    void aTemplateOnADataSourceBuiltByHandFailsTheStartInsteadOfRunningUngoverned() throws SQLException {
        assertThatThrownBy(() -> start(TemplateOnADataSourceBuiltByHand.class))
                .hasStackTraceContaining("'reportingJdbc'")
                .hasStackTraceContaining("not governed")
                .hasStackTraceContaining("DataSource bean");
        assertThat(accountExists()).isTrue();
    }

    @Test
    void aNamedParameterTemplateOnADataSourceBuiltByHandFailsTheStartInsteadOfRunningUngoverned() {
        assertThatThrownBy(() -> start(NamedTemplateOnADataSourceBuiltByHand.class))
                .hasStackTraceContaining("'reportingNamedJdbc'")
                .hasStackTraceContaining("not governed");
    }

    @Test
    void aJdbcClientOnTheApplicationsDataSourceRunsGoverned() throws SQLException {
        start(ClientOnTheApplicationsDataSource.class);
        JdbcClient reporting = context.getBean("reportingClient", JdbcClient.class);
        assertThatThrownBy(() -> reporting.sql("DROP TABLE account").update())
                .isInstanceOf(PermissionDeniedDataAccessException.class).hasMessageContaining("baseline-no-destructive-ddl");
        assertThat(accountExists()).isTrue();
    }

    @Test
    void aJdbcClientOnADataSourceOrTemplateBuiltByHandFailsTheStartInsteadOfRunningUngoverned() {
        for (Class<?> configuration : List.of(ClientOnADataSourceBuiltByHand.class, ClientOnATemplateBuiltByHand.class)) {
            assertThatThrownBy(() -> start(configuration)).as(configuration.getSimpleName())
                    .hasStackTraceContaining("'reportingClient'")
                    .hasStackTraceContaining("not governed")
                    .hasStackTraceContaining("DataSource bean");
        }
    }
}
