package io.governed.jdbc.masking;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * {@link MaskedResultSetWasNullSpec} on PostgreSQL, through pgjdbc's getters (its arrays, its refusals of
 * {@code getURL} and {@code getRowId}), the table in a schema of its own.
 */
class PostgresMaskedResultSetWasNullIT extends MaskedResultSetWasNullSpec {
    private static final String SCHEMA = UniqueNames.of("was_null");
    private static PGSimpleDataSource pg;

    @BeforeContainer
    static void create() throws SQLException {
        TestDatabase.POSTGRESQL.requireReachable();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
            s.execute("SET search_path TO " + SCHEMA);
            fill(s, "VARCHAR(10)[]");
        }
        pg = new PGSimpleDataSource();
        pg.setURL(TestDatabase.POSTGRESQL.rawUrl());
        pg.setUser(TestDatabase.POSTGRESQL.user());
        pg.setCurrentSchema(SCHEMA);
    }

    @AfterContainer
    static void close() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Override
    DataSource database() {
        return pg;
    }
}
