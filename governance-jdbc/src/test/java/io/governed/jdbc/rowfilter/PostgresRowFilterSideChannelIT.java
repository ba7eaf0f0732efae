package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

import java.util.List;

/** {@link RowFilterSideChannelCorpus} on PostgreSQL, which pulls subqueries up and orders conditions by cost. */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRowFilterSideChannelIT extends RowFilterSideChannelCorpus {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    List<String> failingWhenEqual() {
        return List.of("'x' ~ CASE WHEN note = '{G}' THEN '(' ELSE 'x' END",
                "1 / (CASE WHEN note = '{G}' THEN 0 ELSE 1 END) = 1",
                "(CASE WHEN note = '{G}' THEN note ELSE '1' END)::int = 1");
    }

    @Override
    String failingWhenPrefix() {
        return "'x' ~ CASE WHEN note LIKE '{G}%' THEN '(' ELSE 'x' END";
    }

    @Override
    List<String> failingOnPoison() {
        return List.of("'x' ~ note", "note ~ note");
    }

    @Override
    String poison() {
        return "(";
    }
}
