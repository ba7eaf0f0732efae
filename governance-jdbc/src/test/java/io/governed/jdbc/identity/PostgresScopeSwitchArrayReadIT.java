package io.governed.jdbc.identity;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;

import java.sql.SQLException;
import java.sql.Statement;

/** {@link ScopeSwitchArrayReadSpec} on PostgreSQL, whose driver's arrays hold their elements as read. */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresScopeSwitchArrayReadIT extends ScopeSwitchArrayReadSpec {
    private static final String SCHEMA = UniqueNames.of("api_array_switch");

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    String table() {
        return SCHEMA + ".people";
    }

    @Override
    void create(Statement raw) throws SQLException {
        raw.execute("CREATE SCHEMA " + SCHEMA);
        raw.execute("CREATE TABLE " + table() + " (id int PRIMARY KEY, ssn_list text[])");
        raw.execute("INSERT INTO " + table() + " VALUES (1, ARRAY['" + SSN + "', '" + SSN + "'])");
    }

    @Override
    void drop(Statement raw) throws SQLException {
        raw.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    @Override
    String resources() {
        return "*";
    }
}
