package io.governed.sql;

import io.governed.sql.names.NameResolver;
import io.governed.sql.names.Resolution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A database catalog for the tests of bounds resting on other relations: tables, views (with their definitions), other
 * relations, partitions, and a search path along which unqualified names resolve to the first schema holding them.
 */
final class Catalogs {

    private Catalogs() {
    }

    /** A catalog under construction; {@link #build()} gives the resolver. */
    static final class Builder {
        private final List<String> path;
        private final Map<String, NameResolver.RelationKind> kinds = new HashMap<>();
        private final Map<String, String> views = new HashMap<>();
        private final Map<String, Set<String>> columns = new HashMap<>();
        private final Map<String, List<TableRef>> ancestors = new HashMap<>();

        Builder(String... path) {
            this.path = List.of(path);
        }

        Builder table(String qualified, String... itsColumns) {
            kinds.put(qualified, NameResolver.RelationKind.TABLE);
            columns.put(qualified, Set.of(itsColumns));
            return this;
        }

        Builder view(String qualified, String definition, String... itsColumns) {
            kinds.put(qualified, NameResolver.RelationKind.VIEW);
            views.put(qualified, definition);
            columns.put(qualified, Set.of(itsColumns));
            return this;
        }

        Builder other(String qualified, String... itsColumns) {
            kinds.put(qualified, NameResolver.RelationKind.OTHER);
            columns.put(qualified, Set.of(itsColumns));
            return this;
        }

        /** {@code child} is a partition (or inheritance child) of {@code parent}. */
        Builder partition(String child, String parent) {
            ancestors.computeIfAbsent(child, c -> new ArrayList<>()).add(ref(parent));
            return this;
        }

        NameResolver build() {
            Map<String, NameResolver.RelationKind> k = Map.copyOf(kinds);
            Map<String, String> v = Map.copyOf(views);
            Map<String, Set<String>> c = Map.copyOf(columns);
            Map<String, List<TableRef>> up = Map.copyOf(ancestors);
            List<String> searched = path;
            return new NameResolver() {
                @Override
                public Resolution resolve(String name) {
                    for (String schema : searched) {
                        if (k.containsKey(schema + "." + name)) {
                            return Resolution.in(schema);
                        }
                    }
                    return Resolution.unknown();
                }

                @Override
                public RelationKind relationKind(String schema, String name) {
                    return k.get(schema + "." + name);
                }

                @Override
                public String viewDefinition(String schema, String name) {
                    return v.get(schema + "." + name);
                }

                @Override
                public Set<String> columns(String schema, String name) {
                    return c.get(schema + "." + name);
                }

                @Override
                public List<TableRef> ancestors(String schema, String name) {
                    return up.getOrDefault(schema + "." + name, List.of());
                }

                @Override
                public List<TableRef> descendants(String schema, String name) {
                    String qualified = schema + "." + name;
                    List<TableRef> below = new ArrayList<>();
                    up.forEach((child, parents) -> {
                        if (parents.contains(ref(qualified))) {
                            below.add(ref(child));
                        }
                    });
                    return below;
                }
            };
        }
    }

    static TableRef ref(String qualified) {
        int dot = qualified.indexOf('.');
        return new TableRef(qualified.substring(0, dot), qualified.substring(dot + 1));
    }
}
