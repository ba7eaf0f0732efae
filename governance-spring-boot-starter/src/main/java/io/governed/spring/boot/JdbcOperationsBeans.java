package io.governed.spring.boot;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcAccessor;

import java.lang.reflect.Field;

/**
 * The {@link JdbcAccessor} (a {@code JdbcTemplate}) that runs the statements of a Spring JDBC bean: the bean itself, the
 * template inside a {@code NamedParameterJdbcTemplate}, or the one inside a {@code JdbcClient}, which Spring builds
 * when the client or the named-parameter template is made on a data source and which is not a bean of its own. Only
 * loaded where Spring JDBC is on the classpath.
 */
final class JdbcOperationsBeans {
    private JdbcOperationsBeans() {
    }

    /** True for the beans {@link #accessorOf} reads: Spring JDBC's templates and clients. */
    static boolean isJdbcOperations(Object bean) {
        return bean instanceof JdbcAccessor || bean instanceof NamedParameterJdbcTemplate || bean instanceof JdbcClient;
    }

    /**
     * The accessor that runs the bean's statements.
     *
     * @throws IllegalStateException when the bean runs them through operations of the application's own making, or
     *                               Spring keeps them where they cannot be read, saying what to change
     */
    static JdbcAccessor accessorOf(Object bean, String beanName) {
        Object operations = bean;
        while (true) {
            if (operations instanceof JdbcAccessor accessor) {
                return accessor;
            } else if (operations instanceof NamedParameterJdbcTemplate named) {
                operations = named.getJdbcOperations();
            } else if (operations instanceof JdbcClient client) {
                operations = namedOperationsOf(client, beanName);
            } else {
                throw new IllegalStateException("The JDBC operations of bean '" + beanName + "' ("
                        + (operations == null ? "none" : operations.getClass().getName()) + ") are of a class that does "
                        + "not tell its data source, so whether its statements run governed is unknown. Build it on a "
                        + "JdbcTemplate or a DataSource bean (JdbcClient.create(dataSource), say)");
            }
        }
    }

    /** A {@code JdbcClient}'s named-parameter operations (Spring 6.1 to 7 keep them in a field, not a getter). */
    private static Object namedOperationsOf(JdbcClient client, String beanName) {
        try {
            Field field = client.getClass().getDeclaredField("namedParamOps");
            field.setAccessible(true);
            return field.get(client);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("The data source of the JdbcClient bean '" + beanName + "' ("
                    + client.getClass().getName() + ") cannot be read on this Spring version, so whether its statements "
                    + "run governed is unknown: build it on a JdbcTemplate bean or a DataSource bean and report this "
                    + "Spring version", e);
        }
    }
}
