package io.governed.jdbc.it;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.jooq.SQLDialect;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;

/** {@link SchemaToolsUnderMaskFixture} on PostgreSQL: each tool in a schema of its own, the connection's current schema. */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresSchemaToolsUnderMaskIT extends SchemaToolsUnderMaskFixture {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    DataSource rawDataSource(String schema) {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(TestDatabase.POSTGRESQL.rawUrl());
        pg.setUser(TestDatabase.POSTGRESQL.user());
        pg.setPassword(TestDatabase.POSTGRESQL.password());
        pg.setCurrentSchema(schema);
        return pg;
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
        return SQLDialect.POSTGRES;
    }

    @Override
    String sequencesQuery() {
        return "SELECT sequence_name, data_type, start_value, minimum_value, maximum_value, increment, cycle_option"
                + " FROM information_schema.sequences WHERE sequence_schema = ? ORDER BY sequence_name";
    }

    @Override
    String[] catalogAndSchema(String schema) {
        return new String[] {null, schema};
    }
}
