package io.governed.jdbc.corpus;

import java.sql.SQLException;

/** The benign corpus on the local PostgreSQL server. */
class PostgresBenignCorpusIT extends BenignCorpusSpec {
    @Override
    void prepareServer() throws SQLException {
        Servers.requirePostgres();
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
