package io.governed.jdbc.unwrap;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

/** The unwrap surface of pgjdbc (PGConnection, BaseConnection, PGStatement, PgArray, …). */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresUnwrapIT extends UnwrapSpec {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    protected String callSql() {
        return "{? = call abs(?)}";
    }

    @Override
    protected String arrayQuery() {
        return "SELECT ARRAY[1, 2]";
    }
}
