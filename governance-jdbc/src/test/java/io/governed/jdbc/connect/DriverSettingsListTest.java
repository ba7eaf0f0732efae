package io.governed.jdbc.connect;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every connection setting of the drivers on the build's classpath is classified, read from the drivers themselves:
 * a driver upgrade that adds a setting fails here until the setting is judged harmless or refused.
 */
class DriverSettingsListTest {

    @Test
    void everyPgjdbcPropertyIsClassified() {
        Set<String> keys = new TreeSet<>();
        for (org.postgresql.PGProperty property : org.postgresql.PGProperty.values()) {
            keys.add(property.getName());
        }
        assertThat(unclassified(DriverSettingsList.POSTGRESQL, keys)).as("pgjdbc settings with no classification").isEmpty();
    }

    @Test
    void everyMariaDbConfigurationOptionAndAliasIsClassified() throws ReflectiveOperationException {
        Set<String> keys = new TreeSet<>();
        for (Field field : Class.forName("org.mariadb.jdbc.Configuration$Builder").getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers()) && !field.getName().startsWith("_")) {
                keys.add(field.getName());
            }
        }
        Field aliases = Class.forName("org.mariadb.jdbc.util.options.OptionAliases").getDeclaredField("OPTIONS_ALIASES");
        aliases.setAccessible(true);
        keys.addAll(((Map<?, ?>) aliases.get(null)).keySet().stream().map(String::valueOf).toList());
        assertThat(keys).as("the options were read").contains("initSql", "sessionVariables", "user");
        assertThat(unclassified(DriverSettingsList.MARIADB, keys)).as("MariaDB settings with no classification").isEmpty();
    }

    @Test
    void everyH2ConnectionSettingIsClassified() throws ReflectiveOperationException {
        Field known = org.h2.engine.ConnectionInfo.class.getDeclaredField("KNOWN_SETTINGS");
        known.setAccessible(true);
        Set<String> keys = new TreeSet<>();
        for (Object key : (Iterable<?>) known.get(null)) {
            keys.add(String.valueOf(key));
        }
        keys.addAll(org.h2.engine.DbSettings.DEFAULT.getSettings().keySet());
        assertThat(keys).as("the settings were read").contains("INIT", "MODE", "DATABASE_TO_LOWER");
        assertThat(unclassified(DriverSettingsList.H2, keys)).as("H2 settings with no classification").isEmpty();
    }

    @Test
    void aSettingThatRunsStatementsOrChangesTheSessionIsNeverHarmless() {
        assertThat(DriverSettingsList.POSTGRESQL.isHarmless("options", "-c role=x")).isFalse();
        assertThat(DriverSettingsList.POSTGRESQL.isHarmless("OPTIONS", "-c role=x")).isFalse();
        assertThat(DriverSettingsList.POSTGRESQL.isHarmless("preferQueryMode", "simple")).isFalse();
        assertThat(DriverSettingsList.POSTGRESQL.isHarmless("preferQueryMode", "extendedForPrepared")).isTrue();
        assertThat(DriverSettingsList.MARIADB.isHarmless("SessionVariables", "x=1")).isFalse();
        assertThat(DriverSettingsList.MARIADB.isHarmless("INITSQL", "x")).isFalse();
        assertThat(DriverSettingsList.H2.isHarmless("init", "x")).isFalse();
        assertThat(DriverSettingsList.H2.isHarmless("db_close_delay", "-1")).isTrue();
    }

    private static Set<String> unclassified(DriverSettingsList list, Set<String> driverKeys) {
        Set<String> missing = new TreeSet<>();
        for (String key : driverKeys) {
            if (!list.classifiedKeys().contains(DriverSettingsList.normal(key))) {
                missing.add(key);
            }
        }
        return missing;
    }
}
