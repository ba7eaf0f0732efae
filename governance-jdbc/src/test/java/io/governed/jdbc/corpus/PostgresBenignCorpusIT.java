package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;

import java.sql.SQLException;

/** The benign corpus on the local PostgreSQL server. */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresBenignCorpusIT extends BenignCorpusSpec {
    @Override
    void prepareServer() throws SQLException {
        Servers.ensurePostgresDatabase("governed_corpus_raw");
        Servers.ensurePostgresDatabase("governed_corpus_gov");
    }

    @Override
    CorpusDatabase database() {
        return new PostgresCorpusDatabase();
    }

    @Override
    String rawDatabaseName() {
        return "governed_corpus_raw";
    }

    @Override
    String governedDatabaseName() {
        return "governed_corpus_gov";
    }

    @Override
    String[] corpusFiles() {
        return new String[]{"benign-common.sql", "benign-postgresql.sql"};
    }
}
