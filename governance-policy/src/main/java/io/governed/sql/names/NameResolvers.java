package io.governed.sql.names;

import java.util.Objects;

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
    }
}
