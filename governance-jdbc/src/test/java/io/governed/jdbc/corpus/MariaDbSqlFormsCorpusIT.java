package io.governed.jdbc.corpus;

import io.governed.jdbc.corpus.AdversarialCorpus.Case;
import io.governed.jdbc.support.ServerWide;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQL forms corpus ({@code adversarial/sqlforms-mariadb.sql}) on the local MariaDB server, in databases of its
 * own ({@code asq_adv}, and {@code asq_adv_vault} for the notes no one may read): JSON functions and JSON_TABLE,
 * dynamic columns, string round trips, executable comments, {@code sql_mode} changes, user variables, HANDLER and
 * column statistics, through the reference identities under the reference masks and a row filter that shows them
 * only the customers of Lyon.
 */
@ServerWide("MariaDB USE of another database, databases, server catalogs")
class MariaDbSqlFormsCorpusIT extends MariaDbAdversarialCorpusIT {
    private static final String DATABASE = "asq_adv";
    private static final String VAULT = "asq_adv_vault";

    @Override
    void prepareServer() throws SQLException {
        Servers.ensureMariaDbDatabase(DATABASE);
    }

    @Override
    String databaseName() {
        return DATABASE;
    }

    @Override
    String policy() {
        return "classpath:policies/sqlforms-policy-mariadb.yaml";
    }

    @Override
    String vaultTable() {
        return VAULT + ".notes";
    }

    @Override
    String fixtureText() {
        return super.fixtureText().replace("governed_adv_vault", VAULT).replace("governed_adv", DATABASE);
    }

    @Override
    List<Case> corpusCases() {
        return AdversarialCorpus.cases(dialect(), List.of("sqlforms-mariadb.sql"));
    }

    @Override
    String selfCheckClass() {
        return "sqlforms";
    }

    @Override
    void dropEverything(Statement raw) throws SQLException {
        raw.execute("DROP DATABASE IF EXISTS " + VAULT);
        raw.execute("DROP DATABASE IF EXISTS " + DATABASE);
        raw.execute("CREATE DATABASE " + DATABASE);
        raw.execute("USE " + DATABASE);
        raw.execute("DELETE FROM mysql.column_stats WHERE db_name = '" + DATABASE + "'");
    }

    @Override
    List<String> snapshotQueries() {
        String ours = " IN ('" + DATABASE + "', '" + VAULT + "')";
        return List.of(
                "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA" + ours,
                "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA" + ours,
                "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'asq_adv%'",
                "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE, SECURITY_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA" + ours,
                "SELECT TRIGGER_SCHEMA, TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA" + ours,
                "SELECT EVENT_SCHEMA, EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA" + ours,
                "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA" + ours,
                "SELECT * FROM " + DATABASE + ".customers", "SELECT * FROM " + DATABASE + ".orders",
                "SELECT * FROM " + DATABASE + ".payments", "SELECT * FROM " + DATABASE + ".accounts",
                "SELECT * FROM " + VAULT + ".notes", "SELECT * FROM " + VAULT + ".orders",
                "SELECT next_not_cached_value FROM " + DATABASE + ".customers_id_seq");
    }

    /** The filter's hidden rows' names are forbidden; the column statistics are gathered (mysql.column_stats is read). */
    @Override
    void afterLay(Connection raw, SensitiveFixture fixture) throws SQLException {
        try (Statement s = raw.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT name FROM customers WHERE city <> 'Lyon'")) {
                while (rs.next()) {
                    fixture.forbiddenText.add(rs.getString(1));
                }
            }
            try (ResultSet ignored = s.executeQuery("ANALYZE TABLE customers PERSISTENT FOR ALL")) {
                // the statistics are written to mysql.column_stats
            }
        }
    }
}
