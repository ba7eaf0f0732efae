package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Shortcuts for the analysis tests. */
final class Analyses {

    static final SqlAnalyzer ANALYZER = new SqlAnalyzer();

    private Analyses() {
    }

    static SqlAnalysis analyze(String sql, Dialect dialect) {
        return new SqlAnalyzer().analyze(sql, dialect);
    }

    /** The statements of a text that must be readable. */
    static List<StatementAnalysis> statements(String sql, Dialect dialect) {
        SqlAnalysis analysis = analyze(sql, dialect);
        assertThat(analysis.parseError()).as("parse error of %s", sql).isNull();
        return analysis.statements();
    }

    /** The first statement of a text that must be readable. */
    static StatementAnalysis first(String sql, Dialect dialect) {
        return statements(sql, dialect).get(0);
    }

    static StatementAnalysis pg(String sql) {
        return first(sql, Dialect.POSTGRESQL);
    }

    static StatementAnalysis maria(String sql) {
        return first(sql, Dialect.MARIADB);
    }

    static TableRef table(String name) {
        return new TableRef(null, name);
    }

    static TableRef table(String schema, String name) {
        return new TableRef(schema, name);
    }
}
