package io.governed.policy.model;

import io.governed.identity.Identity;
import io.governed.policy.pattern.ColumnPattern;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Masks the values of sensitive columns in results: every result column that derives from a column
 * with one of {@code tags}, or matching one of {@code columns}, is shown through {@code function}.
 *
 * @param id         unique in the policy
 * @param tags       classification tags whose columns are masked
 * @param columns    column patterns masked directly
 * @param function   the mask function's name ({@code redact}, {@code partial}, {@code email}, …)
 * @param parameters the function's parameters as written ({@code keep-last: 4})
 * @param unless     who sees the values in clear, or {@code null} for nobody
 */
public record Mask(String id, Set<String> tags, List<ColumnPattern> columns, String function,
                   Map<String, String> parameters, PrincipalCriteria unless) {

    public Mask {
        Rule.requireId(id);
        tags = Set.copyOf(tags);
        columns = List.copyOf(columns);
        if (tags.isEmpty() && columns.isEmpty()) {
            throw new IllegalArgumentException("mask '" + id + "' selects no column: give tags or column patterns");
        }
        Objects.requireNonNull(function, "function");
        parameters = Map.copyOf(parameters);
    }

    /** Whether the caller sees masked values: it is not exempted by {@code unless}. */
    public boolean appliesTo(Identity identity) {
        return unless == null || !unless.matches(identity);
    }
}
