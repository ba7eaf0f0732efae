package io.governed.jdbc.connect;

import com.zaxxer.hikari.HikariConfig;
import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.tomcat.jdbc.pool.PoolConfiguration;
import org.junit.jupiter.api.Test;

import java.beans.Introspector;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every setting of each pool's configuration, found by reflection over its public setters (and adders and removers),
 * is either read by the check of a wrapped pool or classified as leaving governance alone: a pool upgrade that adds a
 * way to run something on a new connection fails here until it is classified.
 */
class DataSourceSettingsCompletenessTest {

    @Test
    void everyHikariSettingIsReadOrKnownToBeHarmless() {
        Set<String> settings = settings(HikariConfig.class, "set", "add");
        assertThat(settings).as("HikariCP's settings found by reflection").contains("connectionInitSql", "jdbcUrl");
        assertClassified("HikariCP", settings, DataSourceSettings.HIKARI_READ, DataSourceSettings.HIKARI_HARMLESS);
    }

    @Test
    void everyTomcatJdbcSettingIsReadOrKnownToBeHarmless() {
        Set<String> settings = settings(PoolConfiguration.class, "set", "add");
        settings.addAll(settings(org.apache.tomcat.jdbc.pool.DataSource.class, "set", "add"));
        // the getters too: a setting PoolConfiguration shows without a setter is configuration all the same
        for (Method method : PoolConfiguration.class.getMethods()) {
            String name = method.getName();
            if (method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
                    && (name.startsWith("get") || name.startsWith("is"))) {
                String property = Introspector.decapitalize(name.substring(name.startsWith("is") ? 2 : 3));
                if (!settings.contains(property)) {
                    settings.add(property + " (a getter)");
                }
            }
        }
        settings.removeAll(Set.of("jdbcInterceptorsAsArray (a getter)", "poolSweeperEnabled (a getter)",
                "poolName (a getter)")); // derived: from jdbcInterceptors, from the sweeping timeouts, from name
        assertThat(settings).as("Tomcat JDBC's settings found by reflection").contains("initSQL", "url", "jdbcInterceptors");
        assertClassified("Tomcat JDBC", settings, DataSourceSettings.TOMCAT_READ, DataSourceSettings.TOMCAT_HARMLESS);
    }

    @Test
    void everyDbcpSettingIsReadOrKnownToBeHarmless() {
        Set<String> settings = settings(BasicDataSource.class, "set", "add", "remove");
        assertThat(settings).as("DBCP's settings found by reflection").contains("connectionInitSqls", "url",
                "connectionProperty");
        assertClassified("DBCP", settings, DataSourceSettings.DBCP_READ, DataSourceSettings.DBCP_HARMLESS);
    }

    @Test
    void tomcatsHarmlessInterceptorsExistUnderTheirNames() throws ClassNotFoundException {
        for (String interceptor : DataSourceSettings.TOMCAT_HARMLESS_INTERCEPTORS) {
            assertThat(Class.forName(interceptor)).isNotNull();
        }
    }

    /** The public instance methods of {@code type} starting with one of {@code prefixes}, by the setting each names. */
    private static Set<String> settings(Class<?> type, String... prefixes) {
        Set<String> settings = new TreeSet<>();
        for (Method method : type.getMethods()) {
            String name = method.getName();
            if (Modifier.isStatic(method.getModifiers()) || method.getDeclaringClass() == Object.class
                    || method.getParameterCount() == 0) {
                continue;
            }
            for (String prefix : prefixes) {
                if (name.startsWith(prefix) && name.length() > prefix.length()
                        && Character.isUpperCase(name.charAt(prefix.length()))) {
                    settings.add(Introspector.decapitalize(name.substring(prefix.length())));
                }
            }
        }
        return settings;
    }

    private static void assertClassified(String pool, Set<String> settings, Set<String> read, Set<String> harmless) {
        Set<String> unclassified = new TreeSet<>(settings);
        unclassified.removeAll(read);
        unclassified.removeAll(harmless);
        assertThat(unclassified).as(pool + " settings neither read by the check nor known to be harmless").isEmpty();
        Set<String> both = new TreeSet<>(read);
        both.retainAll(harmless);
        assertThat(both).as(pool + " settings classified twice").isEmpty();
    }
}
