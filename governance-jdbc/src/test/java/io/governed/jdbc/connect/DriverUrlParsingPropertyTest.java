package io.governed.jdbc.connect;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.lang.reflect.Method;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a database driver's own URL parser reads out of a URL, the connect check has seen: URLs are generated from
 * setting names in mixed case, with percent-encoded letters, surrounding blanks, doubled and stray separators, fragments
 * and values holding encoded separators; each driver parses them as it would at connect time (pgjdbc's
 * {@code Driver.parseURL}, MariaDB Connector/J's {@code Configuration.parse}, H2's {@code ConnectionInfo}), and every
 * URL from which the driver takes a setting not known to leave governance alone must be refused by
 * {@link DelegateSettings#check}. Refusing more than the driver reads is allowed; the other way round is the defect.
 */
class DriverUrlParsingPropertyTest {
    private static final List<String> PG_KEYS = List.of("options", "ApplicationName", "sslmode", "currentSchema",
            "preferQueryMode", "service", "socketFactory", "x", "user");
    private static final List<String> MARIADB_KEYS = List.of("initSql", "sessionVariables", "createDatabaseIfNotExist",
            "allowLocalInfile", "connectionCollation", "connectTimeout", "sslMode", "forceTransactionEnd", "user");
    private static final List<String> H2_KEYS = List.of("INIT", "MODE", "DB_CLOSE_DELAY", "LOCK_TIMEOUT", "SCHEMA",
            "IGNORECASE", "DATABASE_EVENT_LISTENER", "CACHE_SIZE");
    private static final List<String> VALUES = List.of("x", "1", "-c%20role%3Dx", "a%26options%3Dy", "true", "SET%20x%3D1",
            "simple", "extended", "", "y%3Bz", "-1", "MySQL");
    private static final Set<String> PG_HOST_KEYS = Set.of("PGHOST", "PGPORT", "PGDBNAME");

    @Property(tries = 600)
    void pgjdbcTakesNothingFromAUrlThatTheCheckLetsThrough(@ForAll("pgUrls") String url) {
        Properties parsed = org.postgresql.Driver.parseURL(url, null);
        Assume.that(parsed != null);
        List<String> unsafe = new ArrayList<>();
        for (String key : parsed.stringPropertyNames()) {
            if (!PG_HOST_KEYS.contains(key) && !DriverSettingsList.POSTGRESQL.isHarmless(key, parsed.getProperty(key))) {
                unsafe.add(key);
            }
        }
        if (!unsafe.isEmpty()) {
            assertThat(refused(new org.postgresql.Driver(), url)).as("pgjdbc reads %s from %s", unsafe, url).isTrue();
        }
    }

    @Property(tries = 600)
    void mariaDbConnectorJTakesNothingFromAUrlThatTheCheckLetsThrough(@ForAll("mariaDbUrls") String url) {
        org.mariadb.jdbc.Configuration parsed;
        try {
            parsed = org.mariadb.jdbc.Configuration.parse(url, new Properties());
        } catch (SQLException | RuntimeException e) {
            parsed = null; // the driver refuses the URL itself
        }
        Assume.that(parsed != null);
        List<String> unsafe = new ArrayList<>();
        if (parsed.initSql() != null) {
            unsafe.add("initSql");
        }
        if (parsed.sessionVariables() != null) {
            unsafe.add("sessionVariables");
        }
        if (parsed.createDatabaseIfNotExist()) {
            unsafe.add("createDatabaseIfNotExist");
        }
        // allowLocalInfile is left out: Connector/J 3 allows LOAD DATA LOCAL by default, whatever the URL says
        if (parsed.connectionCollation() != null) {
            unsafe.add("connectionCollation");
        }
        // the keys it keeps for hidden options and plugins (an empty key from "?&" is nothing)
        Set<String> unmapped = new java.util.TreeSet<>(parsed.nonMappedOptions().stringPropertyNames());
        unmapped.removeIf(String::isBlank);
        if (!unmapped.isEmpty()) {
            unsafe.add("options it keeps unmapped " + unmapped);
        }
        if (!unsafe.isEmpty()) {
            assertThat(refused(new org.mariadb.jdbc.Driver(), url)).as("Connector/J reads %s from %s", unsafe, url).isTrue();
        }
    }

    @Property(tries = 600)
    void h2TakesNothingFromAUrlThatTheCheckLetsThrough(@ForAll("h2Urls") String url) throws ReflectiveOperationException {
        org.h2.engine.ConnectionInfo parsed;
        try {
            parsed = new org.h2.engine.ConnectionInfo(url, new Properties(), "sa", "");
        } catch (RuntimeException e) {
            parsed = null; // H2 refuses the URL itself (an unknown setting, say)
        }
        Assume.that(parsed != null);
        Method getKeys = org.h2.engine.ConnectionInfo.class.getDeclaredMethod("getKeys");
        getKeys.setAccessible(true);
        List<String> unsafe = new ArrayList<>();
        for (String key : (String[]) getKeys.invoke(parsed)) {
            if (!List.of("USER", "PASSWORD").contains(key)
                    && !DriverSettingsList.H2.isHarmless(key, parsed.getProperty(key, null))) {
                unsafe.add(key);
            }
        }
        if (!unsafe.isEmpty()) {
            assertThat(refused(new org.h2.Driver(), url)).as("H2 reads %s from %s", unsafe, url).isTrue();
        }
    }

    @Provide
    Arbitrary<String> pgUrls() {
        return query(Arbitraries.of("jdbc:postgresql://h/db", "jdbc:postgresql://h1:5432,h2:5433/db", "jdbc:postgresql:db",
                "jdbc:postgresql://[::1]/db"), PG_KEYS, List.of("?", "?&"), List.of("&", "&&", "#&", ";", "?"));
    }

    @Provide
    Arbitrary<String> mariaDbUrls() {
        return query(Arbitraries.of("jdbc:mariadb://h/db", "jdbc:mariadb://h:3306,h2/db", "jdbc:mariadb:replication://h,h2/db",
                "jdbc:mariadb://address=(host=h)(port=3306)/db", "jdbc:mariadb://h"), MARIADB_KEYS, List.of("?", "/?", "?&"),
                List.of("&", "&&", "#&", ";", "?"));
    }

    @Provide
    Arbitrary<String> h2Urls() {
        return query(Arbitraries.of("jdbc:h2:mem:gen", "jdbc:h2:./gen", "jdbc:h2:tcp://localhost/mem:gen"), H2_KEYS,
                List.of(";", ";;"), List.of(";", ";;", "\\;", "&"));
    }

    /** {@code base}, a start, then one to four settings joined by separators. */
    private static Arbitrary<String> query(Arbitrary<String> base, List<String> keys, List<String> starts, List<String> separators) {
        Arbitrary<String> setting = Combinators.combine(spelled(keys), Arbitraries.of(VALUES), Arbitraries.of("=", "=", "= ", ""))
                .as((key, value, equals) -> equals.isEmpty() ? key : key + equals + value);
        Arbitrary<List<String>> settings = setting.list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<List<String>> joints = Arbitraries.of(separators).list().ofSize(3);
        return Combinators.combine(base, Arbitraries.of(starts), settings, joints).as((b, start, s, j) -> {
            StringBuilder url = new StringBuilder(b).append(start);
            for (int i = 0; i < s.size(); i++) {
                if (i > 0) {
                    url.append(j.get(i - 1));
                }
                url.append(s.get(i));
            }
            return url.toString();
        });
    }

    /** A setting's name as written: its case changed, a letter percent-encoded, blanks around it, or as it is. */
    private static Arbitrary<String> spelled(List<String> keys) {
        return Combinators.combine(Arbitraries.of(keys), Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 40))
                .as((key, how, at) -> switch (how) {
                    case 1 -> key.toLowerCase(Locale.ROOT);
                    case 2 -> key.toUpperCase(Locale.ROOT);
                    case 3 -> {
                        int i = at % key.length();
                        yield key.substring(0, i) + String.format("%%%02X", (int) key.charAt(i)) + key.substring(i + 1);
                    }
                    case 4 -> " " + key;
                    case 5 -> key + " ";
                    default -> key;
                });
    }

    private static boolean refused(java.sql.Driver driver, String url) {
        try {
            DelegateSettings.check(driver, url, new Properties(), false);
            return false;
        } catch (SQLException e) {
            assertThat(e.getSQLState()).isEqualTo("08001");
            return true;
        }
    }
}
