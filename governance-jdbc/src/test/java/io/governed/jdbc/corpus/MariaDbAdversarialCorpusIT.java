package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The adversarial corpus on the local MariaDB server. Its databases are its schemas: the corpus
 * database stands for the schema the reference identities may read, {@code governed_adv_vault} for one they may not.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("MariaDB USE of another database, databases")
class MariaDbAdversarialCorpusIT extends AdversarialCorpusSpec {
    private static final String DATABASE = "governed_adv";

    @Override
    void prepareServer() throws SQLException {
        Servers.ensureMariaDbDatabase(DATABASE);
    }

    @Override
    CorpusDatabase database() {
        return new MariaDbCorpusDatabase();
    }

    @Override
    String dialect() {
        return "mariadb";
    }

    @Override
    String databaseName() {
        return DATABASE;
    }

    @Override
    String policy() {
        return "classpath:policies/masking-policy-mariadb.yaml";
    }

    @Override
    String vaultTable() {
        return "governed_adv_vault.notes";
    }

    @Override
    void dropEverything(Statement raw) throws SQLException {
        raw.execute("DROP DATABASE IF EXISTS governed_adv_vault");
        raw.execute("DROP DATABASE IF EXISTS " + DATABASE);
        raw.execute("CREATE DATABASE " + DATABASE);
        raw.execute("USE " + DATABASE);
    }

    @Override
    List<String> snapshotQueries() {
        String ours = " IN ('" + DATABASE + "', 'governed_adv_vault')";
        return List.of(
                "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA" + ours,
                "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA" + ours,
                "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'governed_adv%'",
                "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE, SECURITY_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA" + ours,
                "SELECT TRIGGER_SCHEMA, TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA" + ours,
                "SELECT EVENT_SCHEMA, EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA" + ours,
                "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA" + ours,
                "SELECT * FROM " + DATABASE + ".customers", "SELECT * FROM " + DATABASE + ".orders",
                "SELECT * FROM " + DATABASE + ".payments", "SELECT * FROM " + DATABASE + ".accounts",
                "SELECT * FROM governed_adv_vault.notes", "SELECT * FROM governed_adv_vault.orders",
                "SELECT next_not_cached_value FROM " + DATABASE + ".customers_id_seq");
    }
}
