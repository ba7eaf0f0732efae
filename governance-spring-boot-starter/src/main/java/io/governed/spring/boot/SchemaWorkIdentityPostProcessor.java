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
import java.util.List;
import java.util.Set;

/**
 * Runs the application's schema work at startup as the migration principal ({@code governed.migration.principal}),
 * with purpose {@code migration}: the initialisation of Flyway's and Liquibase's migration beans, of Spring's
 * {@code schema.sql}/{@code data.sql} initialiser and of the JPA entity manager factory (Hibernate's
 * {@code ddl-auto}). Nothing else runs as it: the scope is open only while such a bean initialises, on the
 * thread that initialises it.
 *
 * <p>An entity manager factory that bootstraps on an executor of its own (Spring Data JPA's
 * {@code bootstrap-mode=deferred} or {@code lazy}: Hibernate's {@code ddl-auto} then runs on a pooled
 * {@code task-} thread, not the one that initialises the bean) has that executor wrapped, so that the
 * bootstrap task, and only it, runs as the migration principal; its work ran as the application's default
 * identity before, which the baseline refused a column's new type, so the schema was left unmigrated.
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
        this(migrationPrincipal, List.of());
    }

    /**
     * @param migrationGroups the migration principal's groups ({@code governed.migration.groups}): {@code dba} lets
     *                        migrations define functions, triggers and row-level security policies under the baseline
     */
    public SchemaWorkIdentityPostProcessor(String migrationPrincipal, List<String> migrationGroups) {
        this.migration = migrationPrincipal == null || migrationPrincipal.isBlank() ? null
                : Identity.builder(migrationPrincipal.trim()).kind(IdentityKind.SERVICE)
                        .groups(migrationGroups.stream().map(String::trim).filter(g -> !g.isEmpty()).toList())
                        .purpose(IdentityResolution.MIGRATION_PURPOSE).build();
    }

    static boolean isSchemaTool(Class<?> type) {
        return schemaToolClass(type) != null;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (migration != null && isSchemaTool(bean.getClass())) {
            LOG.debug("Bean '{}' initialises as the migration principal {}", beanName, migration.principal());
            synchronized (open) {
                open.push(new Open(beanName, IdentityContext.open(migration)));
            }
            if (ENTITY_MANAGER_FACTORY.equals(schemaToolClass(bean.getClass()))) { // its ddl-auto may run on another thread
                EntityManagerFactoryBootstrap.runAs(bean, migration);
                if (org.springframework.util.ClassUtils.isPresent("org.hibernate.SessionFactoryObserver",
                        bean.getClass().getClassLoader())) {
                    HibernateClose.runAs(bean, beanName, migration);
                }
            }
        }
        return bean;
    }

    private static final String ENTITY_MANAGER_FACTORY = "org.springframework.orm.jpa.AbstractEntityManagerFactoryBean";

    /** The class among {@link #SCHEMA_TOOLS} that {@code type} is or extends, or null. */
    private static String schemaToolClass(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (SCHEMA_TOOLS.contains(c.getName())) {
                return c.getName();
            }
        }
        return null;
    }

    /** Kept apart, so that nothing of Spring's JPA support is loaded where it is not on the classpath. */
    private static final class EntityManagerFactoryBootstrap {
        static void runAs(Object bean, Identity migration) {
            org.springframework.orm.jpa.AbstractEntityManagerFactoryBean factory =
                    (org.springframework.orm.jpa.AbstractEntityManagerFactoryBean) bean;
            org.springframework.core.task.AsyncTaskExecutor executor = factory.getBootstrapExecutor();
            if (executor != null) {
                factory.setBootstrapExecutor(new org.springframework.core.task.support.TaskExecutorAdapter(
                        task -> executor.execute(() -> IdentityContext.runAs(migration, task::run))));
            }
        }
    }

    /**
     * Hibernate's {@code ddl-auto=create-drop} drops the schema when the entity manager factory closes, as the application
     * shuts down, on the thread that closes it: as the migration principal, from the moment the session factory starts
     * closing until it has closed, and nowhere else. It ran as the application's default identity before, which the
     * baseline refused every {@code DROP TABLE}, so the schema was left behind. Kept apart, so that nothing of Hibernate
     * is loaded where it is not on the classpath.
     */
    private static final class HibernateClose {
        private static final String OBSERVER = "hibernate.session_factory_observer";

        static void runAs(Object bean, String beanName, Identity migration) {
            java.util.Map<String, Object> properties =
                    ((org.springframework.orm.jpa.AbstractEntityManagerFactoryBean) bean).getJpaPropertyMap();
            if (properties.containsKey(OBSERVER)) {
                LOG.warn("Bean '{}' has a session factory observer of its own ({}): what Hibernate's ddl-auto=create-drop"
                        + " drops at shutdown runs as the application's identity, not the migration principal", beanName,
                        OBSERVER);
                return;
            }
            properties.put(OBSERVER, new ClosingAsMigration(migration));
        }
    }

    /** Opens the migration scope while the session factory closes, on the closing thread. */
    private static final class ClosingAsMigration implements org.hibernate.SessionFactoryObserver {
        private static final long serialVersionUID = 1L;
        private final transient Identity migration;
        private transient IdentityContext.Scope scope;

        ClosingAsMigration(Identity migration) {
            this.migration = migration;
        }

        @Override
        public void sessionFactoryClosing(org.hibernate.SessionFactory factory) {
            if (migration != null && scope == null) {
                scope = IdentityContext.open(migration);
            }
        }

        @Override
        public void sessionFactoryClosed(org.hibernate.SessionFactory factory) {
            if (scope != null) {
                IdentityContext.Scope open = scope;
                scope = null;
                open.close();
            }
        }
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
