package io.governed.jdbc.masking;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/* MaskedConversionsSpec on MariaDB: VARCHAR, JSON and TEXT columns holding the masked value. */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbMaskedConversionsIT extends MaskedConversionsSpec {
    private static final String DB = UniqueNames.of("api_conversions");
    private static Path policy;

    @BeforeAll
    static void table() throws Exception {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DB);
            s.execute("CREATE TABLE " + DB + ".people (id INT PRIMARY KEY, ssn VARCHAR(20), ssn_json JSON, ssn_doc TEXT)");
            s.execute("CREATE PROCEDURE " + DB + ".listed() SELECT ssn, ssn_json, ssn_doc FROM " + DB + ".people");
            s.execute("CREATE PROCEDURE " + DB + ".copied(OUT x VARCHAR(20), INOUT y VARCHAR(20)) "
                    + "SELECT ssn, ssn INTO x, y FROM " + DB + ".people WHERE id = 1");
            s.execute("INSERT INTO " + DB + ".people VALUES (1, '" + SSN + "', '{\"ssn\":\"" + SSN + "\"}', '" + SSN + "')");
        }
        policy = Files.createTempFile("masked-conversions", ".yaml");
        Files.writeString(policy, POLICY);
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB);
        }
        Files.deleteIfExists(policy);
    }

    @Override
    Connection governed() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", TestDatabase.MARIADB.user());
        p.setProperty("password", TestDatabase.MARIADB.password());
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection("jdbc:governed:mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000&allowMultiQueries=true", p);
    }

    @Override
    String query() {
        return "SELECT ssn, ssn_json, ssn_doc FROM people";
    }

    /** A procedure whose result is the query's. */
    @Override
    String callSql() {
        return "{call listed()}";
    }

    /**
     * A procedure copying the masked value into OUT and INOUT parameters: Connector/J reads them from a result the
     * server sends after the call, which no getter of the call's results or parameters may hand out in clear.
     */
    @org.junit.jupiter.api.Test
    void outParametersAndTheResultTheyComeIn() throws Exception {
        java.util.List<String> seen = new java.util.ArrayList<>();
        try (Connection c = governed(); java.sql.CallableStatement call = c.prepareCall("{call copied(?, ?)}")) {
            call.registerOutParameter(1, java.sql.Types.VARCHAR);
            call.registerOutParameter(2, java.sql.Types.VARCHAR);
            call.setString(2, "in");
            try {
                seen.add("execute=" + call.execute());
            } catch (java.sql.SQLException refused) {
                seen.add("execute!=" + refused.getMessage() + refused.getSQLState());
                        assertNoPieceIn(seen);
                return;
            }
            for (int i = 0; i < 4; i++) {
                try (java.sql.ResultSet rs = call.getResultSet()) {
                    if (rs != null) {
                        while (rs.next()) {
                            for (int k = 1; k <= rs.getMetaData().getColumnCount(); k++) {
                                int column = k;
                                seen.add("result" + i + "." + k + "=" + safely(() -> rs.getString(column))
                                        + safely(() -> String.valueOf(rs.getObject(column))));
                            }
                        }
                    }
                }
                seen.add("more" + i + "=" + safely(() -> call.getMoreResults() + ""));
                seen.add("count" + i + "=" + safely(() -> call.getUpdateCount() + ""));
            }
            for (int k = 1; k <= 2; k++) {
                int p = k;
                seen.add("out" + k + "=" + safely(() -> call.getString(p)));
                seen.add("outObject" + k + "=" + safely(() -> String.valueOf(call.getObject(p))));
                seen.add("outByName" + k + "=" + safely(() -> call.getString(p == 1 ? "x" : "y")));
            }
        }
        assertNoPieceIn(seen);
    }

    @FunctionalInterface
    private interface Read {
        String get() throws Exception;
    }

    private static String safely(Read read) {
        try {
            return read.get();
        } catch (Exception e) {
            return "!" + e.getMessage();
        }
    }

    private static void assertNoPieceIn(java.util.List<String> seen) {
        for (String s : seen) {
            for (String piece : PIECES) {
                org.assertj.core.api.Assertions.assertThat(s).as(String.join("\n", seen)).doesNotContain(piece);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void everyResultOfSeveralQueries() throws Exception {
        checkEveryResultOfSeveralQueries();
    }

    @Override
    String multiQuery() {
        return "SELECT id FROM people; SELECT ssn, id FROM people; SELECT id, ssn_doc, ssn_json FROM people";
    }

    @Override
    List<String> driverTypes() {
        return List.of("org.mariadb.jdbc.type.Geometry", "org.mariadb.jdbc.MariaDbClob", "org.mariadb.jdbc.MariaDbBlob",
                "org.mariadb.jdbc.client.result.Result");
    }
}
