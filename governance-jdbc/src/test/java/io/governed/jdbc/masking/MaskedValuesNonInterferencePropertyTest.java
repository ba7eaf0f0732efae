package io.governed.jdbc.masking;

import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.h2.jdbcx.JdbcDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/** {@link MaskedValuesNonInterferenceSpec} on two H2 databases. */
class MaskedValuesNonInterferencePropertyTest extends MaskedValuesNonInterferenceSpec {
    private static Connection keepA;
    private static Connection keepB;
    private static Readers readers;

    @BeforeContainer
    static void databases() throws SQLException {
        JdbcDataSource databaseA = database(SSNS_A);
        JdbcDataSource databaseB = database(SSNS_B);
        keepA = databaseA.getConnection();
        keepB = databaseB.getConnection();
        readers = Readers.over(databaseA, databaseB);
    }

    private static JdbcDataSource database(List<String> ssns) throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:non-interference-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            fill(s, ssns);
        }
        return h2;
    }

    @AfterContainer
    static void close() throws SQLException {
        readers.close();
        for (Connection c : new Connection[] {keepA, keepB}) {
            try (Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
    }

    @Override
    Connection governed(boolean a, boolean agent) {
        return readers.of(a, agent);
    }

    @Override
    List<String> leaves() {
        return List.of("c.ssn", "c.ssn", "c.name", "'123'", "'-'", "CAST(c.id AS VARCHAR)");
    }

    @Override
    List<String> unaryForms() {
        return List.of(
                "UPPER(%s)", "LOWER(%s)", "TRIM(%s)", "LEFT(%s, 3)", "RIGHT(%s, 2)", "SUBSTRING(%s, 1, 4)",
                "REPLACE(%s, '-', '')", "LPAD(%s, 14, '*')", "CAST(LENGTH(%s) AS VARCHAR)", "CAST(%s AS VARCHAR(20))",
                "CAST(ASCII(%s) AS VARCHAR)", "CAST(LOCATE('1', %s) AS VARCHAR)", "RAWTOHEX(%s)", "CONCAT(%s, '')",
                "CAST(HASH('SHA-256', %s) AS VARCHAR)",
                "CAST(CAST(SUBSTRING(%s, 1, 1) AS INT) AS VARCHAR)", "CAST(%s IS NULL AS VARCHAR)",
                "CAST(%s LIKE '1%%' AS VARCHAR)", "CAST(%s = '123-45-6789' AS VARCHAR)", "TRANSLATE(%s, '0123456789', 'abcdefghij')",
                "CAST(ARRAY[%s] AS VARCHAR)", "REGEXP_REPLACE(%s, '[0-4]', 'x')", "CAST(SOUNDEX(%s) AS VARCHAR)");
    }
}
