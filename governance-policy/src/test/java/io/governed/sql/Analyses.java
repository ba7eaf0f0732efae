package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Shortcuts for the analysis tests. */
final class Analyses {

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

    /**
     * A catalog in which every relation name is a table of schema {@code public} holding rows of its own, with no
     * partitions or parents (columns not told): a write bounded through other relations is bounded once they are shown so.
     */
    static final io.governed.sql.names.NameResolver DISTINCT_TABLES = distinctTables(name -> null);

    /** {@link #DISTINCT_TABLES}, whose relations have the columns {@code columns} gives by name ({@code null}: not told). */
    static io.governed.sql.names.NameResolver distinctTables(java.util.function.Function<String, java.util.Set<String>> columns) {
        return new io.governed.sql.names.NameResolver() {
            @Override
            public io.governed.sql.names.Resolution resolve(String name) {
                return io.governed.sql.names.Resolution.in("public");
            }

            @Override
            public RelationKind relationKind(String schema, String name) {
                return RelationKind.TABLE;
            }

            @Override
            public List<TableRef> ancestors(String schema, String name) {
                return List.of();
            }

            @Override
            public List<TableRef> descendants(String schema, String name) {
                return List.of();
            }

            @Override
            public java.util.Set<String> columns(String schema, String name) {
                return columns.apply(name);
            }
        };
    }

    /** The statements of a text, resolved against {@link #DISTINCT_TABLES}. */
    static List<StatementAnalysis> amongTables(String sql, Dialect dialect) {
        return io.governed.sql.names.AnalysisResolution.resolve(analyze(sql, dialect), DISTINCT_TABLES).statements();
    }

    static TableRef table(String name) {
        return new TableRef(null, name);
    }

    static TableRef table(String schema, String name) {
        return new TableRef(schema, name);
    }
}
