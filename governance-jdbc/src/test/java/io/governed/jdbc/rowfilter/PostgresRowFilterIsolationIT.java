package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRowFilterIsolationIT extends RowFilterIsolationCorpus {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
