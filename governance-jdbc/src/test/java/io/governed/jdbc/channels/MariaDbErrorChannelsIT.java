package io.governed.jdbc.channels;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ErrorChannelsSpec} on MariaDB: the masked text column converted to every type the driver's type information
 * names ({@code CAST} and {@code CONVERT}), passed to every function the driver's metadata lists, compared and
 * computed with implicitly (the {@code Truncated incorrect … value} warnings), and put through JSON, date and
 * character set conversions.
 */
class MariaDbErrorChannelsIT extends ErrorChannelsSpec {
    static final String TABLE = UniqueNames.of("ec_channels_people");
    static final String SINK = UniqueNames.of("ec_channels_mariadb_audit");
    private static Connection raw;
    /** Governed connections of the same settings, the corpus shared out over them. */
    private static final List<Connection> governed = new ArrayList<>();
    /** Raw connections, for the corpus through the database's own driver. */
    private static final List<Connection> raws = new ArrayList<>();
    private static List<String> probes;

    @BeforeContainer
    static void database() throws SQLException, IOException {
        TestDatabase.MARIADB.requireReachable();
        raw = TestDatabase.MARIADB.connectRaw();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (id int PRIMARY KEY, ssn varchar(200) CHARACTER SET utf8mb4)");
            s.execute("INSERT INTO " + TABLE + " VALUES (1, 'x')");
        }
        openConnections(TestDatabase.MARIADB, PostgresErrorChannelsIT.POLICY, SINK, governed, raws);
        probes = corpus(raw);
    }

    @AfterContainer
    static void drop() throws SQLException {
        closeConnections(governed, raws);
        if (raw != null) {
            try (Statement s = raw.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + TABLE);
            }
            raw.close();
        }
    }

    static List<String> corpus(Connection raw) throws SQLException {
        List<String> probes = new ArrayList<>();
        String from = " FROM " + TABLE;
        Set<String> types = new LinkedHashSet<>(List.of("SIGNED", "UNSIGNED", "DECIMAL(5,2)", "DATE", "DATETIME", "TIME",
                "DOUBLE", "FLOAT", "INTEGER", "BINARY", "CHAR(2)", "JSON", "INET4", "INET6", "UUID", "INTERVAL"));
        try (ResultSet info = raw.getMetaData().getTypeInfo()) {
            while (info.next()) {
                types.add(info.getString("TYPE_NAME"));
            }
        }
        for (String type : types) {
            probes.add("SELECT CAST(ssn AS " + type + ")" + from);
            probes.add("SELECT CONVERT(ssn, " + type + ")" + from);
        }
        DatabaseMetaData meta = raw.getMetaData();
        Set<String> functions = new LinkedHashSet<>();
        for (String list : List.of(meta.getStringFunctions(), meta.getNumericFunctions(), meta.getTimeDateFunctions(),
                meta.getSystemFunctions())) {
            for (String f : list.split(",")) {
                if (!f.isBlank()) {
                    functions.add(f.strip());
                }
            }
        }
        functions.removeAll(Set.of("SLEEP", "BENCHMARK", "GET_LOCK", "RELEASE_LOCK", "LOAD_FILE", "MASTER_POS_WAIT"));
        for (String f : functions) {
            probes.add("SELECT " + f + "(ssn)" + from);
        }
        for (String shape : List.of("ssn + 0", "ssn * 1", "ssn = 0", "ssn > 0", "ssn AND 1", "ssn DIV 1", "-ssn",
                "JSON_VALUE(ssn, '$.a')", "JSON_EXTRACT(ssn, '$.a')", "JSON_EXTRACT('{}', ssn)", "JSON_VALUE('{}', ssn)",
                "JSON_KEYS(ssn)", "JSON_LENGTH(ssn)", "JSON_QUERY(ssn, '$')", "JSON_CONTAINS(ssn, '1')",
                "CONVERT(ssn USING latin1)", "CONVERT(ssn USING ascii)", "CAST(ssn AS CHAR CHARACTER SET latin1)",
                "STR_TO_DATE(ssn, '%Y-%m-%d')", "STR_TO_DATE('2020', ssn)", "DATE_FORMAT(ssn, '%Y')", "DATE_ADD(ssn, INTERVAL 1 DAY)",
                "TIMESTAMP(ssn)", "TIME_TO_SEC(ssn)", "FROM_BASE64(ssn)", "UNHEX(ssn)", "INET_ATON(ssn)", "INET6_ATON(ssn)",
                "ssn REGEXP ssn", "REGEXP_REPLACE('a', ssn, 'b')", "REGEXP_SUBSTR('a', ssn)", "ssn LIKE 'a' ESCAPE ssn",
                "ExtractValue(ssn, '/a')", "ExtractValue('<a/>', ssn)", "UpdateXML(ssn, '/a', 'b')", "ST_GeomFromText(ssn)",
                "COLUMN_GET(ssn, 1 AS CHAR)", "NAME_CONST('a', ssn)", "DATE(ssn)", "YEAR(ssn)", "ssn IN (1, 2)",
                "CAST(ssn AS INTEGER) + 0", "ssn BETWEEN 1 AND 2")) {
            probes.add("SELECT " + shape + from);
        }
        probes.add("SELECT id" + from + " WHERE ssn = 0");
        probes.add("SELECT id" + from + " ORDER BY ssn + 0");
        probes.add("SELECT SUM(ssn)" + from);
        probes.add("SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'x'");
        return probes;
    }

    @Property(tries = 12, shrinking = ShrinkingMode.OFF)
    void noFragmentOfAMaskedValueReachesAMaskedCallerThroughAnErrorOrWarning(@ForAll("markers") String marker) throws SQLException {
        try (PreparedStatement p = raw.prepareStatement("UPDATE " + TABLE + " SET ssn = ? WHERE id = 1")) {
            p.setString(1, marker);
            p.executeUpdate();
        }
        List<Leak> leaks = probeAll(governed, marker, probes);
        checkAudit(governed, SINK, marker, leaks);
        assertThat(leaks).as(() -> "marker " + marker.replace("\n", "\\n") + ": " + describe(leaks, 60)).isEmpty();
    }

    /** The corpus reaches the database's quoting messages: through the database's own driver, the marker shows. */
    @Example
    void throughTheDatabasesOwnDriverTheCorpusShowsTheMarker() throws SQLException {
        String marker = "Qzxjvk Wyqzx";
        try (PreparedStatement p = raw.prepareStatement("UPDATE " + TABLE + " SET ssn = ? WHERE id = 1")) {
            p.setString(1, marker);
            p.executeUpdate();
        }
        List<Leak> leaks = probeAll(raws, marker, probes);
        assertThat(leaks).as("probes whose error or warning quotes the value through the raw driver").hasSizeGreaterThan(10);
    }
}
