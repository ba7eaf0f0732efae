package io.governed.jdbc.unwrap;

import io.governed.jdbc.support.TestDatabase;

/** The unwrap surface of H2's driver (JdbcConnection, JdbcStatement, JdbcResultSet, …). */
class H2UnwrapTest extends UnwrapSpec {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }

    @Override
    protected String callSql() {
        return "CALL ABS(?)";
    }

    @Override
    protected String arrayQuery() {
        return "SELECT ARRAY[1, 2]";
    }
}
