package io.governed.jdbc.corpus;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The masking corpus: an analyst under the reference policy's masks reads sensitive columns in every
 * query shape, and no value of any getter contains a piece of a protected value; and queries over
 * what the policy does not mask come back exactly as through the raw driver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MaskingCorpusSpec {
    private final SensitiveFixture fixture = new SensitiveFixture();
    private Connection raw;
    private Connection analyst;

    abstract CorpusDatabase database();

    abstract String databaseName();

    /** Leak corpus files on top of {@code masking-leaks-common.sql}. */
    abstract List<String> dialectLeakFiles();

    /** Clear corpus files on top of {@code masking-clear-common.sql}. */
    List<String> dialectClearFiles() {
        return List.of();
    }

    void prepareServer() throws SQLException {
    }

    @BeforeAll
    void fixtures() throws SQLException {
        prepareServer();
        raw = database().raw(databaseName());
        fixture.lay(raw);
        Properties p = new Properties();
        p.setProperty("governed.policy", "classpath:policies/masking-policy.yaml");
        p.setProperty("governed.principal", "ann");
        p.setProperty("governed.groups", "analysts");
        p.setProperty("governed.audit", "memory");
        analyst = database().governed(databaseName(), p);
    }

    @AfterAll
    void close() throws SQLException {
        if (raw != null) {
            raw.close();
        }
        if (analyst != null) {
            analyst.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> noGetterReturnsAProtectedValueInClear() {
        List<String> files = new ArrayList<>(List.of("masking-leaks-common.sql"));
        files.addAll(dialectLeakFiles());
        return Corpus.cases(files.toArray(String[]::new)).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            try (Statement s = analyst.createStatement(); ResultSet rs = s.executeQuery(c.sql())) {
                ResultSetMetaData md = rs.getMetaData();
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        rs.getString(i); // every column, masked or not, can be read as text
                        for (Map.Entry<String, String> read : everyGetter(rs, i, md.getColumnLabel(i)).entrySet()) {
                            assertThat(fixture.leakIn(read.getValue()))
                                    .as("%s column %d (%s) read by %s", c, i, md.getColumnLabel(i), read.getKey()).isNull();
                        }
                    }
                }
                assertThat(rows).as("rows of %s", c).isPositive();
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> whatIsNotMaskedComesBackAsThroughTheRawDriver() {
        List<String> files = new ArrayList<>(List.of("masking-clear-common.sql"));
        files.addAll(dialectClearFiles());
        return Corpus.cases(files.toArray(String[]::new)).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () ->
                assertThat(everyValue(analyst, c.sql())).as("results of %s", c).isEqualTo(everyValue(raw, c.sql()))));
    }

    /** Every row's getString and getObject values. */
    private static List<String> everyValue(Connection connection, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(rs.getString(i)).append(" / ").append(rs.getObject(i)).append(" | ");
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    /** What each getter returns for column {@code i}, as text; a getter the driver refuses for the column's type is left out. */
    private static Map<String, String> everyGetter(ResultSet rs, int i, String label) {
        Map<String, String> out = new LinkedHashMap<>();
        read(out, "getString", () -> rs.getString(i));
        read(out, "getString(label)", () -> rs.getString(label));
        read(out, "getNString", () -> rs.getNString(i));
        read(out, "getObject", () -> rs.getObject(i));
        read(out, "getObject(label)", () -> rs.getObject(label));
        read(out, "getObject(String)", () -> rs.getObject(i, String.class));
        read(out, "getObject(Long)", () -> rs.getObject(i, Long.class));
        read(out, "getObject(map)", () -> rs.getObject(i, Map.of()));
        read(out, "getBytes", () -> rs.getBytes(i));
        read(out, "getCharacterStream", () -> rs.getCharacterStream(i));
        read(out, "getNCharacterStream", () -> rs.getNCharacterStream(i));
        read(out, "getAsciiStream", () -> rs.getAsciiStream(i));
        read(out, "getBinaryStream", () -> rs.getBinaryStream(i));
        read(out, "getClob", () -> rs.getClob(i));
        read(out, "getNClob", () -> rs.getNClob(i));
        read(out, "getBlob", () -> rs.getBlob(i));
        read(out, "getArray", () -> rs.getArray(i));
        read(out, "getLong", () -> rs.getLong(i));
        read(out, "getBigDecimal", () -> rs.getBigDecimal(i));
        read(out, "getDouble", () -> rs.getDouble(i));
        read(out, "getDate", () -> rs.getDate(i));
        return out;
    }

    @FunctionalInterface
    private interface Getter {
        Object get() throws Exception;
    }

    private static void read(Map<String, String> out, String name, Getter getter) {
        try {
            out.put(name, text(getter.get()));
        } catch (Exception refused) {
            // a getter the driver (or the mask) cannot serve for this column returns nothing to leak
        }
    }

    private static String text(Object value) throws Exception {
        if (value == null) {
            return "";
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof Reader reader) {
            StringBuilder b = new StringBuilder();
            char[] buffer = new char[256];
            for (int n; (n = reader.read(buffer)) > 0; ) {
                b.append(buffer, 0, n);
            }
            return b.toString();
        }
        if (value instanceof InputStream in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (value instanceof Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        if (value instanceof Blob blob) {
            return new String(blob.getBytes(1, (int) blob.length()), StandardCharsets.UTF_8);
        }
        if (value instanceof Array array) {
            Object elements = array.getArray();
            return elements instanceof Object[] objects ? Arrays.deepToString(objects) : String.valueOf(elements);
        }
        if (value instanceof Object[] objects) {
            return Arrays.deepToString(objects);
        }
        return value.toString();
    }
}
