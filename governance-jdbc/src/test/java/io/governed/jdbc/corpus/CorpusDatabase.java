package io.governed.jdbc.corpus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A database the corpora run on: how to reach it raw and governed, how to lay the fixture down,
 * and a snapshot of everything an evasion could change (catalog, data, grants, files).
 */
abstract class CorpusDatabase {
    /** Files an evasion would create on the database host if it got through. */
    static final List<Path> MARKER_FILES = List.of(Path.of("/tmp/governed-jdbc-pwned"), Path.of("/tmp/governed-jdbc-dump.sql"));

    /** The raw driver URL of the database named {@code name}. */
    abstract String rawUrl(String name);

    abstract Properties credentials();

    /** Fixture files on top of {@code fixture-common.sql}. */
    abstract List<String> extraFixtures();

    /** Removes every fixture object so the fixture can be laid down afresh. */
    abstract void dropFixture(Statement raw) throws SQLException;

    /** Queries whose results together describe the database state an evasion could change. */
    abstract List<String> snapshotQueries();

    Connection raw(String name) throws SQLException {
        return DriverManager.getConnection(rawUrl(name), credentials());
    }

    /** The first column of {@code query}'s rows as text, read through a raw connection to database {@code name}. */
    List<String> rawColumn(String name, String query) throws SQLException {
        try (Connection raw = raw(name); Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    Connection governed(String name, Properties governance) throws SQLException {
        Properties p = new Properties();
        p.putAll(credentials());
        p.putAll(governance);
        return DriverManager.getConnection("jdbc:governed:" + rawUrl(name).substring("jdbc:".length()), p);
    }

    /** A governed connection as ann of group analysts under the reference masking policy, whom its masks apply to. */
    Connection governedAnalyst(String name) throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", "classpath:policies/masking-policy.yaml");
        p.setProperty("governed.principal", "ann");
        p.setProperty("governed.groups", "analysts");
        return governed(name, p);
    }

    void layFixture(Connection raw) throws SQLException {
        try (Statement s = raw.createStatement()) {
            dropFixture(s);
            s.execute("CREATE SCHEMA app");
            for (String sql : Corpus.fixture("fixture-common.sql")) {
                s.execute(sql);
            }
            for (String file : extraFixtures()) {
                for (String sql : Corpus.fixture(file)) {
                    s.execute(sql);
                }
            }
        }
        for (Path marker : MARKER_FILES) {
            try {
                Files.deleteIfExists(marker);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot remove " + marker, e);
            }
        }
    }

    /** Everything an evasion could have changed, as text, read through a raw connection. */
    String snapshot(Connection raw) throws SQLException {
        return snapshotOf(raw, snapshotQueries());
    }

    /**
     * Whether the raw driver runs several {@code ;}-separated queries sent as one string and returns each one's rows, so a
     * snapshot costs one round trip instead of one per query.
     */
    boolean runsQueriesInOneString() {
        return false;
    }

    /** The results of {@code queries} (rows sorted; a query that fails gives its SQLState) and whether the marker files exist. */
    String snapshotOf(Connection raw, List<String> queries) throws SQLException {
        String results = runsQueriesInOneString() && raw.getAutoCommit() ? inOneString(raw, queries) : null;
        StringBuilder out = new StringBuilder(results == null ? oneByOne(raw, queries) : results);
        for (Path marker : MARKER_FILES) {
            out.append(marker).append(Files.exists(marker) ? " exists" : " absent").append('\n');
        }
        return out.toString();
    }

    /** Each query's results, sent one by one. */
    private static String oneByOne(Connection raw, List<String> queries) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Statement s = raw.createStatement()) {
            for (String query : queries) {
                out.append("## ").append(query).append('\n');
                try (ResultSet rs = s.executeQuery(query)) {
                    rows(rs, out);
                } catch (SQLException e) {
                    out.append("fails: ").append(e.getSQLState()).append('\n');
                    if (!raw.getAutoCommit()) {
                        raw.rollback();
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * The same text as {@link #oneByOne}, the queries sent as one string; {@code null} when any of them fails (the
     * server then skips the rest), so the caller asks one by one and each failing query gives its own SQLState.
     */
    private static String inOneString(Connection raw, List<String> queries) {
        StringBuilder out = new StringBuilder();
        try (Statement s = raw.createStatement()) {
            boolean isResultSet = s.execute(String.join(";\n", queries));
            for (String query : queries) {
                if (!isResultSet) {
                    return null;
                }
                out.append("## ").append(query).append('\n');
                try (ResultSet rs = s.getResultSet()) {
                    rows(rs, out);
                }
                isResultSet = s.getMoreResults();
            }
            return isResultSet || s.getUpdateCount() != -1 ? null : out.toString();
        } catch (SQLException e) {
            return null;
        }
    }

    /** The rows of {@code rs}, each its columns' text joined by {@code |}, sorted. */
    private static void rows(ResultSet rs, StringBuilder out) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                row.append(rs.getString(i)).append('|');
            }
            rows.add(row.toString());
        }
        rows.sort(null);
        rows.forEach(r -> out.append(r).append('\n'));
    }
}
