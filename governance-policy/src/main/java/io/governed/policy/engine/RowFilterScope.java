package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Policy;
import io.governed.policy.model.RowFilter;
import io.governed.policy.pattern.TablePattern;
import io.governed.sql.Dialect;
import io.governed.sql.RowFilterRewriter;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.Trait;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which row filters apply to a caller, and to which of a statement's tables. The filters themselves are
 * enforced by rewriting the statement ({@link RowFilterRewriter}) before it runs; a statement that cannot
 * be rewritten for certain is denied there.
 */
final class RowFilterScope {

    private final List<RowFilter> rowFilters;
    private final List<RowFilterRewriter.Filter> compiled;

    RowFilterScope(Policy policy) {
        this.rowFilters = policy.rowFilters();
        List<RowFilterRewriter.Filter> filters = new ArrayList<>();
        for (RowFilter filter : rowFilters) {
            filters.add(new RowFilterRewriter.Filter(filter.id(), table -> matches(filter, table, null),
                    filter.condition(), names(filter), filter.check()));
        }
        this.compiled = List.copyOf(filters);
    }

    /** The lower-case names of the tables the filter's patterns name, or {@code null} when a pattern has a wildcard. */
    private static List<String> names(RowFilter filter) {
        List<String> names = new ArrayList<>();
        for (TablePattern pattern : filter.tables()) {
            String text = pattern.toString();
            String last = text.substring(text.lastIndexOf('.') + 1).replace("\"", "").replace("`", "");
            if (last.contains("*") || last.isEmpty() || text.chars().filter(c -> c == '"').count() > 4) {
                return null;
            }
            names.add(last.toLowerCase(java.util.Locale.ROOT));
        }
        return names;
    }

    private static boolean matches(RowFilter filter, TableRef table, Dialect dialect) {
        for (TablePattern pattern : filter.tables()) {
            if (matches(pattern, table, null, dialect == null ? Dialect.GENERIC : dialect)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a filter's pattern names the table, failing closed: on MariaDB and H2, whose settings ({@code
     * lower_case_table_names}; {@code DATABASE_TO_LOWER}, {@code CASE_INSENSITIVE_IDENTIFIERS}) can make a name in
     * another case, quoted or not, the same table, such a name is filtered too.
     */
    private static boolean matches(TablePattern pattern, TableRef table, String defaultSchema, Dialect dialect) {
        return pattern.matches(table, defaultSchema, dialect)
                || (dialect == Dialect.MARIADB || dialect.isH2()) && pattern.matchesIgnoringCase(table, defaultSchema, dialect);
    }

    /**
     * The first filter, whoever it restricts, over a relation that a statement keeping a value past itself ({@link
     * Trait#KEEPS_VALUE}: a user variable, a setting, {@code LAST_INSERT_ID(x)}, an advisory lock's key, a notification's
     * payload) reads or writes, directly, through a view or as a partition's parent or child; the first filter of all
     * when such a relation cannot be told. The kept value may carry rows the filter hides from the next statement's caller,
     * on a pooled connection its next borrower. {@code null} when there is none.
     */
    RowFilter keptFrom(List<Access> accesses, Dialect dialect) {
        if (rowFilters.isEmpty()) {
            return null;
        }
        for (Access access : accesses) {
            if (!access.statement().has(Trait.KEEPS_VALUE)) {
                continue;
            }
            if (access.unknownRelative()) {
                return rowFilters.get(0);
            }
            if (access.table() == null) {
                continue;
            }
            for (RowFilter filter : rowFilters) {
                for (TablePattern pattern : filter.tables()) {
                    if (matches(pattern, access.table(), null, dialect)) {
                        return filter;
                    }
                }
            }
        }
        return null;
    }

    /**
     * The first filter restricting {@code identity}'s rows of {@code table} ({@code null}: a table that cannot be told,
     * which every filter restricting {@code identity} may name); {@code null} when there is none.
     */
    RowFilter restricting(Identity identity, TableRef table, Dialect dialect) {
        for (RowFilter filter : rowFilters) {
            if (!filter.appliesTo(identity)) {
                continue;
            }
            if (table == null) {
                return filter;
            }
            for (TablePattern pattern : filter.tables()) {
                if (matches(pattern, table, null, dialect)) {
                    return filter;
                }
            }
        }
        return null;
    }

    /**
     * The first filter restricting {@code identity} over a table the body of a routine the statement calls or the
     * database runs for it reads or writes ({@link Access#routineBody()}; any filter, for a body that cannot be read and
     * may do anything, or is declared to reach any table): the filter rewrites the statement, not the routine's body, so the body
     * would see every row. {@code null} when there is none; the access it is over goes to {@code over[0]}.
     */
    RowFilter inRoutineBody(Identity identity, List<Access> accesses, Dialect dialect, Access[] over) {
        if (rowFilters.isEmpty()) {
            return null;
        }
        for (Access access : accesses) {
            if (!access.routineBody() && !access.opaqueBody()) {
                continue;
            }
            for (RowFilter filter : rowFilters) {
                // a body that may do anything, or is declared to reach any table, may read the filter's table
                if (filter.appliesTo(identity) && (access.table() == null || matches(filter, access.table(), dialect))) {
                    over[0] = access;
                    return filter;
                }
            }
        }
        return null;
    }

    /** Whether a row filter restricts {@code identity}'s rows (its {@code unless} not met). */
    boolean restricts(Identity identity) {
        for (int i = 0, n = rowFilters.size(); i < n; i++) { // asked per error and warning: no iterator
            if (rowFilters.get(i).appliesTo(identity)) {
                return true;
            }
        }
        return false;
    }

    List<RowFilterRewriter.Filter> filtersFor(Identity identity, Dialect dialect) {
        List<RowFilterRewriter.Filter> applying = new ArrayList<>();
        for (int i = 0; i < rowFilters.size(); i++) {
            RowFilter filter = rowFilters.get(i);
            if (filter.appliesTo(identity)) {
                applying.add(dialect == null ? compiled.get(i) : new RowFilterRewriter.Filter(filter.id(),
                        table -> matches(filter, table, dialect), compiled.get(i).condition(), compiled.get(i).names(),
                        filter.check()));
            }
        }
        return applying;
    }

    /** The ids of the filters that restrict the rows this statement reads, updates or deletes for {@code identity}. */
    List<String> applying(Identity identity, SqlAnalysis analysis, String defaultSchema) {
        if (rowFilters.isEmpty()) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        Dialect dialect = analysis.dialect();
        for (StatementAnalysis statement : analysis.statements()) {
            List<TableRef> tables = new ArrayList<>(statement.tablesRead());
            tables.addAll(statement.tablesWritten());
            for (RowFilter filter : rowFilters) {
                if (!filter.appliesTo(identity)) {
                    continue;
                }
                for (TableRef table : tables) {
                    for (TablePattern pattern : filter.tables()) {
                        if (matches(pattern, table, defaultSchema, dialect)) {
                            ids.add(filter.id());
                        }
                    }
                }
            }
        }
        return List.copyOf(ids);
    }
}
