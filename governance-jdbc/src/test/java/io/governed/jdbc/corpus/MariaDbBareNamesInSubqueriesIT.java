package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;

import java.sql.SQLException;

/** {@link BareNamesInSubqueriesSpec} on MariaDB, in its own database. */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("databases")
class MariaDbBareNamesInSubqueriesIT extends BareNamesInSubqueriesSpec {
    private final MariaDbCorpusDatabase mariadb = new MariaDbCorpusDatabase();

    @Override
    CorpusDatabase database() {
        return mariadb;
    }

    @Override
    void ensureDatabase() throws SQLException {
        Servers.ensureMariaDbDatabase(DATABASE);
    }
}
