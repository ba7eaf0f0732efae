package io.governed.jdbc.connect;

import com.zaxxer.hikari.HikariConfig;
import org.junit.jupiter.api.Test;

import java.beans.Introspector;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every setting of HikariCP's configuration, found by reflection over its public setters, is either read by the check
 * of a wrapped pool or classified as leaving governance alone: a HikariCP upgrade that adds a way to run something on
 * a new connection fails here until it is classified.
 */
class DataSourceSettingsCompletenessTest {

    @Test
    void everyHikariSettingIsReadOrKnownToBeHarmless() {
        Set<String> settings = new TreeSet<>();
        for (Method method : HikariConfig.class.getMethods()) {
            String name = method.getName();
            if (Modifier.isStatic(method.getModifiers()) || method.getDeclaringClass() == Object.class) {
                continue;
            }
            if ((name.startsWith("set") || name.startsWith("add")) && name.length() > 3) {
                settings.add(Introspector.decapitalize(name.substring(3)));
            }
        }
        assertThat(settings).as("HikariCP's settings found by reflection").contains("connectionInitSql", "jdbcUrl");
        Set<String> unclassified = new TreeSet<>(settings);
        unclassified.removeAll(DataSourceSettings.HIKARI_READ);
        unclassified.removeAll(DataSourceSettings.HIKARI_HARMLESS);
        assertThat(unclassified).as("HikariCP settings neither read by the check nor known to be harmless").isEmpty();
        Set<String> both = new TreeSet<>(DataSourceSettings.HIKARI_READ);
        both.retainAll(DataSourceSettings.HIKARI_HARMLESS);
        assertThat(both).as("settings classified twice").isEmpty();
    }
}
