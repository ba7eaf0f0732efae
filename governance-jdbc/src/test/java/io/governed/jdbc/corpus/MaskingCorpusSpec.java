package io.governed.jdbc.corpus;

import io.governed.jdbc.support.EveryGetter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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
                        Map<String, String> reads = EveryGetter.of(rs, i, md.getColumnLabel(i));
                        for (Map.Entry<String, String> read : reads.entrySet()) {
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
}
