package io.governed.policy.load;

import io.governed.policy.model.PrincipalCriteria;
import io.governed.policy.model.RowFilter;
import io.governed.policy.pattern.TablePattern;
import io.governed.sql.RowCondition;

import java.util.List;

/** Reads one entry of {@code row-filters}. */
final class RowFilterReader {

    static final List<String> KEYS = List.of("id", "tables", "filter", "unless", "check", "enforcement");

    private RowFilterReader() {
    }

    /** The row filter, or {@code null} when it has problems (all reported). */
    static RowFilter read(Node node, String context, Problems problems) {
        Fields fields = Fields.of(node, context, KEYS, problems);
        if (fields == null) {
            return null;
        }
        String id = fields.requiredText("id", "give the row filter an id, like 'id: tenant-isolation'");
        fields.required("tables", "list the tables it restricts, like 'tables: [public.orders]'");
        List<TablePattern> tables = fields.has("tables") ? Terms.tablePatterns(fields, "tables", problems) : null;
        String filter = fields.requiredText("filter", "give the SQL condition it adds, like 'filter: \"tenant_id = :identity.tenant\"'");
        boolean readable = true;
        if (filter != null && filter.isBlank()) {
            problems.add(fields.valuePosition("filter"), "'filter' in " + context + " is blank: give the SQL condition it adds");
        } else if (filter != null) {
            try {
                RowCondition.parse(filter);
            } catch (RowCondition.InvalidConditionException e) {
                problems.add(fields.valuePosition("filter"), "'filter' in " + context + ": " + e.getMessage());
                readable = false;
            }
        }
        PrincipalCriteria unless = fields.has("unless")
                ? PrincipalReader.read(fields.get("unless"), "'unless' of " + context, false, problems)
                : null;
        Boolean check = check(fields, context, problems);
        if (id == null || tables == null || filter == null || filter.isBlank() || !readable || fields.has("unless") && unless == null
                || check == null) {
            return null;
        }
        return new RowFilter(id, tables, filter, unless, check);
    }

    /** {@code check}: true when absent; {@code null} and a problem when it is not a boolean. */
    private static Boolean check(Fields fields, String context, Problems problems) {
        Node value = fields.get("check");
        if (value == null) {
            return Boolean.TRUE;
        }
        if (value instanceof Node.Scalar scalar && scalar.type() == Node.ScalarType.BOOLEAN) {
            return Boolean.valueOf(scalar.text().trim().toLowerCase(java.util.Locale.ROOT).equals("true"));
        }
        problems.add(value.position(), "'check' in " + context + " must be true (an INSERT's new rows are checked "
                + "against the filter) or false (an INSERT into its tables is refused), but is " + value.describe());
        return null;
    }
}
