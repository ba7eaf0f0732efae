package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

/** {@link GeneratedRowFilterSpec} on PostgreSQL, where the caller's comparisons also go beside the filter. */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresGeneratedRowFilterIT extends GeneratedRowFilterSpec {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    java.util.List<String> nullTests() {
        return java.util.List.of(" IS NULL", " IS NOT NULL", " ISNULL", " NOTNULL");
    }
}
