package io.governed.policy.load;

import io.governed.policy.model.PrincipalCriteria;
import io.governed.policy.model.RowFilter;
import io.governed.policy.pattern.TablePattern;

import java.util.List;

/** Reads one entry of {@code row-filters}. */
final class RowFilterReader {

    static final List<String> KEYS = List.of("id", "tables", "filter", "unless", "enforcement");

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
        if (filter != null && filter.isBlank()) {
            problems.add(fields.valuePosition("filter"), "'filter' in " + context + " is blank: give the SQL condition it adds");
        }
        PrincipalCriteria unless = fields.has("unless")
                ? PrincipalReader.read(fields.get("unless"), "'unless' of " + context, false, problems)
                : null;
        if (id == null || tables == null || filter == null || filter.isBlank() || fields.has("unless") && unless == null) {
            return null;
        }
        return new RowFilter(id, tables, filter, unless);
    }
}
