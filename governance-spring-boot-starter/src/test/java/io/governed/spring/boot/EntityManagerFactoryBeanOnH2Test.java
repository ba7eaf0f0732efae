package io.governed.spring.boot;

import io.governed.spring.boot.app.Account;
import io.governed.spring.boot.cached.CachedJpaApplication;
import io.governed.spring.boot.plain.JpaApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.orm.jpa.EntityManagerFactoryBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An entity manager factory that would connect around the governed {@code DataSource} bean (a data source built by
 * hand in its {@code @Bean} method, or JPA properties naming a connection of their own) fails the start before
 * Hibernate's {@code ddl-auto} or any query runs, instead of running its statements unchecked and unaudited; and one
 * keeping entities in Hibernate's second-level cache, shared by every identity, fails the start.
 */
class EntityManagerFactoryBeanOnH2Test {
    static final String DATABASE = "jdbc:h2:mem:emf-bean-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    ConfigurableApplicationContext context;

    @Configuration(proxyBeanMethods = false)
    static class FactoryOnADataSourceBuiltByHand {
        @Bean
        LocalContainerEntityManagerFactoryBean entityManagerFactory(EntityManagerFactoryBuilder builder) {
            return builder.dataSource(DataSourceBuilder.create().type(SimpleDriverDataSource.class).url(DATABASE)
                    .username("sa").build()).packages(Account.class).build();
        }
    }

    private void start(Class<?> configuration, String... properties) {
        context = new SpringApplicationBuilder(JpaApplication.class, configuration).web(WebApplicationType.NONE)
                .properties("spring.datasource.url=" + DATABASE, "spring.flyway.enabled=false",
                        "spring.jpa.hibernate.ddl-auto=create", "governed.principal=accounts-app",
                        "governed.kind=service", "governed.migration.principal=schema-owner")
                .properties(properties).run();
    }

    private static boolean accountExists() throws SQLException {
        try (Connection c = DriverManager.getConnection(DATABASE, "sa", "");
             ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "ACCOUNT", null)) {
            return rs.next();
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
    void theFactoryOnTheApplicationsDataSourceCreatesTheSchemaGoverned() throws SQLException {
        start(Object.class);
        assertThat(accountExists()).as("ddl-auto ran, as the migration principal").isTrue();
    }

    @Test
    void aFactoryOnADataSourceBuiltByHandFailsTheStartBeforeItsDdlAutoRuns() throws SQLException {
        assertThatThrownBy(() -> start(FactoryOnADataSourceBuiltByHand.class))
                .hasStackTraceContaining("The entity manager factory 'entityManagerFactory'")
                .hasStackTraceContaining("not governed (org.springframework.jdbc.datasource.SimpleDriverDataSource)")
                .hasStackTraceContaining("EntityManagerFactoryBuilder.dataSource(dataSource)");
        assertThat(accountExists()).as("ddl-auto did not run").isFalse();
    }

    @Test
    void jpaPropertiesNamingAConnectionOfTheirOwnFailTheStartBeforeItsDdlAutoRuns() throws SQLException {
        assertThatThrownBy(() -> start(Object.class, "spring.jpa.properties.hibernate.connection.url=" + DATABASE,
                "spring.jpa.properties.hibernate.connection.provider_class="
                        + "org.hibernate.engine.jdbc.connections.internal.DriverManagerConnectionProviderImpl"))
                .hasStackTraceContaining("is given the JPA setting hibernate.connection.")
                .hasStackTraceContaining("Leave it out");
        assertThat(accountExists()).as("ddl-auto did not run").isFalse();
    }

    @Test
    void aSecondLevelCacheSharingEntitiesBetweenIdentitiesFailsTheStart() throws SQLException {
        try (Connection c = DriverManager.getConnection(DATABASE, "sa", "")) {
            c.createStatement().execute("CREATE TABLE account (id INT PRIMARY KEY, email VARCHAR(100))");
        }
        assertThatThrownBy(() -> context = new SpringApplicationBuilder(CachedJpaApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.datasource.url=" + DATABASE, "spring.flyway.enabled=false",
                        "spring.jpa.hibernate.ddl-auto=none", "governed.principal=accounts-app", "governed.kind=service",
                        "spring.jpa.properties.hibernate.cache.region.factory_class=jcache")
                .run())
                .hasStackTraceContaining("Hibernate's second-level cache")
                .hasStackTraceContaining("CachedAccount")
                .hasStackTraceContaining("use_second_level_cache=false");
    }
}
