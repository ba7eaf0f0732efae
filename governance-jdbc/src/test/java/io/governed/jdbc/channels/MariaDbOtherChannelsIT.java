package io.governed.jdbc.channels;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * On MariaDB, the channels besides messages: the vendor code a routine sets from a value it reads ({@code SIGNAL …
 * SET MYSQL_ERRNO = v}), and the warnings of implicit conversions, read by {@code Statement.getWarnings()}.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbOtherChannelsIT {
    private static final String TABLE = UniqueNames.of("ec_other_people");
    private static final String ROUTINE = UniqueNames.of("ec_coded");
    private static final int SECRET = 7391;
    private static Path policy;

    @BeforeAll
    static void database() throws Exception {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (id int PRIMARY KEY, ssn varchar(40))");
            s.execute("INSERT INTO " + TABLE + " VALUES (1, '" + SECRET + "'), (2, 'qzx" + SECRET + "v')");
            s.execute("CREATE FUNCTION " + ROUTINE + "(v varchar(40)) RETURNS int DETERMINISTIC BEGIN"
                    + " DECLARE n int DEFAULT CAST(v AS UNSIGNED);"
                    + " SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = n, MESSAGE_TEXT = 'no'; RETURN 1; END");
        }
        policy = Files.createTempFile("ec-other", ".yaml");
        Files.writeString(policy, PostgresErrorChannelsIT.POLICY);
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            s.execute("DROP FUNCTION IF EXISTS " + ROUTINE);
        }
    }

    private static Connection analyst() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.MARIADB.user());
        p.setProperty("password", TestDatabase.MARIADB.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "ana");
        p.setProperty("governed.groups", "analysts");
        return DriverManager.getConnection(TestDatabase.MARIADB.governedUrl(), p);
    }

    @Test
    void aVendorCodeARoutineSetsFromAMaskedValueDoesNotReachAMaskedCaller() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            SQLException original = catchThrowableOfType(SQLException.class,
                    () -> s.executeQuery("SELECT " + ROUTINE + "(ssn) FROM " + TABLE + " WHERE id = 1").next());
            assertThat(original.getErrorCode()).as("the routine sets the vendor code").isEqualTo(SECRET);
        }
        try (Connection c = analyst(); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> s.executeQuery("SELECT " + ROUTINE + "(ssn) FROM " + TABLE + " WHERE id = 1").next());
            assertThat((Throwable) e).isNotNull();
            assertThat(e.getErrorCode()).isNotEqualTo(SECRET);
            assertThat(ErrorChannelsSpec.texts(e)).allSatisfy(t -> assertThat(t).doesNotContain(String.valueOf(SECRET)));
        }
    }

    @Test
    void implicitConversionWarningsShowNoValue() throws SQLException {
        try (Connection c = analyst(); Statement s = c.createStatement()) {
            List<String> texts = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE + " WHERE ssn + 0 > 0 OR ssn = 'x' OR ssn = 0")) {
                while (rs.next()) {
                    rs.getObject(1);
                }
                texts.addAll(ErrorChannelsSpec.warningTexts(rs.getWarnings()));
            }
            texts.addAll(ErrorChannelsSpec.warningTexts(s.getWarnings()));
            texts.addAll(ErrorChannelsSpec.warningTexts(c.getWarnings()));
            assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(String.valueOf(SECRET)));
        }
    }
}
