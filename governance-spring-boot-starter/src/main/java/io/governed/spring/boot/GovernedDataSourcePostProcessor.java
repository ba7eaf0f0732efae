package io.governed.spring.boot;

import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;

import javax.sql.DataSource;
import java.lang.reflect.Method;

/**
 * Wraps each {@link DataSource} bean in a {@link GovernedDataSource}, last of the post-processors, so the
 * pool's own metrics and JMX see the pool.
 *
 * <p>A data source bean that connects through {@code jdbc:governed:} itself fails the start of the
 * application: the driver behind such a URL builds its governance from the connection's own settings, so
 * the application's {@code governed.*} settings (its policy files with their masks, the migration
 * principal, the signed-in user as identity, the audit sinks) would not apply to it, and the application
 * would run under other rules than those it states (the baseline alone, say, with every column in clear)
 * while the Actuator endpoint shows its own. The message says to give the plain URL, which the starter governs
 * with those settings, or to turn the starter off ({@code governed.enabled=false}) and configure the driver.
 *
 * <p>Flyway's data source is governed too when Spring Boot makes one of its own ({@code spring.flyway.url} or
 * {@code spring.flyway.user}), which is not a bean: the {@code Flyway} bean is rebuilt on a governed copy
 * of it, so that the migrations run as the migration principal and are audited like the rest. So are
 * Liquibase's ({@code spring.liquibase.url} or {@code .user}: the {@code SpringLiquibase} bean is given a governed
 * copy before it migrates) and that of Spring's {@code schema.sql}/{@code data.sql} initialiser
 * ({@code spring.sql.init.username} and {@code .password}: the initialiser, Spring Boot 3's or 4's, is rebuilt on a
 * governed copy before it runs the scripts). A schema tool's own data source on a {@code jdbc:governed:} URL fails the
 * start, as a data source bean on one does. Any other script initialiser whose data source is not governed fails the start, saying what to
 * change, rather than running its scripts unchecked and unaudited, and so does a {@code JdbcTemplate} or
 * {@code NamedParameterJdbcTemplate} bean built on a data source that is not a bean.
 */
public class GovernedDataSourcePostProcessor implements BeanPostProcessor, BeanFactoryAware, Ordered {
    private static final Logger LOG = LoggerFactory.getLogger(GovernedDataSourcePostProcessor.class);

    private final ObjectProvider<Governance> governance;
    private BeanFactory beanFactory;

    public GovernedDataSourcePostProcessor(ObjectProvider<Governance> governance) {
        this.governance = governance;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /**
     * Governs the data source of a schema tool that migrates while it initialises (Liquibase, the SQL script
     * initialiser) when Spring Boot built it one of its own, which is not a bean.
     */
    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (extendsClass(bean.getClass(), ENTITY_MANAGER_FACTORY)) {
            EntityManagerFactoryDataSource.requireGoverned(bean, beanName);
        } else if (extendsClass(bean.getClass(), LIQUIBASE)) {
            LiquibaseDataSource.govern(bean, beanName, governance.getObject());
        } else if (extendsClass(bean.getClass(), SCRIPT_INITIALIZER)) {
            return ScriptInitializerDataSource.governed(bean, beanName, governance.getObject(), beanFactory);
        }
        return bean;
    }

