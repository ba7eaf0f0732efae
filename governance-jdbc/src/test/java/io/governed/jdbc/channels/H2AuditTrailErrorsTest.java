package io.governed.jdbc.channels;

import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@link AuditTrailErrorsSpec} on H2: conversions of the value (H2 quotes it, and its messages carry the statement),
 * a duplicate key, a too-long value, and a user function and a trigger that fail with the value as their whole message.
 */
public class H2AuditTrailErrorsTest extends AuditTrailErrorsSpec {
    private static final String DB = "gs_aerr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String URL = "h2:mem:" + DB + ";DB_CLOSE_DELAY=-1";
    private static Connection raw;
    private static Caller masked;
    private static Caller unmasked;

    /** A user function: fails with the value of row {@code id} as its whole message, as a routine may. */
    public static int refuse(Connection c, int id) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT val FROM people WHERE id = " + id)) {
            rs.next();
            throw new SQLException(rs.getString(1), "45000", 4242);
        }
    }

    /** A trigger: refuses every row with its value as the message. */
    public static final class RefuseRow implements org.h2.api.Trigger {
        @Override
        public void fire(Connection c, Object[] oldRow, Object[] newRow) throws SQLException {
            throw new SQLException(String.valueOf(newRow[1]), "45000", 4242);
        }
    }

    @BeforeContainer
    static void database() throws SQLException, IOException {
        raw = DriverManager.getConnection("jdbc:" + URL, "sa", "");
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE people(id INT PRIMARY KEY, val VARCHAR(400))");
            s.execute("INSERT INTO people VALUES (1, 'x')");
            s.execute("CREATE TABLE uniq(val VARCHAR(400) PRIMARY KEY)");
            s.execute("CREATE TABLE shortcol(val VARCHAR(3))");
            s.execute("CREATE TABLE ints(val INT)");
            s.execute("CREATE TABLE checked(val VARCHAR(400) CHECK (val = 'x'))");
            s.execute("CREATE TABLE orders(id INT, val VARCHAR(400))");
            s.execute("CREATE ALIAS refuse FOR \"" + H2AuditTrailErrorsTest.class.getName() + ".refuse\"");
            s.execute("CREATE TRIGGER refuse_row BEFORE INSERT ON orders FOR EACH ROW CALL \"" + RefuseRow.class.getName() + "\"");
        }
        String policy = POLICY + """
                routines:
                  - { id: refuse-reads-people, routines: ["*.refuse"], does: [ { actions: [select], resources: ["PUBLIC.PEOPLE"] } ] }
                  - { id: refuse-row-reads-nothing, routines: ["*.refuse_row"], does: [] }
                """;
        masked = Caller.open("ana", "jdbc:governed:" + URL, "sa", "", policy, "analysts", DB + "_masked");
        unmasked = Caller.open("pat", "jdbc:governed:" + URL, "sa", "", policy, "analysts,pii-readers", DB + "_unmasked");
    }

    @AfterContainer
    static void drop() throws SQLException {
        masked.close();
        unmasked.close();
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
        raw.close();
    }

    @Override
    Caller masked() {
        return masked;
    }

    @Override
    Caller unmasked() {
        return unmasked;
    }

    @Override
    Connection raw() {
        return raw;
    }

    @Override
    void plant(String marker) throws SQLException {
        try (PreparedStatement p = raw.prepareStatement("UPDATE people SET val = ? WHERE id = 1");
             Statement s = raw.createStatement()) {
            p.setString(1, marker);
            p.executeUpdate();
            s.execute("DELETE FROM uniq");
            s.execute("INSERT INTO uniq SELECT val FROM people");
        }
    }

    @Override
    List<String> probes(String marker) {
        List<String> probes = new ArrayList<>();
        for (String type : List.of("INT", "BIGINT", "DECIMAL(5, 1)", "DOUBLE PRECISION", "BOOLEAN", "DATE", "TIME",
                "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "UUID", "INTERVAL DAY", "VARBINARY", "JSON", "GEOMETRY",
                "ENUM('a', 'b')", "INT ARRAY", "CHAR(2)")) {
            probes.add("SELECT CAST(val AS " + type + ") FROM people");
        }
        probes.add("SELECT val + 1 FROM people");
        probes.add("SELECT val FORMAT JSON FROM people");
        probes.add("SELECT JSON_OBJECT('a': val FORMAT JSON) FROM people");
        probes.add("SELECT id FROM people WHERE val = 0");
        probes.add("SELECT id FROM people ORDER BY CAST(val AS DATE)");
        probes.add("SELECT REGEXP_REPLACE('a', val, 'b') FROM people");
        probes.add("SELECT FORMATDATETIME(CURRENT_TIMESTAMP, val) FROM people");
        probes.add("SELECT PARSEDATETIME(val, 'yyyy') FROM people");
        probes.add("INSERT INTO uniq SELECT val FROM people");
        probes.add("INSERT INTO shortcol SELECT val FROM people");
        probes.add("INSERT INTO ints SELECT val FROM people");
        probes.add("INSERT INTO checked SELECT val FROM people");
        probes.add("SELECT refuse(1)");
        probes.add("INSERT INTO orders SELECT 1, val FROM people");
        String v = literal(marker);
        probes.add("SELECT CAST(" + v + " AS INT)");
        probes.add("INSERT INTO uniq VALUES (" + v + ")");
        probes.add("INSERT INTO ints VALUES (" + v + ")");
        probes.add("SELECT * FROM people WHERE val = " + v + " AND id = " + v);
        return probes;
    }

    @Override
    int minimumQuoting() {
        return 15;
    }
}
