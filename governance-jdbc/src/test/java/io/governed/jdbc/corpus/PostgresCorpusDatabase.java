package io.governed.jdbc.corpus;

import io.governed.jdbc.support.TestDatabase;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/** The local PostgreSQL server; the corpus uses its own database so other tests are not disturbed. */
class PostgresCorpusDatabase extends CorpusDatabase {
    static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/" + TestDatabase.DATABASE;

    @Override
    String rawUrl(String name) {
        return "jdbc:postgresql://127.0.0.1:5432/" + name;
    }

    @Override
    Properties credentials() {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return p;
    }

    @Override
    boolean runsQueriesInOneString() {
        return true;
    }

    @Override
    List<String> extraFixtures() {
        return List.of("fixture-postgresql.sql");
    }

    @Override
    void dropFixture(Statement raw) throws SQLException {
        raw.execute("DROP SCHEMA IF EXISTS app CASCADE");
        raw.execute("DROP TABLE IF EXISTS customers, orders, orders_archive, events, scratch CASCADE");
        raw.execute("DROP SEQUENCE IF EXISTS order_numbers");
        raw.execute("DROP FUNCTION IF EXISTS wipe_orders()");
    }

    @Override
    List<String> snapshotQueries() {
        return List.of(
                "SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema IN ('public', 'app')",
                "SELECT table_schema, table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema IN ('public', 'app')",
                "SELECT table_name, constraint_name, constraint_type FROM information_schema.table_constraints WHERE table_schema IN ('public', 'app')",
                "SELECT schemaname, indexname, tablename FROM pg_indexes WHERE schemaname IN ('public', 'app')",
                "SELECT schema_name FROM information_schema.schemata",
                "SELECT datname FROM pg_database",
                "SELECT sequence_name FROM information_schema.sequences",
                "SELECT last_value, is_called FROM order_numbers",
                "SELECT grantee, table_name, privilege_type FROM information_schema.role_table_grants WHERE table_schema IN ('public', 'app')",
                "SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace",
                "SELECT * FROM customers", "SELECT * FROM orders", "SELECT * FROM orders_archive", "SELECT * FROM app.config_entries",
                "SELECT * FROM events");
    }
}
