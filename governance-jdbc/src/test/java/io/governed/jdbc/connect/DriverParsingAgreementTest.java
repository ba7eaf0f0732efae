package io.governed.jdbc.connect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The check reads a URL's settings at least as the driver does: for URLs written to hide a setting (odd separators,
 * spaces, case, several hosts, address lists), whenever the driver's own parser finds a setting that acts at connect
 * time, the check refuses the URL.
 */
class DriverParsingAgreementTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:postgresql://h/db?options=x",
            "jdbc:postgresql://h/db?a=1&&options=x",
            "jdbc:postgresql://h/db?&options=x",
            "jdbc:postgresql://h/db?options",
            "jdbc:postgresql:db?options=x",
            "jdbc:postgresql://h1:5432,h2:5433/db?options=x",
            "jdbc:postgresql://[::1]:5432/db?ssl=true&options=-c%20role%3Dx",
            "jdbc:postgresql://h/db?ApplicationName=a%26options%3Dx&options=y",
    })
    void pgjdbc(String url) throws SQLException {
        Properties parsed = org.postgresql.Driver.parseURL(url, null);
        assertThat(parsed).as("pgjdbc reads the URL").isNotNull();
        assertThat(parsed.containsKey("options")).as("pgjdbc finds options").isTrue();
        assertRefused(new org.postgresql.Driver(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:mariadb://h/db?initSql=x",
            "jdbc:mariadb://h/db?a=1&&initSql=x",
            "jdbc:mariadb://h/db?INITSQL=x",
            "jdbc:mariadb://h:3306,h2:3307/db?initSql=x",
            "jdbc:mariadb:replication://h,h2/db?initSql=x",
            "jdbc:mariadb:loadbalance://h/db?initSql=x",
            "jdbc:mariadb://address=(host=h)(port=3306)(type=primary)/db?initSql=x",
            "jdbc:mariadb://h/?initSql=x",
            "jdbc:mariadb://h?initSql=x",
            "jdbc:mariadb://h/db?connectTimeout=5&initSql=SET%20x%3D1",
    })
    void mariaDb(String url) throws SQLException {
        org.mariadb.jdbc.Configuration parsed = org.mariadb.jdbc.Configuration.parse(url, new Properties());
        assertThat(parsed).as("MariaDB Connector/J reads the URL").isNotNull();
        assertThat(parsed.initSql()).as("MariaDB Connector/J finds initSql").isNotNull();
        assertRefused(new org.mariadb.jdbc.Driver(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:h2:mem:x;INIT=y",
            "jdbc:h2:mem:x;init=y",
            "jdbc:h2:mem:x;DB_CLOSE_DELAY=-1;;INIT=y",
            "jdbc:h2:mem:x;DB_CLOSE_DELAY=-1;Init=y\\;z",
            "jdbc:h2:tcp://localhost:9092/mem:x;INIT=y",
            "jdbc:h2:./db;AUTO_SERVER=TRUE;INIT=y",
    })
    void h2(String url) throws SQLException {
        org.h2.engine.ConnectionInfo parsed = new org.h2.engine.ConnectionInfo(url, new Properties(), "sa", "");
        assertThat(parsed.getProperty("INIT", null)).as("H2 finds INIT").isNotNull();
        assertRefused(new org.h2.Driver(), url);
    }

    private static void assertRefused(java.sql.Driver driver, String url) {
        assertThatThrownBy(() -> DelegateSettings.check(driver, url, new Properties(), false))
                .isInstanceOf(SQLException.class).hasMessageStartingWith("Connection refused");
    }
}
