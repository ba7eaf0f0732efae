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
 * pool's own metrics and JMX see the pool. A data source that already connects through {@code jdbc:governed:}
 * is left as it is, so nothing is governed twice.
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
        if (url != null && url.startsWith("jdbc:governed:")) {
            LOG.info("DataSource '{}' connects through jdbc:governed: already; it is not wrapped again", beanName);
            return bean;
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
