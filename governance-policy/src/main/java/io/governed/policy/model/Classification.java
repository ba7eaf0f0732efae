package io.governed.policy.model;

import io.governed.policy.pattern.ColumnPattern;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which columns hold what sort of data: tags (like {@code pii.email}) given to column patterns,
 * which masks then refer to.
 *
 * @param autoDetect whether columns no pattern tags may be tagged by their names and values at run time
 * @param tags       for each tag, the column patterns it is given to, in the order written
 */
public record Classification(boolean autoDetect, Map<String, List<ColumnPattern>> tags) {

    /** No tags, no detection. */
    public static final Classification NONE = new Classification(false, Map.of());

    public Classification {
        Map<String, List<ColumnPattern>> copy = new LinkedHashMap<>();
        tags.forEach((tag, patterns) -> copy.put(tag, List.copyOf(patterns)));
        tags = Collections.unmodifiableMap(copy);
    }

    /** The column patterns of a tag; empty for a tag no pattern is given. */
    public List<ColumnPattern> patternsOf(String tag) {
        return tags.getOrDefault(tag, List.of());
    }
}
