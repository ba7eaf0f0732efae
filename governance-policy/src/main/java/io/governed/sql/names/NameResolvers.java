package io.governed.sql.names;

import io.governed.sql.TableRef;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The resolvers that need no database. */
final class NameResolvers {

    static final NameResolver UNKNOWN = new NameResolver() {
        @Override
        public Resolution resolve(String name) {
            return Resolution.unknown();
        }

        @Override
        public String toString() {
            return "unknown search path";
        }
    };

    private NameResolvers() {
    }

    /** {@link NameResolver#holdsOwnRowsOnly}, judged by {@code names}' kind of the relation and its view lookup. */
    static boolean holdsOwnRowsOnly(NameResolver names, String schema, String name) {
        NameResolver.RelationKind kind = names.relationKind(schema, name);
        return kind == NameResolver.RelationKind.TABLE || kind == NameResolver.RelationKind.SEQUENCE
                || kind == null && !names.viewDefinitionUnknown(schema, name);
    }

    /** Every name is in one schema. */
    record Fixed(String schema) implements NameResolver {
        Fixed {
            Objects.requireNonNull(schema, "schema");
        }

        @Override
        public Resolution resolve(String name) {
            return Resolution.in(schema);
        }

        @Override
        public Resolution resolveNew(String name) {
            return Resolution.in(schema);
        }

        /** Whatever an unqualified name finds is of this schema: an object of the name elsewhere would shadow it. */
        @Override
        public Set<String> schemasNaming(String name) {
            return Set.of(schema);
        }
    }

    /**
     * A resolver's names, where no relation has partitions or inheritance children, nor runs routines when written
     * ({@link NameResolver#withoutInheritance}).
     */
    record WithoutInheritance(NameResolver names) implements ForwardingNameResolver {
        WithoutInheritance {
            Objects.requireNonNull(names, "names");
        }

        @Override
        public List<TableRef> ancestors(String schema, String name) {
            return List.of();
        }

        @Override
        public List<TableRef> descendants(String schema, String name) {
            return List.of();
        }

        @Override
        public List<TableRef> routinesRunOnWrite(String schema, String name) {
            return List.of();
        }

        /** None, whatever the write: not those of the resolver beneath. */
        @Override
        public List<TableRef> routinesRunOnWrite(String schema, String name, io.governed.sql.Action action,
                                                 boolean upsert) {
            return routinesRunOnWrite(schema, name);
        }

        @Override
        public List<TableRef> routinesGivenRows(String schema, String name) {
            return List.of();
        }

        @Override
        public List<CascadedWrite> cascadedWrites(String schema, String name, io.governed.sql.Action action) {
            // a database without foreign keys' actions may still have views and defaults that a DROP … CASCADE drops
            return action == io.governed.sql.Action.DROP ? null : List.of();
        }

        @Override
        public String toString() {
            return names + ", without partitions or inheritance";
        }
    }

    /**
     * A resolver's names, with the columns of some relations declared ({@link NameResolver#withColumns}): keyed by
     * {@code schema.name} or {@code name}, in lower case.
     */
    record DeclaredColumns(NameResolver names, Map<String, Set<String>> declared) implements ForwardingNameResolver {
        DeclaredColumns {
            Objects.requireNonNull(names, "names");
            declared = Map.copyOf(declared);
        }

        /**
         * The columns declared for {@code schema.name}, else for {@code name} alone (a declaration without a schema holds
         * in every schema), else what the resolver beneath knows.
         */
        @Override
        public Set<String> columns(String schema, String name) {
            Set<String> columns = schema == null ? null : declared.get((schema + "." + name).toLowerCase(Locale.ROOT));
            if (columns == null) {
                columns = declared.get(name.toLowerCase(Locale.ROOT));
            }
            return columns != null ? columns : names.columns(schema, name);
        }

        /**
         * A relation whose columns are declared is declared a table holding rows of its own (a view cannot be declared),
         * else what the resolver beneath knows.
         */
        @Override
        public RelationKind relationKind(String schema, String name) {
            boolean declaredHere = schema != null && declared.containsKey((schema + "." + name).toLowerCase(Locale.ROOT))
                    || declared.containsKey(name.toLowerCase(Locale.ROOT));
            return declaredHere ? RelationKind.TABLE : names.relationKind(schema, name);
        }

        /** Judged by the kind this resolver gives: a relation whose columns are declared holds rows of its own alone. */
        @Override
        public boolean holdsOwnRowsOnly(String schema, String name) {
            return NameResolvers.holdsOwnRowsOnly(this, schema, name);
        }

        @Override
        public String toString() {
            return names + ", with the columns of " + declared.keySet().stream().sorted().toList();
        }
    }
}
