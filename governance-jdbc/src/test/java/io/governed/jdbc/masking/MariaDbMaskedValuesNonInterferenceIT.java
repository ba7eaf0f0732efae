package io.governed.jdbc.masking;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.mariadb.jdbc.MariaDbDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * {@link MaskedValuesNonInterferenceSpec} on MariaDB: the two databases are two MariaDB databases (its schemas), each
 * connection's own, and the generated expressions use MariaDB's functions and casts.
 */
class MariaDbMaskedValuesNonInterferenceIT extends MaskedValuesNonInterferenceSpec {
    private static final String DATABASE_A = UniqueNames.of("ni_a");
    private static final String DATABASE_B = UniqueNames.of("ni_b");
    private static Readers readers;

    @BeforeContainer
    static void databases() throws SQLException {
        TestDatabase.MARIADB.requireReachable();
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            for (String database : List.of(DATABASE_A, DATABASE_B)) {
                s.execute("CREATE DATABASE " + database);
                s.execute("USE " + database);
                fill(s, database.equals(DATABASE_A) ? SSNS_A : SSNS_B);
            }
        }
        readers = Readers.over(database(DATABASE_A), database(DATABASE_B));
    }

    private static MariaDbDataSource database(String name) throws SQLException {
        MariaDbDataSource maria = new MariaDbDataSource();
        maria.setUrl(TestDatabase.MARIADB.rawUrl(name));
        maria.setUser(TestDatabase.MARIADB.user());
        maria.setPassword(TestDatabase.MARIADB.password());
        return maria;
    }

    @AfterContainer
    static void close() throws SQLException {
        if (readers != null) {
            readers.close();
        }
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE_A);
            s.execute("DROP DATABASE IF EXISTS " + DATABASE_B);
        }
    }

    @Override
    Connection governed(boolean a, boolean agent) {
        return readers.of(a, agent);
    }

    @Override
    String asIfOneDatabase(String outcome) {
        return outcome.replace(DATABASE_A, "<database>").replace(DATABASE_B, "<database>");
    }

    @Override
    List<String> leaves() {
        return List.of("c.ssn", "c.ssn", "c.name", "'123'", "'-'", "CAST(c.id AS CHAR)");
    }

    @Override
    List<String> unaryForms() {
        return List.of(
                "UPPER(%s)", "LOWER(%s)", "TRIM(%s)", "LEFT(%s, 3)", "RIGHT(%s, 2)", "SUBSTRING(%s, 1, 4)",
                "SUBSTR(%s FROM 2 FOR 3)", "REPLACE(%s, '-', '')", "LPAD(%s, 14, '*')", "CAST(LENGTH(%s) AS CHAR)",
                "CAST(%s AS CHAR(20))", "CAST(ASCII(%s) AS CHAR)", "CAST(LOCATE('1', %s) AS CHAR)", "HEX(%s)",
                "CONCAT(%s, '')", "MD5(%s)", "SHA2(%s, 256)", "REVERSE(%s)", "CAST(CAST(SUBSTRING(%s, 1, 1) AS SIGNED) AS CHAR)",
                "CAST(%s IS NULL AS CHAR)", "CAST(%s LIKE '1%%' AS CHAR)", "CAST(%s = '123-45-6789' AS CHAR)",
                "CAST(%s REGEXP '^1' AS CHAR)", "REGEXP_REPLACE(%s, '[0-4]', 'x')", "SOUNDEX(%s)", "INSERT(%s, 1, 2, 'zz')",
                "QUOTE(%s)", "SUBSTRING_INDEX(%s, '-', 2)", "CAST(OCTET_LENGTH(%s) AS CHAR)", "CONCAT_WS('/', %s, 'x')");
    }
}
