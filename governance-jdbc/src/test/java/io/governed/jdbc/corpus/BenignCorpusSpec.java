package io.governed.jdbc.corpus;

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
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every statement of the benign corpus is allowed by the baseline policy and gives, through
 * {@code jdbc:governed:}, exactly the results the raw driver gives on an identical database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BenignCorpusSpec {
    private Connection raw;
    private Connection governed;

    abstract CorpusDatabase database();

    /** Makes sure the server is reachable and its databases exist; nothing for embedded H2. */
    void prepareServer() throws SQLException {
    }

    /** Two databases with identical fixtures: one used raw, one governed. */
    abstract String rawDatabaseName();

    abstract String governedDatabaseName();

    abstract String[] corpusFiles();

    @BeforeAll
    void fixtures() throws SQLException {
        prepareServer();
        raw = database().raw(rawDatabaseName());
        database().layFixture(raw);
        try (Connection c = database().raw(governedDatabaseName())) {
            database().layFixture(c);
        }
        Properties p = new Properties();
        p.setProperty("governed.principal", "order-service");
        p.setProperty("governed.kind", "service");
        governed = database().governed(governedDatabaseName(), p);
    }

    @AfterAll
    void close() throws SQLException {
        if (raw != null) {
            raw.close();
        }
        if (governed != null) {
            governed.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyOrdinaryStatementRunsAsThroughTheRawDriver() {
        return Corpus.cases(corpusFiles()).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            List<String> expected = results(raw, c.sql());
            assertThat(results(governed, c.sql())).as("results of %s", c).isEqualTo(expected);
        }));
    }

    /** Every result of {@code sql}: result sets row by row, and update counts. */
    static List<String> results(Connection connection, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = connection.createStatement()) {
            boolean isResultSet = s.execute(sql);
            while (true) {
                if (isResultSet) {
                    try (ResultSet rs = s.getResultSet()) {
                        ResultSetMetaData md = rs.getMetaData();
                        StringBuilder header = new StringBuilder("columns:");
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            header.append(' ').append(md.getColumnLabel(i));
                        }
                        out.add(header.toString());
                        while (rs.next()) {
                            StringBuilder row = new StringBuilder("row:");
                            for (int i = 1; i <= md.getColumnCount(); i++) {
                                row.append(' ').append(rs.getString(i));
                            }
                            out.add(row.toString());
                        }
                    }
                } else {
                    int count = s.getUpdateCount();
                    if (count == -1) {
                        break;
                    }
                    out.add("count: " + count);
                }
                isResultSet = s.getMoreResults();
            }
        }
        return out;
    }
}
