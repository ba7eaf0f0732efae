package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

import java.util.List;

/** {@link RowFilterSideChannelCorpus} on H2. */
@RequiresDatabase(TestDatabase.H2)
class H2RowFilterSideChannelIT extends RowFilterSideChannelCorpus {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }

    @Override
    List<String> failingWhenEqual() {
        return List.of("REGEXP_LIKE('x', CASE WHEN note = '{G}' THEN '(' ELSE 'x' END)",
                "1 / (CASE WHEN note = '{G}' THEN 0 ELSE 1 END) = 1",
                "CAST(CASE WHEN note = '{G}' THEN note ELSE '1' END AS INT) = 1");
    }

    @Override
    String failingWhenPrefix() {
        return "REGEXP_LIKE('x', CASE WHEN note LIKE '{G}%' THEN '(' ELSE 'x' END)";
    }

    @Override
    List<String> failingOnPoison() {
        return List.of("REGEXP_LIKE('x', note)", "1 / (LENGTH(note) - 1) <> 0");
    }

    @Override
    String poison() {
        return "(";
    }
}
