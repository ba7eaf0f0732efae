package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The adversarial corpus on the local PostgreSQL server, in a database of its own. */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@ServerWide("databases, server catalogs")
class PostgresAdversarialCorpusIT extends AdversarialCorpusSpec {
    private static final String DATABASE = "governed_adversarial";

    @Override
    void prepareServer() throws SQLException {
        Servers.ensurePostgresDatabase(DATABASE);
    }

    @Override
    CorpusDatabase database() {
        return new PostgresCorpusDatabase();
    }

    @Override
    String dialect() {
        return "postgresql";
    }

    @Override
    String databaseName() {
        return DATABASE;
    }

    @Override
    String vaultTable() {
        return "adv_vault.notes";
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

    @Override
    List<String> snapshotQueries() {
        String ours = " NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";
        return List.of(
                "SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema" + ours,
                "SELECT table_schema, table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema" + ours,
                "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_temp%' AND nspname NOT LIKE 'pg_toast_temp%'",
                "SELECT n.nspname, p.proname, p.prokind, p.prosecdef FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname" + ours,
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal",
                "SELECT evtname FROM pg_event_trigger",
                "SELECT schemaname, tablename, rulename FROM pg_rules WHERE schemaname" + ours,
                "SELECT polname FROM pg_policy",
                "SELECT extname FROM pg_extension",
                "SELECT schemaname, indexname, tablename FROM pg_indexes WHERE schemaname" + ours,
                "SELECT schemaname, sequencename, last_value FROM pg_sequences WHERE schemaname" + ours,
                "SELECT relname, relrowsecurity FROM pg_class WHERE relnamespace IN ('public'::regnamespace, 'adv_vault'::regnamespace)",
                "SELECT count(*) FROM pg_largeobject_metadata",
                "SELECT setconfig FROM pg_db_role_setting WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())",
                "SELECT grantee, table_schema, table_name, privilege_type FROM information_schema.role_table_grants WHERE table_schema" + ours,
                "SELECT * FROM public.customers", "SELECT * FROM public.orders", "SELECT * FROM public.payments",
                "SELECT * FROM public.accounts", "SELECT * FROM adv_vault.notes", "SELECT * FROM adv_vault.orders");
    }
}
