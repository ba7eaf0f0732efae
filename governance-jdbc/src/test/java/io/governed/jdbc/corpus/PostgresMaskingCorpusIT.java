package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

import java.sql.SQLException;
import java.util.List;

/** The masking corpus on the local PostgreSQL server. */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresMaskingCorpusIT extends MaskingCorpusSpec {
    @Override
    void prepareServer() throws SQLException {
        Servers.ensurePostgresDatabase("governed_masking");
    }

    @Override
    CorpusDatabase database() {
        return new PostgresCorpusDatabase();
    }

    @Override
    String databaseName() {
        return "governed_masking";
    }

    @Override
    List<String> dialectLeakFiles() {
        return List.of("masking-leaks-postgresql.sql");
    }

    @Override
    List<String> dialectClearFiles() {
        return List.of("masking-clear-postgresql.sql");
    }
}
