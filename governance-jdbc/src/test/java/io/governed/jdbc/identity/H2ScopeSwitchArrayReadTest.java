package io.governed.jdbc.identity;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;

import java.sql.SQLException;
import java.sql.Statement;

/** {@link ScopeSwitchArrayReadSpec} on H2. */
class H2ScopeSwitchArrayReadTest extends ScopeSwitchArrayReadSpec {
    private static final String TABLE = UniqueNames.of("api_array_switch");

    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }

    @Override
    String table() {
        return TABLE;
    }

    @Override
    void create(Statement raw) throws SQLException {
        raw.execute("CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, ssn_list VARCHAR(20) ARRAY)");
        raw.execute("INSERT INTO " + TABLE + " VALUES (1, ARRAY['" + SSN + "', '" + SSN + "'])");
    }

    @Override
    void drop(Statement raw) throws SQLException {
        raw.execute("DROP TABLE IF EXISTS " + TABLE);
    }

    @Override
    String resources() {
        return "public.*";
    }
}
