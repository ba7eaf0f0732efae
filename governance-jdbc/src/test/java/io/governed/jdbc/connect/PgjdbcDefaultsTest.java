package io.governed.jdbc.connect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * pgjdbc takes defaults for every connection from each {@code org/postgresql/driverconfig.properties} its class loader
 * finds: a jar or directory on the class path can give every connection {@code options=-c role=…} while the URL and the
 * properties say nothing. The check of a {@code jdbc:governed:} connection reads those files through the driver's own
 * class loader and holds them to the same list (PostgresConnectSettingsIT shows on the server that pgjdbc acts on them).
 */
class PgjdbcDefaultsTest {
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

    /** pgjdbc's driver, loaded by a class loader that also sees {@code directory}. */
    static Driver pgjdbcSeeing(Path directory) throws Exception {
        URL pgjdbc = org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation();
        URLClassLoader loader = new URLClassLoader(new URL[] {directory.toUri().toURL(), pgjdbc},
                ClassLoader.getPlatformClassLoader());
        return (Driver) Class.forName("org.postgresql.Driver", true, loader).getConstructor().newInstance();
    }

    static void defaults(Path directory, String content) throws Exception {
        Path file = directory.resolve(DelegateSettings.PGJDBC_DEFAULTS);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void optionsGivenInTheDriversDefaultsFileAreRefused(@TempDir Path directory) throws Exception {
        defaults(directory, "options=-c role=s3cr3t_role\n");
        Driver driver = pgjdbcSeeing(directory);
        assertThatThrownBy(() -> DelegateSettings.check(driver, URL, new Properties(), false))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("'options'")
                .hasMessageContaining("in a org/postgresql/driverconfig.properties on the class path")
                .hasMessageNotContaining("s3cr3t_role")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((SQLException) e).getSQLState())
                        .isEqualTo("08001"));
    }

    @Test
    void harmlessDefaultsPass(@TempDir Path directory) throws Exception {
        defaults(directory, "ApplicationName=orders\nloginTimeout=5\n");
        Driver driver = pgjdbcSeeing(directory);
        assertThatCode(() -> DelegateSettings.check(driver, URL, new Properties(), false)).doesNotThrowAnyException();
    }
}
