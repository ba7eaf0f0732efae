package io.governed.jdbc.channels;

import io.governed.jdbc.support.UniqueNames;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ErrorChannelsSpec} on H2: the masked text column cast to every type the driver's type information names,
 * passed to every function the driver's metadata lists, and put through JSON, date and regular expression shapes
 * (H2's {@code Data conversion error converting "…"}, {@code Cannot parse "…" constant "…"}).
 */
class H2ErrorChannelsTest extends ErrorChannelsSpec {
    static final String URL = "jdbc:h2:mem:" + UniqueNames.of("ec_channels") + ";DB_CLOSE_DELAY=-1";
    static final String SINK = UniqueNames.of("ec_channels_h2_audit");
    private static Connection raw;
    private static Connection governed;
    private static List<String> probes;

    @BeforeContainer
    static void database() throws SQLException, IOException {
        raw = DriverManager.getConnection(URL, "sa", "");
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE people (id int PRIMARY KEY, ssn varchar(200))");
            s.execute("INSERT INTO people VALUES (1, 'x')");
        }
        Path policy = Files.createTempFile("ec-channels", ".yaml");
        Files.writeString(policy, PostgresErrorChannelsIT.POLICY);
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "ana");
        p.setProperty("governed.groups", "analysts");
        p.setProperty("governed.audit", "memory:" + SINK);
        governed = DriverManager.getConnection("jdbc:governed:" + URL.substring("jdbc:".length()), p);
        probes = corpus(raw);
    }

    @AfterContainer
    static void drop() throws SQLException {
        if (governed != null) {
            governed.close();
        }
        if (raw != null) {
            try (Statement s = raw.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
    }

    static List<String> corpus(Connection raw) throws SQLException {
        List<String> probes = new ArrayList<>();
        String from = " FROM people";
        Set<String> types = new LinkedHashSet<>(List.of("INT", "BIGINT", "NUMERIC(5, 2)", "DECFLOAT", "DATE", "TIME",
                "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "INTERVAL DAY", "INTERVAL YEAR TO MONTH", "UUID", "JSON", "BOOLEAN",
                "BINARY(2)", "VARBINARY", "GEOMETRY", "ENUM('a', 'b')", "INT ARRAY", "CHAR(2)", "VARCHAR(2)", "ROW(a INT)",
                "TINYINT", "REAL", "JAVA_OBJECT"));
        try (ResultSet info = raw.getMetaData().getTypeInfo()) {
            while (info.next()) {
                types.add(info.getString("TYPE_NAME"));
            }
        }
        for (String type : types) {
            probes.add("SELECT CAST(ssn AS " + type + ")" + from);
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
        functions.removeAll(Set.of("SLEEP", "FILE_READ", "FILE_WRITE", "LINK_SCHEMA", "CSVREAD", "CSVWRITE"));
        for (String f : functions) {
            probes.add("SELECT " + f + "(ssn)" + from);
        }
        for (String shape : List.of("ssn FORMAT JSON", "CAST(ssn FORMAT JSON AS JSON)", "JSON_OBJECT(ssn: 1)",
                "PARSEDATETIME(ssn, 'yyyy')", "PARSEDATETIME('2020', ssn)", "FORMATDATETIME(NOW(), ssn)", "TO_DATE(ssn, 'YYYY')",
                "REGEXP_LIKE('a', ssn)", "REGEXP_REPLACE('a', ssn, 'b')", "ssn REGEXP ssn", "'a' LIKE 'b' ESCAPE ssn",
                "ssn + 0", "ssn = 0", "ssn * 2", "HEXTORAW(ssn)", "UTF8TOSTRING(CAST(ssn AS VARBINARY))", "DATEADD(ssn, 1, NOW())",
                "EXTRACT(DAY FROM CAST(ssn AS DATE))", "ARRAY[ssn][2]", "CAST(ARRAY[ssn] AS INT ARRAY)", "NEXT VALUE FOR PUBLIC.NOPE",
                "DECODE(ssn, 1, 2)", "CAST(CAST(ssn AS VARBINARY) AS UUID)", "TRUNC(ssn)", "ssn::int")) {
            probes.add("SELECT " + shape + from);
        }
        probes.add("SELECT id" + from + " WHERE ssn = 0");
        probes.add("SELECT id" + from + " ORDER BY CAST(ssn AS INT)");
        return probes;
    }

    @Property(tries = 12, shrinking = ShrinkingMode.OFF)
    void noFragmentOfAMaskedValueReachesAMaskedCallerThroughAnErrorOrWarning(@ForAll("markers") String marker) throws SQLException {
        try (PreparedStatement p = raw.prepareStatement("UPDATE people SET ssn = ? WHERE id = 1")) {
            p.setString(1, marker);
            p.executeUpdate();
        }
        List<Leak> leaks = new ArrayList<>();
        for (String probe : probes) {
            probe(governed, marker, probe, leaks);
        }
        checkAudit(governed, SINK, marker, leaks);
        assertThat(leaks).as(() -> "marker " + marker.replace("\n", "\\n") + ": " + describe(leaks, 60)).isEmpty();
    }

    /** The corpus reaches the database's quoting messages: through the database's own driver, the marker shows. */
    @Example
    void throughTheDatabasesOwnDriverTheCorpusShowsTheMarker() throws SQLException {
        String marker = "Qzxjvk Wyqzx";
        try (PreparedStatement p = raw.prepareStatement("UPDATE " + "people" + " SET ssn = ? WHERE id = 1")) {
            p.setString(1, marker);
            p.executeUpdate();
        }
        List<Leak> leaks = new ArrayList<>();
        for (String probe : probes) {
            probe(raw, marker, probe, leaks);
        }
        assertThat(leaks).as("probes whose error or warning quotes the value through the raw driver").hasSizeGreaterThan(10);
    }
}
