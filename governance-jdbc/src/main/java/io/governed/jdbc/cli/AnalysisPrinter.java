package io.governed.jdbc.cli;

import io.governed.sql.ColumnRef;
import io.governed.sql.ResultColumn;
import io.governed.sql.SourceColumn;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.WhereKind;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints an analysis for people: one block per statement. */
final class AnalysisPrinter {
    private AnalysisPrinter() {
    }

    static void print(SqlAnalysis analysis, PrintWriter out) {
        if (!analysis.parsed()) {
            out.println("Analysis:    not readable: " + analysis.parseError());
            return;
        }
        out.println("Analysis:    " + analysis.statements().size() + " statement(s)");
        int n = 1;
        for (StatementAnalysis s : analysis.statements()) {
            out.printf("  %d. %s%n", n++, s.action().externalName()
                    + (s.traits().isEmpty() ? "" : "  [" + s.traits().stream().map(t -> t.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .sorted().collect(Collectors.joining(", ")) + "]"));
            out.println("     reads:   " + tables(s.tablesRead()));
            out.println("     writes:  " + tables(s.tablesWritten()));
            if (s.where() != WhereKind.NOT_APPLICABLE) {
                out.println("     where:   " + s.where().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + (s.where().unbounded() ? " (touches every row)" : ""));
                for (var names : s.boundIf()) {
                    out.println("     bound if: " + names.stream().map(b -> b.column() + " is a column of "
                            + (b.tables().isEmpty() ? "(no table whose columns can be known)" : b.tableList()))
                            .collect(Collectors.joining(", and ")) + " (unqualified inside a subquery; else it is the"
                            + " written table's)");
                }
                if (s.boundThrough() != null) {
                    out.println("     bound through: " + s.boundThrough());
                }
            }
            if (!s.columns().isEmpty()) {
                out.println("     columns: " + s.columns().stream().map(AnalysisPrinter::column).distinct().collect(Collectors.joining(", ")));
            }
            for (ResultColumn r : s.resultColumns()) {
                out.println("     result " + r.position() + " " + r.label() + " <- " + lineage(r));
            }
        }
    }

    private static String tables(Collection<TableRef> tables) {
        return tables.isEmpty() ? "-" : tables.stream().map(TableRef::qualifiedName).sorted().collect(Collectors.joining(", "));
    }

    private static String column(ColumnRef c) {
        return (c.table() == null ? "?" : c.table().qualifiedName()) + "." + c.column() + " (" + c.clause().name().toLowerCase(Locale.ROOT) + ")";
    }

    private static String lineage(ResultColumn r) {
        if (r.aggregateOnly()) {
            return "a count (reveals no values)";
        }
        StringBuilder b = new StringBuilder();
        if (!r.allColumnsOf().isEmpty()) {
            b.append("every column of ").append(tables(r.allColumnsOf()));
        }
        if (!r.sources().isEmpty()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(r.sources().stream().map(AnalysisPrinter::source).collect(Collectors.joining(", ")));
        }
        if (r.unknownLineage()) {
            b.append(b.length() > 0 ? ", and " : "").append("something the analysis cannot see through");
        }
        return b.length() == 0 ? "constants only" : b.toString();
    }

    private static String source(SourceColumn s) {
        return s.table().qualifiedName() + "." + s.column();
    }
}
