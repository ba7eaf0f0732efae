package io.governed.jdbc.cli;

import io.governed.classification.Classification;
import io.governed.identity.Identity;
import io.governed.policy.engine.StatementExplainer;
import io.governed.policy.masking.MaskPlan;
import io.governed.policy.masking.MaskPlanner;
import io.governed.policy.masking.PlannedColumn;
import io.governed.sql.SourceColumn;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;

import java.io.PrintWriter;
import java.util.List;

/** Prints, per result column, whether and by which mask the identity would see it masked, and why columns carry their tags. */
final class MaskPlanPrinter {
    private MaskPlanPrinter() {
    }

    static void print(MaskPlanner planner, StatementExplainer.Explanation explained, PrintWriter out) {
        SqlAnalysis analysis = explained.analysis();
        if (!analysis.parsed()) {
            return;
        }
        Identity identity = explained.identity();
        String defaultSchema = explained.defaultSchema();
        boolean header = false;
        for (int s = 0; s < analysis.statements().size(); s++) {
            StatementAnalysis statement = analysis.statements().get(s);
            if (statement.resultColumns().isEmpty()) {
                continue;
            }
            if (!header) {
                out.println("Masking:     " + (planner.masksAnythingFor(identity)
                        ? "for " + identity.describe() : "no mask applies to " + identity.describe() + "; every column is clear"));
                header = true;
            }
            MaskPlan plan = explained.masks().get(s);
            for (int i = 0; i < statement.resultColumns().size(); i++) {
                PlannedColumn column = plan.columns().isEmpty() ? null : plan.columns().get(i);
                String label = statement.resultColumns().get(i).label();
                out.println("  " + label + ": " + describe(column));
                for (SourceColumn source : statement.resultColumns().get(i).sources()) {
                    List<Classification> tags = planner.explain(MaskPlanner.qualified(source.table(), source.column(), defaultSchema),
                            analysis.dialect());
                    for (Classification tag : tags) {
                        out.println("     " + source.table().qualifiedName() + "." + source.column() + " is " + tag.tag()
                                + ": " + tag.reason());
                    }
                }
            }
        }
    }

    private static String describe(PlannedColumn column) {
        if (column == null) {
            return "clear";
        }
        return switch (column.resolution()) {
            case EXPANDS -> "each column decided when the results come, from the base column the driver names"
                    + (column.mask() == null ? "" : "; one it names none for is masked by " + column.mask().describe());
            case UNTRACED -> "masked by " + column.mask().describe() + " unless the driver names a base column that is not"
                    + " sensitive: " + column.mask().reason();
            case TRACED -> column.mask() == null
                    ? "clear" + (column.sampledAs() == null ? "" : " (its values are checked while auto-detection samples "
                    + column.sampledAs() + ")")
                    : "masked by " + column.mask().describe() + ": " + column.mask().reason();
        };
    }
}
