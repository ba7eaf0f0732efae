package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRowFilterFenceCopyIT extends RowFilterFenceCopyCorpus {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
