package io.governed.sql;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * Where MariaDB Connector/J's parser cannot be asked (an application that reaches MariaDB through another driver, or
 * a class loader that does not see it), a MariaDB text with a '?' and an executable comment is refused, since the
 * markers the driver would find there cannot be known; the same text without the comment, or without a '?', is
 * analysed. The analysis runs in a class loader of this module's class path without the Connector/J jar.
 */
class WithoutConnectorJTest {

    /** A loader of this class path without Connector/J, its parent the platform loader. */
    private static URLClassLoader withoutConnectorJ() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        int left = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (new File(entry).getName().startsWith("mariadb-java-client")) {
                left++;
                continue;
            }
            urls.add(new File(entry).toURI().toURL());
        }
        assertThat(left).as("Connector/J on the test class path, to be left out").isEqualTo(1);
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    /** The analysis's parse error of {@code sql} on MariaDB, analysed in {@code loader}; {@code null} when it parsed. */
    private static String parseError(ClassLoader loader, String sql) throws Exception {
        Class<?> dialects = Class.forName(Dialect.class.getName(), true, loader);
        Object mariadb = dialects.getField("MARIADB").get(null);
        Class<?> analyzer = Class.forName(SqlAnalyzer.class.getName(), true, loader);
        Object analysis = analyzer.getMethod("analyze", String.class, dialects)
                .invoke(analyzer.getConstructor().newInstance(), sql, mariadb);
        return (String) analysis.getClass().getMethod("parseError").invoke(analysis);
    }

    @Test
    void aMarkerBesideAnExecutableCommentIsRefusedWhenTheDriversParserCannotBeAsked() throws Exception {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = withoutConnectorJ()) {
            Thread.currentThread().setContextClassLoader(loader);
            Class<?> placeholders = Class.forName(ConnectorJPlaceholders.class.getName(), true, loader);
            java.lang.reflect.Method available = placeholders.getDeclaredMethod("available");
            available.setAccessible(true);
            assertThat(available.invoke(null)).as("Connector/J's parser, not seen by this loader").isEqualTo(false);
            for (String sql : new String[] {"SELECT id FROM t WHERE id = ? /*! AND 1 = 1 */",
                    "SELECT id /*!40101 , 'a' */ FROM t WHERE id = ?", "DELETE FROM t WHERE id = ? /*M!100000 */"}) {
                assertThat(parseError(loader, sql)).as(sql).startsWith(SqlAnalyzer.READ_OTHERWISE)
                        .contains("Connector/J");
            }
            for (String sql : new String[] {"SELECT id FROM t WHERE id = ?", "SELECT id FROM t WHERE id = 1 /*! AND 1 = 1 */",
                    "SELECT id FROM t /* a comment, ? */ WHERE id = ?"}) {
                assertThat(parseError(loader, sql)).as(sql).isNull();
            }
        } finally {
            Thread.currentThread().setContextClassLoader(context);
        }
    }
}
