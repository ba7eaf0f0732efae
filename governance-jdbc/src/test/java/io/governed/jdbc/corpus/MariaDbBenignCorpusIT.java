package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;

import java.sql.SQLException;

/** The benign corpus on the local MariaDB server. */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("databases")
class MariaDbBenignCorpusIT extends BenignCorpusSpec {
    @Override
    void prepareServer() throws SQLException {
        Servers.ensureMariaDbDatabase("governed_corpus_raw");
        Servers.ensureMariaDbDatabase("governed_corpus_gov");
    }

    @Override
    CorpusDatabase database() {
        return new MariaDbCorpusDatabase();
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
        return new String[]{"benign-common.sql", "benign-mariadb.sql"};
    }
}
