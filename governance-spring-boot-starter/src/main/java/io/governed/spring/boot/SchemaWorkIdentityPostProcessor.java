package io.governed.spring.boot;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.identity.IdentityResolution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Runs the application's schema work at startup as the migration principal ({@code governed.migration.principal}),
 * with purpose {@code migration}: the initialisation of Flyway's and Liquibase's migration beans, of Spring's
 * {@code schema.sql}/{@code data.sql} initialiser and of the JPA entity manager factory (Hibernate's
 * {@code ddl-auto}). Nothing else runs as it: the scope is open only while such a bean initialises, on the
 * thread that initialises it.
 */
public class SchemaWorkIdentityPostProcessor implements BeanPostProcessor, SmartInitializingSingleton, DisposableBean {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaWorkIdentityPostProcessor.class);

    /** The classes (Spring Boot 3 and 4) whose initialisation is schema work. */
    static final Set<String> SCHEMA_TOOLS = Set.of(
            "org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer",
            "org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer",
            "org.springframework.boot.sql.init.AbstractScriptDatabaseInitializer",
            "org.springframework.orm.jpa.AbstractEntityManagerFactoryBean",
            "liquibase.integration.spring.SpringLiquibase");

    private final Identity migration;
    private final Deque<Open> open = new ArrayDeque<>();

    private record Open(String beanName, IdentityContext.Scope scope) {
    }

    public SchemaWorkIdentityPostProcessor(String migrationPrincipal) {
        this.migration = migrationPrincipal == null || migrationPrincipal.isBlank() ? null
                : Identity.builder(migrationPrincipal.trim()).kind(IdentityKind.SERVICE)
                        .purpose(IdentityResolution.MIGRATION_PURPOSE).build();
    }

    static boolean isSchemaTool(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (SCHEMA_TOOLS.contains(c.getName())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (migration != null && isSchemaTool(bean.getClass())) {
            LOG.debug("Bean '{}' initialises as the migration principal {}", beanName, migration.principal());
            synchronized (open) {
                open.push(new Open(beanName, IdentityContext.open(migration)));
            }
        }
        return bean;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (migration != null && isSchemaTool(bean.getClass())) {
            synchronized (open) {
                if (!open.isEmpty() && open.peek().beanName().equals(beanName)) {
                    open.pop().scope().close();
                }
            }
        }
        return bean;
    }

    /** Closes scopes a failed initialisation left open, so nothing after startup runs as the migration principal. */
    private void closeLeftovers() {
        synchronized (open) {
            while (!open.isEmpty()) {
                Open left = open.pop();
                try {
                    left.scope().close();
                } catch (IllegalStateException e) {
                    LOG.warn("The migration scope of bean '{}' was opened on another thread and could not be closed here",
                            left.beanName());
                }
            }
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        closeLeftovers();
    }

    @Override
    public void destroy() {
        closeLeftovers();
    }
}
