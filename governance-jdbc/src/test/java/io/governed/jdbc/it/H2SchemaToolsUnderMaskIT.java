package io.governed.jdbc.it;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.h2.jdbcx.JdbcDataSource;
import org.jooq.SQLDialect;

import javax.sql.DataSource;
import java.util.Locale;

/** {@link SchemaToolsUnderMaskFixture} on embedded H2: each tool in a schema of its own, the connection's schema. */
@RequiresDatabase(TestDatabase.H2)
class H2SchemaToolsUnderMaskIT extends SchemaToolsUnderMaskFixture {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }

    @Override
    DataSource rawDataSource(String schema) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(TestDatabase.H2.rawUrl() + ";SCHEMA=" + stored(schema));
        h2.setUser(TestDatabase.H2.user());
        h2.setPassword(TestDatabase.H2.password());
        return h2;
    }

    @Override
    String stored(String name) {
        return name.toUpperCase(Locale.ROOT);
    }

    @Override
    String createSchema(String schema) {
        return "CREATE SCHEMA " + schema;
    }

    @Override
    String dropSchema(String schema) {
        return "DROP SCHEMA IF EXISTS " + schema + " CASCADE";
    }

    @Override
    SQLDialect jooqDialect() {
        return SQLDialect.H2;
    }

    @Override
    String sequencesQuery() {
        return "SELECT SEQUENCE_NAME, DATA_TYPE, START_VALUE, MINIMUM_VALUE, MAXIMUM_VALUE, INCREMENT, CYCLE_OPTION"
                + " FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_SCHEMA = ? ORDER BY SEQUENCE_NAME";
    }

    @Override
    String[] catalogAndSchema(String schema) {
        return new String[] {null, stored(schema)};
    }
}
