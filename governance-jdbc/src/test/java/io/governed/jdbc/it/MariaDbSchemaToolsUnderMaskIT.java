package io.governed.jdbc.it;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.jooq.SQLDialect;
import org.mariadb.jdbc.MariaDbDataSource;

import javax.sql.DataSource;
import java.sql.SQLException;

/** {@link SchemaToolsUnderMaskFixture} on MariaDB: each tool in a database of its own, the connection's database. */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("databases")
class MariaDbSchemaToolsUnderMaskIT extends SchemaToolsUnderMaskFixture {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    DataSource rawDataSource(String schema) {
        try {
            MariaDbDataSource mariadb = new MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/" + schema + "?connectTimeout=5000");
            mariadb.setUser(TestDatabase.MARIADB.user());
            mariadb.setPassword(TestDatabase.MARIADB.password());
            return mariadb;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    String createSchema(String schema) {
        return "CREATE DATABASE " + schema;
    }

    @Override
    String dropSchema(String schema) {
        return "DROP DATABASE IF EXISTS " + schema;
    }

    @Override
    SQLDialect jooqDialect() {
        return SQLDialect.MARIADB;
    }

    @Override
    String sequencesQuery() {
        return "SELECT table_name, table_type FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_type = 'SEQUENCE' ORDER BY table_name";
    }

    @Override
    boolean jooqReadsSequences() {
        return false;
    }

    @Override
    String liquibaseTable(String name) {
        return name; // Liquibase names its own tables in upper case, and MariaDB's table names are case-sensitive here
    }

    @Override
    String[] catalogAndSchema(String schema) {
        return new String[] {schema, null};
    }
}
