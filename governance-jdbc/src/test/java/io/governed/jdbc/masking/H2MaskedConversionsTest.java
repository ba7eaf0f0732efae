package io.governed.jdbc.masking;

import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/* MaskedConversionsSpec on H2: VARCHAR, JSON, ARRAY and CLOB columns holding the masked value. */
class H2MaskedConversionsTest extends MaskedConversionsSpec {
    private static final String URL = "h2:mem:" + UniqueNames.of("api_conversions") + ";DB_CLOSE_DELAY=-1";
    private Connection keeper;
    private Path policy;

    @BeforeEach
    void table() throws Exception {
        keeper = DriverManager.getConnection("jdbc:" + URL, "sa", "");
        try (Statement s = keeper.createStatement()) {
            s.execute("CREATE TABLE people (id INT PRIMARY KEY, ssn VARCHAR(20), ssn_json JSON, "
                    + "ssn_list VARCHAR(20) ARRAY, ssn_doc CLOB)");
            s.execute("INSERT INTO people VALUES (1, '" + SSN + "', JSON '{\"ssn\":\"" + SSN + "\"}', ARRAY['" + SSN
                    + "'], '" + SSN + "')");
        }
        policy = Files.createTempFile("masked-conversions", ".yaml");
        Files.writeString(policy, POLICY);
    }

    @AfterEach
    void drop() throws Exception {
        try (Statement s = keeper.createStatement()) {
            s.execute("DROP TABLE people");
        }
        keeper.close();
        Files.deleteIfExists(policy);
    }

    @Override
    Connection governed() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection("jdbc:governed:" + URL, p);
    }

    @Override
    String query() {
        return "SELECT ssn, ssn_json, ssn_list, ssn_doc FROM people";
    }

    /** H2 hands a ROW value out as a result set of its own, and a ROW column's fields through getObject. */
    @org.junit.jupiter.api.Test
    void rowValuesOfAMaskedColumn() throws Exception {
        java.util.List<String> seen = new java.util.ArrayList<>();
        try (Connection c = governed(); Statement s = c.createStatement()) {
            for (String sql : java.util.List.of("SELECT ROW(ssn, id) AS r FROM people", "SELECT (ssn, id) AS r FROM people",
                    "SELECT ROW(ssn_list, ssn_json) AS r FROM people")) {
                try (java.sql.ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        Object row = rs.getObject(1);
                        seen.add(sql + " -> " + (row == null ? null : row.getClass().getName()) + ":"
                                + io.governed.jdbc.support.EveryGetter.text(row));
                        seen.add(sql + " -> " + String.valueOf(io.governed.jdbc.support.EveryGetter.of(rs, 1, "r")));
                    }
                } catch (java.sql.SQLException refused) {
                    seen.add(sql + " !" + refused.getMessage());
                }
            }
        }
        for (String text : seen) {
            for (String piece : PIECES) {
                org.assertj.core.api.Assertions.assertThat(text).as(text).doesNotContain(piece);
            }
        }
    }

    @Override
    List<String> driverTypes() {
        return List.of("org.h2.value.Value", "org.h2.value.ValueVarchar", "org.h2.value.ValueJson",
                "org.h2.api.Interval", "org.h2.jdbc.JdbcClob", "org.h2.jdbc.JdbcArray", "org.h2.jdbc.JdbcResultSet");
    }
}
