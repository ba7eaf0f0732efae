package io.governed.spring.boot;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.support.JdbcAccessor;
import org.springframework.util.ClassUtils;

/**
 * Puts {@link GovernanceSqlExceptionTranslator} in front of the exception translation of every
 * {@link JdbcAccessor} bean (JdbcTemplate, and so NamedParameterJdbcTemplate and JdbcClient over it), of the template
 * inside a NamedParameterJdbcTemplate or JdbcClient bean made on a data source (which is not a bean of its own), and of
 * the JPA entity manager factory's Hibernate dialect, so both report a refusal as permission denied.
 */
public class GovernanceExceptionTranslationPostProcessor implements BeanPostProcessor {
    private static final boolean JPA = ClassUtils.isPresent("org.springframework.orm.jpa.vendor.HibernateJpaDialect",
            GovernanceExceptionTranslationPostProcessor.class.getClassLoader());

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (JPA) {
            JpaTranslation.apply(bean);
        }
        if (JdbcOperationsBeans.isJdbcOperations(bean)) {
            JdbcAccessor accessor = JdbcOperationsBeans.accessorOf(bean, beanName);
            if (!(accessor.getExceptionTranslator() instanceof GovernanceSqlExceptionTranslator)) {
                accessor.setExceptionTranslator(new GovernanceSqlExceptionTranslator(accessor.getExceptionTranslator()));
            }
        }
        return bean;
    }

    /** Kept apart so that nothing of JPA is loaded where it is not on the classpath. */
    private static final class JpaTranslation {
        static void apply(Object bean) {
            if (bean instanceof org.springframework.orm.jpa.AbstractEntityManagerFactoryBean factory
                    && factory.getJpaDialect() instanceof org.springframework.orm.jpa.vendor.HibernateJpaDialect dialect) {
                // only refusals: every other exception keeps Hibernate's own translation
                dialect.setJdbcExceptionTranslator(new GovernanceSqlExceptionTranslator(null));
            }
        }
    }
}
