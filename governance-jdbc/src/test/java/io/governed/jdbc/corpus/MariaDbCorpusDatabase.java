package io.governed.jdbc.corpus;

import io.governed.jdbc.support.TestDatabase;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/** The local MariaDB server. Its schema {@code app} is a database of its own, shared by the corpus databases. */
final class MariaDbCorpusDatabase extends CorpusDatabase {
    static final String ADMIN_URL = "jdbc:mariadb://127.0.0.1:3306/" + TestDatabase.DATABASE;

    @Override
    String rawUrl(String name) {
        return "jdbc:mariadb://127.0.0.1:3306/" + name;
    }

    @Override
    Properties credentials() {
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("password", "");
        return p;
    }

    @Override
    List<String> extraFixtures() {
        return List.of();
    }

    @Override
    void dropFixture(Statement raw) throws SQLException {
        raw.execute("DROP DATABASE IF EXISTS app");
        raw.execute("DROP VIEW IF EXISTS order_totals");
        raw.execute("DROP TABLE IF EXISTS customers, orders, orders_archive, scratch");
        raw.execute("DROP SEQUENCE IF EXISTS order_numbers");
    }

    @Override
    List<String> snapshotQueries() {
        throw new UnsupportedOperationException("the evasion corpus runs on H2 and PostgreSQL");
    }
}
