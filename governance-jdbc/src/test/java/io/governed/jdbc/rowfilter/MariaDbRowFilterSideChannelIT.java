package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

import java.util.List;

/** {@link RowFilterSideChannelCorpus} on MariaDB, which merges derived tables and pushes conditions into them. */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbRowFilterSideChannelIT extends RowFilterSideChannelCorpus {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    List<String> failingWhenEqual() {
        return List.of("IF(note = '{G}', (SELECT id FROM {T}), 1) = 1",
                "CAST(IF(note = '{G}', 'x', '1') AS INT) = 1",
                "1 / IF(note = '{G}', 0, 1) = 1");
    }

    @Override
    String failingWhenPrefix() {
        return "CAST(IF(note LIKE '{G}%', 'x', '1') AS INT) = 1";
    }

    @Override
    List<String> failingOnPoison() {
        return List.of("CAST(IF(note LIKE '5%', 'x', '1') AS INT) = 1",
                "IF(note = '5x', (SELECT id FROM {T}), 1) = 1");
    }

    @Override
    String poison() {
        return "5x";
    }
}
