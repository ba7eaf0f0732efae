package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbRowFilterFenceCopyIT extends RowFilterFenceCopyCorpus {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
