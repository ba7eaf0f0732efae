package io.governed.policy.model;

import io.governed.identity.Identity;
import io.governed.policy.pattern.TablePattern;
import io.governed.sql.RowCondition;

import java.util.List;
import java.util.Objects;

/**
 * Restricts the rows of tables that reads, updates and deletes see: {@code filter} is added to
 * every such statement on a matching table; the rows an INSERT adds must pass it ({@code check}).
 *
 * @param id     unique in the policy
 * @param tables the tables it restricts
 * @param filter the SQL condition added, with {@code :identity.NAME} for the caller's attributes ({@link RowCondition})
 * @param unless who sees every row, or {@code null} for nobody
 * @param check  whether an INSERT into its tables by a caller it restricts runs after a check that every new row
 *               passes the filter ({@code true}); {@code false} refuses such an INSERT
 */
public record RowFilter(String id, List<TablePattern> tables, String filter, PrincipalCriteria unless, boolean check) {

    /** A filter whose INSERTs are checked. */
    public RowFilter(String id, List<TablePattern> tables, String filter, PrincipalCriteria unless) {
        this(id, tables, filter, unless, true);
    }

    public RowFilter {
        Rule.requireId(id);
        tables = List.copyOf(tables);
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("row filter '" + id + "' names no table: give at least one table pattern");
        }
        Objects.requireNonNull(filter, "filter");
        RowCondition.parse(filter); // an InvalidConditionException says what is wrong
    }

    /** The filter's condition, read. */
    public RowCondition condition() {
        return RowCondition.parse(filter);
    }

    /** Whether the caller's rows are filtered: it is not exempted by {@code unless}. */
    public boolean appliesTo(Identity identity) {
        return unless == null || !unless.matches(identity);
    }
}