    private static boolean extendsClass(Class<?> type, String name) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (FLYWAY.equals(bean.getClass().getName())) {
            return FlywayDataSource.governed(bean, beanName, governance.getObject());
        }
        if (extendsClass(bean.getClass(), ENTITY_MANAGER_FACTORY)) {
            EntityManagerFactoryDataSource.refuseSharedCache(bean, beanName);
            return bean;
        }
        if (SPRING_JDBC && JdbcOperationsBeans.isJdbcOperations(bean)) {
            JdbcTemplateDataSource.requireGoverned(bean, beanName);
            return bean;
        }
        refuseConnectionSourceBean(bean, beanName);
        if (!(bean instanceof DataSource dataSource) || bean instanceof GovernedDataSource) {
            return bean;
        }
        requirePlainUrl(bean, "DataSource '" + beanName + "'", "spring.datasource.url");
        LOG.info("DataSource '{}' ({}) is governed", beanName, bean.getClass().getSimpleName());
        return new UrlTelling(dataSource, governance.getObject());
    }

    /**
     * Fails the start for a bean that hands out connections but is no {@code DataSource}: an {@code XADataSource}
     * ({@code PGXADataSource}, say), whose {@code XAConnection.getConnection()} is the driver's own connection, a
     * {@code ConnectionPoolDataSource} ({@code PGConnectionPoolDataSource}), whose {@code PooledConnection.getConnection()}
     * is too, or such a connection itself. The starter governs {@code DataSource} beans; whoever is given such a bean
     * would run statements past the policy, unchecked and unaudited. A bean that is a {@code DataSource} as well
     * (MariaDB's {@code MariaDbDataSource}, H2's {@code JdbcDataSource}) is governed as a {@code DataSource}, and the
     * wrapper is neither of the other two.
     */
    private static void refuseConnectionSourceBean(Object bean, String beanName) {
        if (bean instanceof DataSource) {
            return;
        }
        String kind = bean instanceof javax.sql.XADataSource ? "XADataSource"
                : bean instanceof javax.sql.ConnectionPoolDataSource ? "ConnectionPoolDataSource"
                : bean instanceof javax.sql.PooledConnection ? "PooledConnection (or XAConnection)" : null;
        if (kind == null) {
            return;
        }
        throw new IllegalStateException("The " + kind + " bean '" + beanName + "' (" + bean.getClass().getName()
                + ") is not governed: the connections it hands out (XAConnection.getConnection(), "
                + "PooledConnection.getConnection()) are the driver's own, so statements run on them would reach the "
                + "database unchecked and unaudited, and the starter governs DataSource beans only. Make it inside the "
                + "@Bean method of the DataSource that uses it (the pool or transaction manager over it) rather than as a "
                + "bean of its own, so that only the governed DataSource is reachable; or set governed.enabled=false and "
                + "configure the driver itself");
    }

    private static final String GOVERNED_URL = "jdbc:governed:";

    /**
     * Fails the start when the data source connects through {@code jdbc:governed:}: the driver behind such a URL
     * governs it with the connection's own settings, so the application's {@code governed.*} settings would not apply
     * to it, and the starter's governance around it would check every statement twice, under two sets of rules.
     *
     * @param what        the data source, as the message names it
     * @param urlProperty the Spring Boot property that gives it its URL, as the message names it
     */
    private static void requirePlainUrl(Object dataSource, String what, String urlProperty) {
        String url = jdbcUrl(dataSource);
        if (url != null && url.regionMatches(true, 0, GOVERNED_URL, 0, GOVERNED_URL.length())) {
            throw new IllegalStateException(what + " connects through jdbc:governed:, whose driver governs it with the "
                    + "connection's own settings, not with this application's governed.* settings (policy, migration "
                    + "principal, signed-in user, audit sinks), which would not apply to it. Give it the plain URL ("
                    + urlProperty + "=jdbc:postgresql://..., say): the starter governs it with the application's "
                    + "settings; or set governed.enabled=false and configure the driver itself");
        }
    }

    /**
     * The governed data source of a pool bean, which tells the pool's URL ({@link #getUrl()}) as Spring Boot's
     * {@code DataSourceBuilder.derivedFrom} reads it when a schema tool is given a user of its own without a URL
     * ({@code spring.flyway.user} alone, {@code spring.sql.init.username}): Boot then builds that tool a data source of
     * the same URL, which is governed in turn (below). Without it, Boot found no URL and the application did not
     * start. Nothing else is told: the credentials are the tool's own.
     */
    public static final class UrlTelling extends GovernedDataSource {
        private final DataSource pool;

        UrlTelling(DataSource pool, Governance governance) {
            super(pool, governance);
            this.pool = pool;
        }

        /**
         * The JDBC URL of the pool governed ({@code getJdbcUrl()} of HikariCP, {@code getUrl()} or {@code getURL()} of
         * others).
         *
         * @throws IllegalStateException when the pool tells none, saying to give the schema tool its URL
         */
        public String getUrl() {
            String url = jdbcUrl(pool);
            if (url == null) {
                throw new IllegalStateException("The data source governed (" + pool.getClass().getName() + ") tells no JDBC "
                        + "URL to derive another data source from: give the schema tool its URL too (spring.flyway.url, say)");
            }
            return url;
        }
    }

    /**
     * The JDBC URL of a pool that says it ({@code getJdbcUrl()} of HikariCP, {@code getUrl()} or {@code getURL()} of
     * others), or null.
     */
    private static String jdbcUrl(Object bean) {
        for (String getter : new String[] {"getJdbcUrl", "getUrl", "getURL"}) {
            try {
                Method m = bean.getClass().getMethod(getter);
                if (m.getReturnType() == String.class && m.getParameterCount() == 0) {
                    return (String) m.invoke(bean);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not a getter of this pool
            }
        }
        return null;
    }

    private static final String FLYWAY = "org.flywaydb.core.Flyway";

    /** Kept apart, so that nothing of Flyway is loaded where it is not on the classpath. */
    private static final class FlywayDataSource {
        static Object governed(Object bean, String beanName, Governance governance) {
            org.flywaydb.core.Flyway flyway = (org.flywaydb.core.Flyway) bean;
            DataSource dataSource = flyway.getConfiguration().getDataSource();
            if (dataSource == null || dataSource instanceof GovernedDataSource) {
                return bean;
            }
            requirePlainUrl(dataSource, "The data source of Flyway '" + beanName + "'", "spring.flyway.url");
            LOG.info("Flyway '{}' migrates through a data source of its own ({}); it is governed", beanName,
                    dataSource.getClass().getSimpleName());
            return org.flywaydb.core.Flyway.configure(flyway.getConfiguration().getClassLoader())
                    .configuration(flyway.getConfiguration())
                    .dataSource(new GovernedDataSource(dataSource, governance))
                    .load();
        }
    }

    private static final boolean SPRING_JDBC = org.springframework.util.ClassUtils.isPresent(
            "org.springframework.jdbc.core.simple.JdbcClient", GovernedDataSourcePostProcessor.class.getClassLoader());

    /**
     * A {@code JdbcTemplate} (any {@code JdbcAccessor}), {@code NamedParameterJdbcTemplate} or {@code JdbcClient} bean
     * runs its statements on a governed data source, directly or through Spring's own proxies of one; one made on a
     * data source built by hand, which is not a bean and so never governed, fails the start, and so does one whose
     * data source cannot be told (a {@code JdbcClient} on operations of the application's own making). Kept apart, so
     * that nothing of Spring JDBC is loaded where it is not on the classpath.
     */
    private static final class JdbcTemplateDataSource {
        static void requireGoverned(Object bean, String beanName) {
            DataSource dataSource = JdbcOperationsBeans.accessorOf(bean, beanName).getDataSource();
            if (dataSource == null || governed(dataSource)) {
                return;
            }
            throw new IllegalStateException("The " + bean.getClass().getSimpleName() + " bean '" + beanName + "' runs its "
                    + "statements on a data source that is not governed (" + dataSource.getClass().getName() + "), so they "
                    + "would run unchecked and unaudited. Declare that data source as a DataSource bean, which the starter "
                    + "governs, and build the " + bean.getClass().getSimpleName() + " on it (inject it into the @Bean method)");
        }

        /** Governed, or one of Spring's own proxies (which add no connection of their own) of a governed data source. */
        private static boolean governed(DataSource dataSource) {
            DataSource current = dataSource;
            while (current != null && SPRING_PROXIES.contains(current.getClass())) {
                current = ((org.springframework.jdbc.datasource.DelegatingDataSource) current).getTargetDataSource();
            }
            return current instanceof GovernedDataSource;
        }

        private static final java.util.Set<Class<?>> SPRING_PROXIES = java.util.Set.of(
                org.springframework.jdbc.datasource.DelegatingDataSource.class,
                org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy.class,
                org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy.class);
    }

    private static final String ENTITY_MANAGER_FACTORY = "org.springframework.orm.jpa.AbstractEntityManagerFactoryBean";

    /**
     * An entity manager factory runs its statements (and Hibernate's {@code ddl-auto}) on a governed data source: one
     * given a data source built by hand, none (the JPA provider then connects by itself), or JPA properties that
     * name connections of their own ({@code hibernate.connection.url}, {@code jakarta.persistence.nonJtaDataSource},
     * ...) fails the start before it builds the factory, instead of running ungoverned. Kept apart, so that nothing of
     * Spring's JPA support is loaded where it is not on the classpath.
     */
    private static final class EntityManagerFactoryDataSource {
        /** Connection settings of {@code hibernate.connection.*} that open no connection of their own. */
        private static final java.util.Set<String> HARMLESS_CONNECTION_SETTINGS = java.util.Set.of(
                "hibernate.connection.provider_disables_autocommit", "hibernate.connection.handling_mode",
                "hibernate.connection.autocommit", "hibernate.connection.isolation");

        static void requireGoverned(Object bean, String beanName) {
            org.springframework.orm.jpa.AbstractEntityManagerFactoryBean factory =
                    (org.springframework.orm.jpa.AbstractEntityManagerFactoryBean) bean;
            for (String name : factory.getJpaPropertyMap().keySet()) {
                if (opensConnections(name)) {
                    throw new IllegalStateException("The entity manager factory '" + beanName + "' is given the JPA "
                            + "setting " + name + ", with which it connects through a data source or driver of its own "
                            + "that is not governed, so its statements would run unchecked and unaudited. Leave it out: "
                            + "the factory then runs on the application's DataSource bean, which the starter governs");
                }
            }
            DataSource dataSource = factory.getDataSource();
            if (dataSource == null || !JdbcTemplateDataSource.governed(dataSource)) {
                throw new IllegalStateException("The entity manager factory '" + beanName + "' runs its statements on "
                        + (dataSource == null ? "connections its JPA provider opens itself"
                                : "a data source that is not governed (" + dataSource.getClass().getName() + ")")
                        + ", so they would run unchecked and unaudited. Give it the application's DataSource bean, which "
                        + "the starter governs (EntityManagerFactoryBuilder.dataSource(dataSource), injected into the "
                        + "@Bean method)");
            }
        }

        /**
         * Fails the start when Hibernate keeps entities, collections or query results in its second-level cache: that
         * cache is shared by every session, so what one identity read (in clear, or rows its filter lets through) would
         * be served to every other without a statement, past masks, row filters and denials. Other JPA providers are
         * not read.
         */
        static void refuseSharedCache(Object bean, String beanName) {
            java.util.Set<?> regions;
            try {
                ClassLoader loader = bean.getClass().getClassLoader();
                Class<?> sessionFactory = Class.forName(HIBERNATE_SESSION_FACTORY, false, loader);
                Object factory = org.springframework.orm.jpa.AbstractEntityManagerFactoryBean.class
                        .getMethod("getNativeEntityManagerFactory").invoke(bean);
                Object hibernate = Class.forName("jakarta.persistence.EntityManagerFactory", false, loader)
                        .getMethod("unwrap", Class.class).invoke(factory, sessionFactory);
                Object cache = sessionFactory.getMethod("getCache").invoke(hibernate);
                regions = (java.util.Set<?>) cache.getClass().getMethod("getCacheRegionNames").invoke(cache);
            } catch (ClassNotFoundException e) {
                return; // not Hibernate
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("Whether the entity manager factory '" + beanName + "' shares what it "
                        + "reads between identities in Hibernate's second-level cache cannot be read on this Hibernate "
                        + "version (" + e + "); report the version, and turn the cache off "
                        + "(spring.jpa.properties.hibernate.cache.use_second_level_cache=false)", e);
            }
            if (!regions.isEmpty()) {
                throw new IllegalStateException("The entity manager factory '" + beanName + "' keeps entities or query "
                        + "results in Hibernate's second-level cache (regions " + regions + "), which every session "
                        + "shares: what one identity read would be served to the others without a statement, past the "
                        + "policy's masks, row filters and denials. Turn it off "
                        + "(spring.jpa.properties.hibernate.cache.use_second_level_cache=false and "
                        + "use_query_cache=false) or remove @Cacheable/@Cache from the entities");
            }
        }

        private static final String HIBERNATE_SESSION_FACTORY = "org.hibernate.SessionFactory";

        private static boolean opensConnections(String setting) {
            String name = setting.toLowerCase(java.util.Locale.ROOT);
            if (name.startsWith("hibernate.connection.")) {
                return !HARMLESS_CONNECTION_SETTINGS.contains(name);
            }
            return name.startsWith("jakarta.persistence.jdbc.") || name.startsWith("javax.persistence.jdbc.")
                    || name.endsWith("persistence.nonjtadatasource") || name.endsWith("persistence.jtadatasource")
                    || name.equals("hibernate.connection.datasource");
        }
    }

    private static final String LIQUIBASE = "liquibase.integration.spring.SpringLiquibase";

    /** Kept apart, so that nothing of Liquibase is loaded where it is not on the classpath. */
    private static final class LiquibaseDataSource {
        static void govern(Object bean, String beanName, Governance governance) {
            liquibase.integration.spring.SpringLiquibase liquibase = (liquibase.integration.spring.SpringLiquibase) bean;
            DataSource dataSource = liquibase.getDataSource();
            if (dataSource == null || dataSource instanceof GovernedDataSource) {
                return;
            }
            requirePlainUrl(dataSource, "The data source of Liquibase '" + beanName + "'", "spring.liquibase.url");
            LOG.info("Liquibase '{}' migrates through a data source of its own ({}); it is governed", beanName,
                    dataSource.getClass().getSimpleName());
            liquibase.setDataSource(new GovernedDataSource(dataSource, governance));
        }
    }

    private static final String SCRIPT_INITIALIZER = "org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer";
    private static final String SQL_INIT = "org.springframework.boot.autoconfigure.sql.init.SqlDataSourceScriptDatabaseInitializer";
    private static final String BOOT4_SQL_INIT = "org.springframework.boot.jdbc.autoconfigure.ApplicationDataSourceScriptDatabaseInitializer";
    private static final String BOOT4_SQL_INIT_PROPERTIES = "org.springframework.boot.sql.autoconfigure.init.SqlInitializationProperties";

    /** Kept apart, so that nothing of Spring's script initialisation is loaded where it is not used. */
    private static final class ScriptInitializerDataSource {
        static Object governed(Object bean, String beanName, Governance governance, BeanFactory beanFactory) {
            DataSource dataSource = dataSourceOf(bean, beanName);
            if (dataSource == null || dataSource instanceof GovernedDataSource) {
                return bean;
            }
            String type = bean.getClass().getName();
            if (!type.equals(SQL_INIT) && !type.equals(BOOT4_SQL_INIT)) {
                throw new IllegalStateException("The SQL script initialiser '" + beanName + "' ("
                        + bean.getClass().getName() + ") runs its scripts on a data source that is not governed ("
                        + dataSource.getClass().getName() + "), so they would run unchecked and unaudited. Give it a "
                        + "DataSource bean, which the starter governs (for spring.sql.init.*, leave out "
                        + "spring.sql.init.username and spring.sql.init.password: the scripts then run on the "
                        + "application's data source as governed.migration.principal)");
            }
            LOG.info("The SQL script initialiser '{}' runs its scripts on a data source of its own ({}); it is governed",
                    beanName, dataSource.getClass().getSimpleName());
            DataSource governed = new GovernedDataSource(dataSource, governance);
            return type.equals(SQL_INIT) ? SqlInit.rebuilt(governed, beanFactory) : rebuiltOnBoot4(bean, beanName, governed, beanFactory);
        }

        /**
         * Spring Boot 4's initialiser of {@code spring.sql.init.*} (another class, in modules the starter is not built
         * against) rebuilt on the governed data source with the same properties, through its public constructor.
         */
        private static Object rebuiltOnBoot4(Object bean, String beanName, DataSource governed, BeanFactory beanFactory) {
            try {
                Class<?> properties = Class.forName(BOOT4_SQL_INIT_PROPERTIES, false, bean.getClass().getClassLoader());
                return bean.getClass().getConstructor(DataSource.class, properties)
                        .newInstance(governed, beanFactory.getBean(properties));
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("The SQL script initialiser '" + beanName + "' runs its scripts on a data "
                        + "source of its own (spring.sql.init.username and spring.sql.init.password), which could not be "
                        + "governed on this Spring Boot version (" + e + "). Leave out spring.sql.init.username and "
                        + "spring.sql.init.password: the scripts then run on the application's data source as "
                        + "governed.migration.principal", e);
            }
        }

        /** The data source the initialiser runs its scripts on ({@code getDataSource()}, protected). */
        private static DataSource dataSourceOf(Object bean, String beanName) {
            try {
                Method getter = org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer.class
                        .getDeclaredMethod("getDataSource");
                getter.setAccessible(true);
                return (DataSource) getter.invoke(bean);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("The data source of the SQL script initialiser '" + beanName
                        + "' cannot be read, so whether its scripts run governed is unknown: give it a DataSource bean "
                        + "and no spring.sql.init.username or spring.sql.init.password", e);
            }
        }
    }

    /** Spring Boot 3's initialiser of {@code spring.sql.init.*}, kept apart from the classes Spring Boot 4 has too. */
    private static final class SqlInit {
        static Object rebuilt(DataSource governed, BeanFactory beanFactory) {
            org.springframework.boot.autoconfigure.sql.init.SqlInitializationProperties properties = beanFactory.getBean(
                    org.springframework.boot.autoconfigure.sql.init.SqlInitializationProperties.class);
            return new org.springframework.boot.autoconfigure.sql.init.SqlDataSourceScriptDatabaseInitializer(governed,
                    org.springframework.boot.autoconfigure.sql.init.SqlDataSourceScriptDatabaseInitializer.getSettings(properties));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
