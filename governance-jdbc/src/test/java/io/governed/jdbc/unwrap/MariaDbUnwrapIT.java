package io.governed.jdbc.unwrap;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

/** The unwrap surface of MariaDB Connector/J (its Connection, statements and results classes). */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbUnwrapIT extends UnwrapSpec {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    protected String callSql() {
        return "{? = call abs(?)}";
    }

    @Override
    protected String arrayQuery() {
        return null;
    }
}
