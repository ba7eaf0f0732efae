package io.governed.spring.boot;

import io.governed.jdbc.Governance;
import io.governed.jdbc.config.GovernedSettings;
import io.governed.jdbc.identity.IdentityResolver;
import io.governed.jdbc.identity.IdentityResolvers;
import io.governed.jdbc.metrics.GovernanceMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Governs every {@link DataSource} bean: each is wrapped in a {@code GovernedDataSource} (a HikariCP pool
 * included), with the {@code governed.*} settings of the application, its {@code MeterRegistry} and its
 * {@link IdentityResolver} beans (the Spring Security one when Spring Security is there). Schema work at
 * startup runs as the migration principal; work handed to Spring's task executor runs as the identity that
 * handed it over; JDBC and JPA report a denial as permission denied.
 */
@AutoConfiguration
@ConditionalOnClass(DataSource.class)
@ConditionalOnProperty(prefix = "governed", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(GovernedProperties.class)
public class GovernanceAutoConfiguration {

    /** The governance every wrapped data source shares. */
    @Bean
    @ConditionalOnMissingBean
    public Governance governance(GovernedProperties properties, ObjectProvider<MeterRegistry> registry,
                                 ObjectProvider<IdentityResolver> resolvers) throws SQLException {
        GovernedSettings settings = GovernedSettings.of(properties.toDriverProperties());
        Governance.Builder builder = Governance.builderFromSettings(settings, settings.identity());
        MeterRegistry meters = registry.getIfAvailable();
        if (meters != null) {
            builder.metrics(new GovernanceMetrics(meters));
        }
        List<IdentityResolver> all = new ArrayList<>(resolvers.orderedStream().toList());
        IdentityResolver configured = IdentityResolvers.fromSettings(properties.getIdentity().getResolver());
        if (configured != null) {
            all.add(configured);
        }
        builder.identityResolver(all.isEmpty() ? null : all.size() == 1 ? all.get(0) : IdentityResolvers.firstOf(all));
        Governance governance = builder.build();
        for (IdentityResolver resolver : all) {
            if (resolver instanceof SpringSecurityIdentityResolver springSecurity) {
                springSecurity.useVerifier(governance.tokenVerifier());
                springSecurity.refuseMigrationPrincipal(properties.getMigration().getPrincipal());
            }
        }
        return governance;
    }

    @Bean
    public static GovernedDataSourcePostProcessor governedDataSourcePostProcessor(ObjectProvider<Governance> governance) {
        return new GovernedDataSourcePostProcessor(governance);
    }

    @Bean
    public static SchemaWorkIdentityPostProcessor governedSchemaWorkIdentityPostProcessor(Environment environment) {
        return new SchemaWorkIdentityPostProcessor(environment.getProperty("governed.migration.principal"),
                org.springframework.boot.context.properties.bind.Binder.get(environment).bind("governed.migration.groups",
                        org.springframework.boot.context.properties.bind.Bindable.listOf(String.class)).orElse(List.of()));
    }

    /** Work handed to a task executor bean of the application's own runs as the identity that handed it over. */
    @Bean
    public static GovernedExecutorPostProcessor governedExecutorPostProcessor(ObjectProvider<Governance> governance) {
        return new GovernedExecutorPostProcessor(governance);
    }

    /** Work handed to Spring's task executor ({@code @Async}) runs as the identity that handed it over. */
    @Bean
    @ConditionalOnMissingBean(TaskDecorator.class)
    public GovernedTaskDecorator governedTaskDecorator(ObjectProvider<Governance> governance) {
        return new GovernedTaskDecorator(governance);
    }

    /** Denials through JdbcTemplate and JPA as {@link GovernanceDeniedDataAccessException}, never bad grammar. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.jdbc.support.SQLExceptionTranslator")
    static class ExceptionTranslation {
        @Bean
        static GovernanceExceptionTranslationPostProcessor governedExceptionTranslationPostProcessor() {
            return new GovernanceExceptionTranslationPostProcessor();
        }
    }

    /** The signed-in user of Spring Security as the identity of each statement. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.security.core.context.SecurityContextHolder")
    static class SpringSecurityIdentity {
        @Bean
        @ConditionalOnMissingBean
        SpringSecurityIdentityResolver springSecurityIdentityResolver() {
            return new SpringSecurityIdentityResolver();
        }
    }
}
