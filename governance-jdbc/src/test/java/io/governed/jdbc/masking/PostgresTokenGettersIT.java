package io.governed.jdbc.masking;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import javax.sql.DataSource;

/** The token mask through every getter, on PostgreSQL: pgjdbc's own types and conversions. */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresTokenGettersIT extends TokenGettersContract {
    @Override
    DataSource database() {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(TestDatabase.POSTGRESQL.rawUrl());
        pg.setUser(TestDatabase.POSTGRESQL.user());
        pg.setPassword(TestDatabase.POSTGRESQL.password());
        return pg;
    }

    @Override
    void dropDatabase(Connection raw) {
        // the shared database stays; the test's table is dropped
    }
}
