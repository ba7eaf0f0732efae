package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.Policy;
import io.governed.policy.model.RowFilter;
import io.governed.policy.pattern.TablePattern;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps filtered rows in until row filters are enforced on statements.
 *
 * <p>Row filtering is not enforced yet. Rather than let rows out that a filter would hold back, this
 * step denies a statement that reads, updates or deletes a table with a row filter that applies to
 * the caller. It is one step of the engine on its own so that it can be replaced when row filters land.
 * (Masks are enforced: see {@link MaskedDataFlow} and {@link io.governed.policy.masking.MaskPlanner}.)
 */
final class UnenforcedProtections {

    private final List<RowFilter> rowFilters;

    UnenforcedProtections(Policy policy) {
        this.rowFilters = policy.rowFilters();
    }

    /** A denial when the analysis would need row filtering for this caller; {@code null} otherwise. */
    Decision check(Identity identity, SqlAnalysis analysis, String defaultSchema) {
        Dialect dialect = analysis.dialect();
        for (StatementAnalysis statement : analysis.statements()) {
            Decision denial = rowFilterDenial(identity, statement, defaultSchema, dialect);
            if (denial != null) {
                return denial;
            }
        }
        return null;
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
