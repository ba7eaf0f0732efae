package io.governed.spring.boot;

import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 */
public class GovernedDataSourcePostProcessor implements BeanPostProcessor, Ordered {
    private static final Logger LOG = LoggerFactory.getLogger(GovernedDataSourcePostProcessor.class);

    private final ObjectProvider<Governance> governance;

    public GovernedDataSourcePostProcessor(ObjectProvider<Governance> governance) {
        this.governance = governance;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof DataSource dataSource) || bean instanceof GovernedDataSource) {
            return bean;
        }
        String url = jdbcUrl(bean);
        if (url != null && url.regionMatches(true, 0, "jdbc:governed:", 0, "jdbc:governed:".length())) {
            throw new IllegalStateException("DataSource '" + beanName + "' connects through jdbc:governed:, whose driver "
                    + "governs it with the connection's own settings, not with this application's governed.* settings "
                    + "(policy, migration principal, signed-in user, audit sinks), which would not apply to it. Give it "
                    + "the plain URL (spring.datasource.url=jdbc:postgresql://..., say): the starter governs the pool "
                    + "with the application's settings; or set governed.enabled=false and configure the driver itself");
        }
        LOG.info("DataSource '{}' ({}) is governed", beanName, bean.getClass().getSimpleName());
        return new GovernedDataSource(dataSource, governance.getObject());
    }

    /** The JDBC URL of a pool that says it ({@code getJdbcUrl()} of HikariCP, {@code getUrl()} of others), or null. */
    private static String jdbcUrl(Object bean) {
        for (String getter : new String[] {"getJdbcUrl", "getUrl"}) {
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

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
