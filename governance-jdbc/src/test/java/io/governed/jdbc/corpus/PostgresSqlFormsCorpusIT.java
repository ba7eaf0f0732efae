package io.governed.jdbc.corpus;

import io.governed.jdbc.corpus.AdversarialCorpus.Case;
import io.governed.jdbc.support.ServerWide;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQL forms corpus ({@code adversarial/sqlforms-postgresql.sql}) on the local PostgreSQL server, in a database of
 * its own: whole-row values, record and JSON round trips, alias column lists, recursive CTE search and cycle
 * columns, planner statistics, and the forms of naming a table, through the reference identities under the reference
 * masks and a row filter that shows them only the customers of Lyon.
 */
@ServerWide("databases")
class PostgresSqlFormsCorpusIT extends PostgresAdversarialCorpusIT {
    private static final String DATABASE = "asq_sqlforms";

    @Override
    void prepareServer() throws SQLException {
        Servers.ensurePostgresDatabase(DATABASE);
    }

    @Override
    String databaseName() {
        return DATABASE;
    }

    @Override
    String policy() {
        return "classpath:policies/sqlforms-policy.yaml";
    }

    @Override
    List<Case> corpusCases() {
        return AdversarialCorpus.cases(dialect(), List.of("sqlforms-postgresql.sql"));
    }

    @Override
    String selfCheckClass() {
        return "sqlforms";
    }

    @Override
    void dropEverything(Statement raw) throws SQLException {
        raw.execute("ALTER DATABASE " + DATABASE + " RESET ALL");
        raw.execute("DO $$ DECLARE e record; BEGIN FOR e IN SELECT evtname FROM pg_event_trigger LOOP "
                + "EXECUTE format('DROP EVENT TRIGGER %I', e.evtname); END LOOP; END $$");
        raw.execute("SELECT lo_unlink(oid) FROM pg_largeobject_metadata");
        raw.execute("DROP SCHEMA IF EXISTS adv_vault CASCADE");
        raw.execute("DROP SCHEMA IF EXISTS public CASCADE");
        raw.execute("CREATE SCHEMA public");
        raw.execute("DROP EXTENSION IF EXISTS pgcrypto CASCADE");
    }

    /** The filter's hidden rows' names are forbidden; the planner's statistics are gathered (pg_stats is read). */
    @Override
    void afterLay(Connection raw, SensitiveFixture fixture) throws SQLException {
        try (Statement s = raw.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT name FROM customers WHERE city <> 'Lyon'")) {
                while (rs.next()) {
                    fixture.forbiddenText.add(rs.getString(1));
                }
            }
            s.execute("ANALYZE customers");
        }
    }
}
