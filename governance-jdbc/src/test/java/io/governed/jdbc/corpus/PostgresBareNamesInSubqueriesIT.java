package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

import java.sql.SQLException;

/** {@link BareNamesInSubqueriesSpec} on PostgreSQL, in its own database. */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresBareNamesInSubqueriesIT extends BareNamesInSubqueriesSpec {
    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();

    @Override
    CorpusDatabase database() {
        return postgres;
    }

    @Override
    void ensureDatabase() throws SQLException {
        Servers.ensurePostgresDatabase(DATABASE);
    }
}
