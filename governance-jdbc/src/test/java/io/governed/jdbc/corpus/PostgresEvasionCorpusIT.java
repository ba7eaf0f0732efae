package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;

import java.sql.SQLException;

/** The evasion corpus on the local PostgreSQL server, in a database of its own. */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@ServerWide("server catalogs")
class PostgresEvasionCorpusIT extends EvasionCorpusSpec {
    @Override
    void prepareServer() throws SQLException {
        Servers.ensurePostgresDatabase("governed_corpus");
    }

    @Override
    CorpusDatabase database() {
        return new PostgresCorpusDatabase();
    }

    @Override
    String databaseName() {
        return "governed_corpus";
    }

    @Override
    String[] corpusFiles() {
        return new String[]{"evasion-common.sql", "evasion-postgresql.sql"};
    }
}
