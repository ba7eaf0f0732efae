package io.governed.jdbc.identity;

import io.governed.jdbc.config.GovernedSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the application's {@link IdentityResolver} for URL-configured connections: the class named by
 * {@code governed.identity.resolver}, or else the one registered in
 * {@code META-INF/services/io.governed.jdbc.identity.IdentityResolver}. Several registered resolvers are
 * asked in turn, the first identity found wins.
 */
public final class IdentityResolvers {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityResolvers.class);

    private IdentityResolvers() {
    }

    /**
     * The resolver {@code className} names, or the ones {@link ServiceLoader} finds when it is
     * {@code null} or blank; {@code null} when there is none.
     *
     * @throws SQLException (08001) when the named class cannot be loaded or made into a resolver
     */
    public static IdentityResolver fromSettings(String className) throws SQLException {
        if (className != null && !className.isBlank()) {
            return named(className.trim());
        }
        List<IdentityResolver> found = new ArrayList<>();
        java.util.Iterator<IdentityResolver> registered = ServiceLoader.load(IdentityResolver.class, contextClassLoader()).iterator();
        while (true) {
            try {
                if (!registered.hasNext()) {
                    break;
                }
                found.add(registered.next());
            } catch (java.util.ServiceConfigurationError e) {
                if (e.getMessage() != null && e.getMessage().endsWith("not a subtype")) {
                    // registered for another copy of this driver, seen through the context class loader
                    LOG.debug("An identity resolver registered for another copy of the driver is skipped: {}", e.getMessage());
                    continue;
                }
                throw new SQLException("An IdentityResolver registered in META-INF/services cannot be loaded: " + e.getMessage()
                        + ". Fix or remove the registration.", GovernedSettings.SQLSTATE_BAD_CONFIGURATION, e);
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        found.forEach(r -> LOG.info("Identity resolver {} found through ServiceLoader", r.getClass().getName()));
        return found.size() == 1 ? found.get(0) : firstOf(List.copyOf(found));
    }

    /** A resolver that asks each of {@code resolvers} in turn and answers the first identity found. */
    public static IdentityResolver firstOf(List<IdentityResolver> resolvers) {
        return () -> {
            for (IdentityResolver r : resolvers) {
                var identity = r.currentIdentity();
                if (identity != null) {
                    return identity;
                }
            }
            return null;
        };
    }

    private static IdentityResolver named(String className) throws SQLException {
        Class<?> type;
        try {
            type = Class.forName(className, true, contextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SQLException("governed.identity.resolver names the class '" + className
                    + "', which is not on the classpath: put the jar that holds it beside the driver, or correct the name",
                    GovernedSettings.SQLSTATE_BAD_CONFIGURATION, e);
        }
        if (!IdentityResolver.class.isAssignableFrom(type)) {
            throw new SQLException("governed.identity.resolver names the class '" + className + "', which does not implement "
                    + IdentityResolver.class.getName(), GovernedSettings.SQLSTATE_BAD_CONFIGURATION);
        }
        try {
            return (IdentityResolver) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
            throw new SQLException("governed.identity.resolver names the class '" + className
                    + "', which needs a public constructor without arguments", GovernedSettings.SQLSTATE_BAD_CONFIGURATION, e);
        } catch (InvocationTargetException e) {
            throw new SQLException("governed.identity.resolver: the constructor of '" + className + "' failed ("
                    + e.getCause().getClass().getSimpleName() + ")", GovernedSettings.SQLSTATE_BAD_CONFIGURATION, e.getCause());
        }
    }

    private static ClassLoader contextClassLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : IdentityResolvers.class.getClassLoader();
    }
}
