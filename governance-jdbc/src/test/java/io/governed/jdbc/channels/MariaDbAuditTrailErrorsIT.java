package io.governed.jdbc.channels;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link AuditTrailErrorsSpec} on MariaDB: a duplicate entry, values a strict column refuses ({@code Incorrect integer
 * value: '…'}), conversions, and a trigger that fails with {@code SIGNAL … SET MESSAGE_TEXT} the row's value.
 */
class MariaDbAuditTrailErrorsIT extends AuditTrailErrorsSpec {
    static final String PREFIX = UniqueNames.of("gs_aerr");
    private static Connection raw;
    private static Caller masked;
    private static Caller unmasked;

    @BeforeContainer
    static void database() throws SQLException, IOException {
        TestDatabase.MARIADB.requireReachable();
        raw = TestDatabase.MARIADB.connectRaw();
        try (Statement s = raw.createStatement()) {
            String text = " varchar(400) CHARACTER SET utf8mb4";
            s.execute("CREATE TABLE " + PREFIX + "_people (id int PRIMARY KEY, val" + text + ")");
            s.execute("INSERT INTO " + PREFIX + "_people VALUES (1, 'x')");
            s.execute("CREATE TABLE " + PREFIX + "_uniq (val" + text + " PRIMARY KEY)");
            s.execute("CREATE TABLE " + PREFIX + "_ints (val int)");
            s.execute("CREATE TABLE " + PREFIX + "_dates (val date)");
            s.execute("CREATE TABLE " + PREFIX + "_decimals (val decimal(5, 1))");
            s.execute("CREATE TABLE " + PREFIX + "_shortcol (val varchar(3))");
            s.execute("CREATE TABLE " + PREFIX + "_orders (id int, val" + text + ")");
            s.execute("CREATE TRIGGER " + PREFIX + "_refuse BEFORE INSERT ON " + PREFIX + "_orders FOR EACH ROW"
                    + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = NEW.val");
        }
        String url = TestDatabase.MARIADB.governedUrl();
        String user = TestDatabase.MARIADB.user();
        masked = Caller.open("ana", url, user, TestDatabase.MARIADB.password(), POLICY, "analysts", PREFIX + "_masked");
        unmasked = Caller.open("pat", url, user, TestDatabase.MARIADB.password(), POLICY, "analysts,pii-readers",
                PREFIX + "_unmasked");
    }

    @AfterContainer
    static void drop() throws SQLException {
        if (masked != null) {
            masked.close();
        }
        if (unmasked != null) {
            unmasked.close();
        }
        if (raw != null) {
            try (Statement s = raw.createStatement()) {
                for (String table : List.of("people", "uniq", "ints", "dates", "decimals", "shortcol", "orders")) {
                    s.execute("DROP TABLE IF EXISTS " + PREFIX + "_" + table);
                }
            }
            raw.close();
        }
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
        try (PreparedStatement p = raw.prepareStatement("UPDATE " + PREFIX + "_people SET val = ? WHERE id = 1");
             Statement s = raw.createStatement()) {
            p.setString(1, marker);
            p.executeUpdate();
            s.execute("DELETE FROM " + PREFIX + "_uniq");
            s.execute("INSERT INTO " + PREFIX + "_uniq SELECT val FROM " + PREFIX + "_people");
        }
    }

    @Override
    List<String> probes(String marker) {
        String from = " FROM " + PREFIX + "_people";
        List<String> probes = new ArrayList<>();
        for (String table : List.of("uniq", "ints", "dates", "decimals", "shortcol", "orders")) {
            probes.add("INSERT INTO " + PREFIX + "_" + table + (table.equals("orders") ? " SELECT id, val" : " SELECT val") + from);
        }
        for (String type : List.of("SIGNED", "DECIMAL(5, 1)", "DATE", "DATETIME", "TIME", "DOUBLE", "JSON")) {
            probes.add("SELECT CAST(val AS " + type + ")" + from);
        }
        probes.add("SELECT id" + from + " WHERE val = 0");
        probes.add("SELECT JSON_EXTRACT(val, '$.a')" + from);
        probes.add("SELECT STR_TO_DATE(val, '%Y')" + from);
        String literal = literal(marker).replace("\\", "\\\\");
        probes.add("INSERT INTO " + PREFIX + "_uniq VALUES (" + literal + ")");
        probes.add("INSERT INTO " + PREFIX + "_ints VALUES (" + literal + ")");
        probes.add("INSERT INTO " + PREFIX + "_orders VALUES (1, " + literal + ")");
        return probes;
    }

    @Override
    int minimumQuoting() {
        return 5;
    }
}
