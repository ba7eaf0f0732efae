package io.governed.jdbc.connect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The check of what a {@code jdbc:governed:} connection hands its database driver: the settings in the delegate URL
 * and in the properties. A driver runs some settings at connect time, before the governed connection exists
 * (H2's {@code INIT}, MariaDB's {@code initSql} and {@code sessionVariables}, pgjdbc's {@code options=-c role=…});
 * others change what the gate relies on (how names fold, the query mode). Only the settings known to leave
 * governance alone pass (see {@link DriverSettingsList}); for a driver without such a list the connection is refused
 * unless {@code governed.connect.unlisted-driver=allow}.
 */
public final class DelegateSettings {
    /** SQLState of a refused connection, as for every other connect-time refusal: 08001. */
    public static final String REFUSED = "08001";

    private static final String HOW_TO_FIX = " from the URL and the properties; run session set-up through "
            + "the governed connection instead, where the gate checks it (for example HikariCP's connectionInitSql, "
            + "or a statement after connecting).";

    private static final Logger LOG = LoggerFactory.getLogger(DelegateSettings.class);

    /** The resource pgjdbc reads connection defaults from, through its own class loader. */
    static final String PGJDBC_DEFAULTS = "org/postgresql/driverconfig.properties";

    /** The unlisted drivers already warned of, so that a pool does not warn at every connection. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private DelegateSettings() {
    }

    /**
     * Refuses (08001) a connection whose URL or properties set anything the driver of class {@code driver} is not
     * known to treat harmlessly. The message names each setting and why, never its value.
     *
     * @param unlistedAllowed whether a driver without a list may connect with whatever it is given
     */
    public static void check(Driver driver, String delegateUrl, Properties properties, boolean unlistedAllowed)
            throws SQLException {
        refuseGovernedSettingsIn(delegateUrl);
        DriverSettingsList list = DriverSettingsList.forDriverClass(driver.getClass().getName());
        if (list == null) {
            if (unlistedAllowed) {
                if (WARNED.add(driver.getClass().getName())) {
                    LOG.warn("Connecting through {} with its URL and properties unchecked (governed.connect.unlisted-driver=allow): "
                            + "settings it acts on at connect time are not governed", driver.getClass().getName());
                }
                return;
            }
            throw new SQLException("Connection refused: Governed JDBC has no list of the connection settings "
                    + driver.getClass().getName() + " treats harmlessly, so it cannot tell whether the URL or the "
                    + "properties run statements or change the session past the gate. Connect to PostgreSQL (pgjdbc), "
                    + "MariaDB/MySQL (MariaDB Connector/J) or H2, or set governed.connect.unlisted-driver=allow to take "
                    + "responsibility for that driver's settings.", REFUSED);
        }
        List<String> refusals = refusals(list, driver.getClass().getClassLoader(), delegateUrl, properties,
                "in the URL", "in the properties");
        if (!refusals.isEmpty()) {
            throw new SQLException("Connection refused: " + String.join("; ", refusals) + ". "
                    + (refusals.size() == 1 ? "Remove it" : "Remove them") + HOW_TO_FIX, REFUSED);
        }
    }

    /**
     * Refuses (08001) a database URL that holds a {@code governed.*} setting ({@code
     * jdbc:governed:postgresql://db/app?governed.principal=…}, H2's {@code ;governed.principal=…}): Governed JDBC reads
     * its settings from the connection properties only, and the URL goes to the database driver, so the setting would
     * be handed to the driver and never read (the connection would run without the identity, policy or audit it names).
     * The keys are read as every listed driver writes them (after the first {@code ?} or {@code ;}, separated by
     * {@code &} or {@code ;}), for unlisted drivers too.
     */
    static void refuseGovernedSettingsIn(String delegateUrl) throws SQLException {
        if (delegateUrl == null) {
            return;
        }
        int start = -1;
        for (int i = 0; i < delegateUrl.length(); i++) {
            char c = delegateUrl.charAt(i);
            if (c == '?' || c == ';') {
                start = i;
                break;
            }
        }
        if (start < 0) {
            return;
        }
        List<String> keys = new ArrayList<>();
        for (String part : delegateUrl.substring(start + 1).split("[&;]", -1)) {
            int equals = part.indexOf('=');
            String key = (equals < 0 ? part : part.substring(0, equals)).trim();
            if (DriverSettingsList.normal(key).startsWith("governed.") && !keys.contains(printable(key))) {
                keys.add(printable(key));
            }
        }
        if (!keys.isEmpty()) {
            String named = "'" + String.join("', '", keys) + "'";
            throw new SQLException("Connection refused: " + named + (keys.size() == 1 ? " is a Governed JDBC setting"
                    : " are Governed JDBC settings") + " written in the database URL, which goes to the database driver: "
                    + "Governed JDBC reads its settings from the connection properties only, so the connection would run "
                    + "without " + (keys.size() == 1 ? "it" : "them") + ". Move " + (keys.size() == 1 ? "it" : "them")
                    + " to the connection properties (DriverManager.getConnection(url, properties), HikariCP's "
                    + "addDataSourceProperty or dataSourceProperties, a tool's driver properties), or to the "
                    + "Governance builder.", REFUSED);
        }
    }

    /**
     * What the driver of class {@code driverClass}, loaded by {@code driverLoader}, would be handed (a URL,
     * properties, the defaults it reads itself) that it is not known to treat harmlessly, each described with
     * {@code urlPlace} or {@code propertiesPlace} as where it was found; {@code null} when there is no list for that
     * driver.
     */
    static List<String> refusals(String driverClass, ClassLoader driverLoader, String url, Properties properties,
            String urlPlace, String propertiesPlace) {
        DriverSettingsList list = DriverSettingsList.forDriverClass(driverClass);
        return list == null ? null : refusals(list, driverLoader, url, properties, urlPlace, propertiesPlace);
    }

    private static List<String> refusals(DriverSettingsList list, ClassLoader driverLoader, String url,
            Properties properties, String urlPlace, String propertiesPlace) {
        Map<String, String> refusals = new LinkedHashMap<>();
        if (url != null) {
            for (String key : list.urlKeys(url)) {
                if (!list.isHarmless(key, valueInUrl(list, url, key))) {
                    refusals.putIfAbsent(DriverSettingsList.normal(key), describe(list, key, urlPlace));
                }
            }
        }
        if (properties != null) {
            for (Map.Entry<String, Object> entry : entries(properties).entrySet()) {
                if (!list.isHarmless(entry.getKey(), entry.getValue())) {
                    refusals.putIfAbsent(DriverSettingsList.normal(entry.getKey()),
                            describe(list, entry.getKey(), propertiesPlace));
                }
            }
        }
        if (list == DriverSettingsList.POSTGRESQL) {
            pgjdbcDefaults(list, driverLoader, refusals);
        }
        if (list == DriverSettingsList.H2) {
            h2SystemProperties(list, refusals);
        }
        return new ArrayList<>(refusals.values());
    }

    /**
     * H2 takes the default of each database setting from the system property {@code h2.} and its name in camel case
     * ({@code -Dh2.databaseToLower=true} for {@code DATABASE_TO_LOWER}), and {@code h2.urlMap} names a file by which it
     * replaces a connection's URL, after the check, with another: the first are held to H2's list, the second refused.
     */
    private static void h2SystemProperties(DriverSettingsList list, Map<String, String> refusals) {
        Properties system = System.getProperties();
        for (String name : system.stringPropertyNames()) {
            if (!name.startsWith("h2.")) {
                continue;
            }
            String setting = name.substring(3);
            if (setting.equalsIgnoreCase("urlMap")) {
                refusals.putIfAbsent(name, "the system property 'h2.urlMap' names a file by which H2 replaces the "
                        + "URL the gate checked with another, which may run statements at connect time");
                continue;
            }
            StringBuilder key = new StringBuilder();
            for (char c : setting.toCharArray()) {
                if (Character.isUpperCase(c)) {
                    key.append('_');
                }
                key.append(Character.toUpperCase(c));
            }
            String k = key.toString();
            if (list.classifiedKeys().contains(DriverSettingsList.normal(k)) && !list.isHarmless(k, system.getProperty(name))) {
                refusals.putIfAbsent(DriverSettingsList.normal(k),
                        describe(list, k, "as the system property '" + printable(name) + "'"));
            }
        }
    }

    /**
     * pgjdbc takes defaults for every connection from each {@value #PGJDBC_DEFAULTS} its class loader finds (a jar or
     * a directory on the class path may carry one): they are held to the same list as the URL and the properties.
     */
    private static void pgjdbcDefaults(DriverSettingsList list, ClassLoader driverLoader, Map<String, String> refusals) {
        ClassLoader loader = driverLoader != null ? driverLoader : ClassLoader.getSystemClassLoader();
        try {
            Enumeration<URL> files = loader.getResources(PGJDBC_DEFAULTS);
            while (files.hasMoreElements()) {
                Properties defaults = new Properties();
                try (InputStream in = files.nextElement().openStream()) {
                    defaults.load(in);
                }
                for (Map.Entry<String, Object> entry : entries(defaults).entrySet()) {
                    if (!list.isHarmless(entry.getKey(), entry.getValue())) {
                        refusals.putIfAbsent(DriverSettingsList.normal(entry.getKey()),
                                describe(list, entry.getKey(), "in a " + PGJDBC_DEFAULTS + " on the class path"));
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            refusals.putIfAbsent(PGJDBC_DEFAULTS, "a " + PGJDBC_DEFAULTS + " on the class path, which gives pgjdbc "
                    + "defaults for every connection, could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String describe(DriverSettingsList list, String key, String where) {
        return "the " + list.driverName() + " setting '" + printable(key) + "' (" + where + ") " + list.reason(key);
    }

    /** Every key of the properties, the defaults' and non-text entries included, with its value. */
    private static Map<String, Object> entries(Properties properties) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            all.put(key, properties.getProperty(key));
        }
        properties.forEach((key, value) -> all.put(String.valueOf(key), value));
        return all;
    }

    /** The value the URL gives {@code key}, for the few settings harmless only for some values. */
    private static String valueInUrl(DriverSettingsList list, String url, String key) {
        List<String> values = new ArrayList<>();
        for (String part : list.urlSettings(url)) { // split as the driver splits them
            int equals = part.indexOf('=');
            if (equals > 0 && part.substring(0, equals).trim().equalsIgnoreCase(key.trim())) {
                values.add(part.substring(equals + 1));
            }
        }
        // a key written twice is harmless only when every value is
        return values.size() == 1 ? values.get(0) : null;
    }

    /** A key fit for a message: control characters and overlong keys are cut. */
    static String printable(String key) {
        String k = key.replaceAll("\\p{Cntrl}", "?");
        return k.length() > 64 ? k.substring(0, 64) + "…" : k;
    }
}
