package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

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

    /**
     * Relations, columns and grants are read from {@code pg_class}, {@code pg_attribute}, {@code pg_attrdef} and
     * {@code aclexplode(relacl)} rather than {@code information_schema} (about half of each case's time went to its
     * three views): the same facts and more, every relation of every kind (sequences, indexes, materialized views,
     * composite types too), every column's type with its modifier, nullability, default, generation and identity, every
     * grant on a table, view or sequence with its grantor and grant option, column grants; other sessions' temporary
     * schemas are left out as the views left them out.
     */
    @Override
    List<String> snapshotQueries() {
        String ours = " NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";
        String relations = " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname" + ours
                + " AND n.nspname NOT LIKE 'pg_toast_temp%' AND NOT pg_is_other_temp_schema(n.oid)";
        return List.of(
                "SELECT n.nspname, c.relname, c.relkind, c.relpersistence, c.relispartition" + relations,
                "SELECT n.nspname, c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),"
                        + " a.attnotnull OR (t.typtype = 'd' AND t.typnotnull), a.atthasdef, pg_get_expr(d.adbin, d.adrelid),"
                        + " a.attgenerated, a.attidentity, a.attcollation::regcollation, a.attacl" + relations.replace(" WHERE ",
                        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                        + " JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum WHERE "),
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
                "SELECT n.nspname, c.relname, g.grantee::regrole, g.grantor::regrole, g.privilege_type, g.is_grantable" + relations.replace(" WHERE ",
                        " CROSS JOIN aclexplode(coalesce(c.relacl, acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner))) g WHERE c.relkind NOT IN ('i', 'I', 'c') AND "),
                "SELECT * FROM public.customers", "SELECT * FROM public.orders", "SELECT * FROM public.payments",
                "SELECT * FROM public.accounts", "SELECT * FROM adv_vault.notes", "SELECT * FROM adv_vault.orders");
    }

    @FunctionalInterface
    private interface Step {
        void run(Statement raw) throws SQLException;
    }

    private static Step sql(String... statements) {
        return raw -> {
            for (String statement : statements) {
                raw.execute(statement);
            }
        };
    }

    /** A change a case could leave behind, what the snapshot's difference shows of it, and how it is undone. */
    private record Change(String what, String seenAs, Step setUp, Step make, Step undo, Step tearDown) {
        Change(String what, String seenAs, String make, String undo) {
            this(what, seenAs, sql(), sql(make), sql(undo), sql());
        }
    }

    private static List<Change> changes() {
        long[] sequence = new long[2];
        return List.of(
                new Change("a column's default", "|city|character varying(50)|f|t|'Lyon'::character varying|",
                        "ALTER TABLE customers ALTER COLUMN city SET DEFAULT 'Lyon'", "ALTER TABLE customers ALTER COLUMN city DROP DEFAULT"),
                new Change("a column's nullability", "+ public|orders|4|status|character varying(20)|f|",
                        "ALTER TABLE orders ALTER COLUMN status DROP NOT NULL", "ALTER TABLE orders ALTER COLUMN status SET NOT NULL"),
                new Change("a grant on a table", "+ adv_vault|notes|-|postgres|SELECT|",
                        "GRANT SELECT ON adv_vault.notes TO PUBLIC", "REVOKE SELECT ON adv_vault.notes FROM PUBLIC"),
                new Change("a grant on a column", "=w/postgres",
                        "GRANT UPDATE (city) ON customers TO PUBLIC", "REVOKE UPDATE (city) ON customers FROM PUBLIC"),
                new Change("a new relation", "+ public|snapshot_probe|r|p|",
                        "CREATE TABLE snapshot_probe (id INT)", "DROP TABLE snapshot_probe"),
                new Change("an event trigger", "+ snapshot_probe|\n",
                        sql("CREATE FUNCTION snapshot_probe() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$"),
                        sql("CREATE EVENT TRIGGER snapshot_probe ON ddl_command_start EXECUTE FUNCTION snapshot_probe()"),
                        sql("DROP EVENT TRIGGER snapshot_probe"), sql("DROP FUNCTION snapshot_probe()")),
                new Change("a sequence's value", "+ public|customers_id_seq|", sql(), raw -> {
                    try (ResultSet rs = raw.executeQuery("SELECT last_value, is_called FROM customers_id_seq")) {
                        rs.next();
                        sequence[0] = rs.getLong(1);
                        sequence[1] = rs.getBoolean(2) ? 1 : 0;
                    }
                    raw.execute("SELECT nextval('customers_id_seq')");
                }, raw -> raw.execute("SELECT setval('customers_id_seq', " + sequence[0] + ", " + (sequence[1] == 1) + ")"), sql()));
    }

    /**
     * The snapshot sees each kind of change a case could leave behind: made through the raw connection, the snapshot
     * differs from the one before it and its difference names what changed; undone, the snapshot is again the one taken
     * when the fixture was laid (the fixture is laid again if not).
     */
    @TestFactory
    Stream<DynamicTest> theSnapshotSeesEachChangeACaseCouldLeave() {
        return changes().stream().map(change -> DynamicTest.dynamicTest(change.what(), () -> {
            try (Statement s = rawConnection().createStatement()) {
                change.setUp().run(s);
                String unchanged = snapshotNow();
                try {
                    change.make().run(s);
                    assertThat(difference(unchanged, snapshotNow())).as("what the snapshot sees of %s", change.what())
                            .contains(change.seenAs());
                } finally {
                    change.undo().run(s);
                    change.tearDown().run(s);
                }
                assertThat(snapshotNow()).as("the snapshot once %s is undone", change.what()).isEqualTo(snapshotAfterLay());
            } finally {
                restoreIfChanged();
            }
        }));
    }
}
