package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.Policy;
import io.governed.policy.model.Mask;
import io.governed.policy.model.RowFilter;
import io.governed.policy.pattern.ColumnPattern;
import io.governed.policy.pattern.TablePattern;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.ResultColumn;
import io.governed.sql.SourceColumn;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps protected data in until masks and row filters are enforced on results and statements.
 *
 * <p>Masking and row filtering are not enforced yet. Rather than let protected data out in clear,
 * this step denies what they would have had to change:
 * <ul>
 *   <li>a statement with a result column that derives from a column a mask covers (through its
 *       classification tags or its own column patterns), when the mask applies to the caller;</li>
 *   <li>a result column of {@code *} or of unknown lineage over a table where some column that such a
 *       mask covers could be;</li>
 *   <li>a statement that reads, updates or deletes a table with a row filter that applies to the caller.</li>
 * </ul>
 * It is one step of the engine on its own so that it can be replaced when masking and row filters land.
 * Automatic detection of sensitive columns ({@code auto-detect}) is not considered here: it needs the
 * values that flow, which the engine does not see.
 */
final class UnenforcedProtections {

    /** A mask with every column pattern it covers, its tags' included. */
    private record MaskCoverage(Mask mask, List<ColumnPattern> patterns) {
    }

    private final List<MaskCoverage> masks;
    private final List<RowFilter> rowFilters;

    UnenforcedProtections(Policy policy) {
        List<MaskCoverage> coverages = new ArrayList<>();
        for (Mask mask : policy.masks()) {
            Set<ColumnPattern> patterns = new LinkedHashSet<>(mask.columns());
            mask.tags().forEach(tag -> patterns.addAll(policy.classification().patternsOf(tag)));
            coverages.add(new MaskCoverage(mask, List.copyOf(patterns)));
        }
        this.masks = List.copyOf(coverages);
        this.rowFilters = policy.rowFilters();
    }

    /** A denial when the analysis would need masking or row filtering for this caller; {@code null} otherwise. */
    Decision check(Identity identity, SqlAnalysis analysis, String defaultSchema) {
        Dialect dialect = analysis.dialect();
        for (StatementAnalysis statement : analysis.statements()) {
            Decision denial = rowFilterDenial(identity, statement, defaultSchema, dialect);
            if (denial == null) {
                denial = maskDenial(identity, statement, defaultSchema, dialect);
            }
            if (denial != null) {
                return denial;
            }
        }
        return null;
    }

    private Decision maskDenial(Identity identity, StatementAnalysis statement, String defaultSchema, Dialect dialect) {
        for (ResultColumn column : statement.resultColumns()) {
            if (column.aggregateOnly()) {
                continue;
            }
            for (MaskCoverage coverage : masks) {
                if (!coverage.mask().appliesTo(identity)) {
                    continue;
                }
                String exposure = exposure(coverage, column, statement, defaultSchema, dialect);
                if (exposure != null) {
                    String id = coverage.mask().id();
                    return Decision.deny(List.of(id), "Result column '" + column.label() + "' " + exposure
                            + " that mask " + id + " protects, and masking is not available yet: leave such columns out"
                            + " of the result, or be exempted from " + id);
                }
            }
        }
        return null;
    }

    /** How the result column could show a protected column, or {@code null} when it cannot. */
    private static String exposure(MaskCoverage coverage, ResultColumn column, StatementAnalysis statement,
                                   String defaultSchema, Dialect dialect) {
        for (SourceColumn source : column.sources()) {
            for (ColumnPattern pattern : coverage.patterns()) {
                if (pattern.matches(source.table(), source.column(), defaultSchema, dialect)) {
                    return "derives from " + source.table().qualifiedName() + "." + source.column() + ", a column";
                }
            }
        }
        for (TableRef table : column.allColumnsOf()) {
            if (couldHoldProtectedColumn(coverage, table, defaultSchema, dialect)) {
                return "expands to every column of " + table.qualifiedName() + ", which may include columns";
            }
        }
        if (column.unknownLineage()) {
            for (TableRef table : statement.tablesRead()) {
                if (couldHoldProtectedColumn(coverage, table, defaultSchema, dialect)) {
                    return "has values the analysis cannot trace, over " + table.qualifiedName() + ", which may hold columns";
                }
            }
        }
        return null;
    }

    private static boolean couldHoldProtectedColumn(MaskCoverage coverage, TableRef table, String defaultSchema, Dialect dialect) {
        for (ColumnPattern pattern : coverage.patterns()) {
            if (pattern.couldMatchColumnOf(table, defaultSchema, dialect)) {
                return true;
            }
        }
        return false;
    }

    private Decision rowFilterDenial(Identity identity, StatementAnalysis statement, String defaultSchema, Dialect dialect) {
        if (rowFilters.isEmpty()) {
            return null;
        }
        List<TableRef> filtered = new ArrayList<>(statement.tablesRead());
        Action action = statement.action();
        if (action == Action.UPDATE || action == Action.DELETE || action == Action.MERGE) {
            filtered.addAll(statement.tablesWritten());
        }
        for (RowFilter filter : rowFilters) {
            if (!filter.appliesTo(identity)) {
                continue;
            }
            for (TableRef table : filtered) {
                for (TablePattern pattern : filter.tables()) {
                    if (pattern.matches(table, defaultSchema, dialect)) {
                        return Decision.deny(List.of(filter.id()), "Table " + table.qualifiedName() + " has row filter "
                                + filter.id() + ", and row filters are not enforced yet: statements that read, update or "
                                + "delete its rows are denied until they are, unless the caller is exempted from " + filter.id());
                    }
                }
            }
        }
        return null;
    }
}
