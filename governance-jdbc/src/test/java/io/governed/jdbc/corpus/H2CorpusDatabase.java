package io.governed.jdbc.corpus;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/** Embedded H2, in memory. */
final class H2CorpusDatabase extends CorpusDatabase {
    @Override
    String rawUrl(String name) {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    @Override
    Properties credentials() {
        return new Properties();
    }

    @Override
    List<String> extraFixtures() {
        return List.of();
    }

    @Override
    void dropFixture(Statement raw) throws SQLException {
        raw.execute("DROP ALL OBJECTS");
    }

    @Override
    List<String> snapshotQueries() {
        return List.of(
                "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA IN ('PUBLIC', 'APP')",
                "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA IN ('PUBLIC', 'APP')",
                "SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA",
                "SELECT INDEX_SCHEMA, INDEX_NAME, TABLE_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA IN ('PUBLIC', 'APP')",
                "SELECT SEQUENCE_NAME, BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES",
                "SELECT GRANTEE, GRANTEDROLE, RIGHTS, TABLE_NAME FROM INFORMATION_SCHEMA.RIGHTS",
                "SELECT * FROM customers", "SELECT * FROM orders", "SELECT * FROM orders_archive", "SELECT * FROM app.config_entries");
    }
}
