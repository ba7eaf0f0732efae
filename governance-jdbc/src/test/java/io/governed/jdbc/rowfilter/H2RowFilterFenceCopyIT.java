package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

@RequiresDatabase(TestDatabase.H2)
class H2RowFilterFenceCopyIT extends RowFilterFenceCopyCorpus {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
