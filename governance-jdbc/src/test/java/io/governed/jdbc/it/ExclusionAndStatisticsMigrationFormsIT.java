package io.governed.jdbc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Migration forms read since they were refused to everyone, run through the governed driver: PostgreSQL exclusion
 * constraints (in an ALTER TABLE … ADD and a CREATE TABLE) and CREATE STATISTICS, MariaDB ADD INDEX|KEY IF NOT EXISTS.
 * The migration identity runs each and a raw connection sees what it made; an analyst the policy forbids schema changes
 * is refused each, the schema unchanged; an agent building a constraint or statistics over the masked column is refused
 * by the mask's inference rule. The forms that stay refused (PostgreSQL's UPDATE ONLY and DELETE FROM ONLY, MariaDB's
 * ALTER IGNORE TABLE) are refused to the migration identity too, saying why, with the rows unchanged.
 */
@ServerWide("MariaDB schemas (databases)")
class ExclusionAndStatisticsMigrationFormsIT {
    private static final String POLICY = "classpath:policies/mf-migration-forms.yaml";

    private static Connection governed(TestDatabase db, String principal, String kind) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", db == TestDatabase.POSTGRESQL ? "postgres" : "root");
        p.setProperty("password", "");
        p.setProperty("governed.policy", POLICY);
        p.setProperty("governed.principal", principal);
        p.setProperty("governed.kind", kind);
        if (kind.equals("agent")) {
            p.setProperty("governed.on-behalf-of", "ann");
        }
        String url = db == TestDatabase.POSTGRESQL ? "postgresql://127.0.0.1:5432/" + TestDatabase.DATABASE + "?connectTimeout=5"
                : "mariadb://127.0.0.1:3306/" + TestDatabase.DATABASE + "?connectTimeout=5000";
        return DriverManager.getConnection("jdbc:governed:" + url, p);
    }

    private static void run(Connection c, List<String> statements) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    private static String rows(TestDatabase db, String query) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection raw = db.connectRaw(); Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    out.append(i > 1 ? " " : "").append(rs.getString(i));
                }
                out.append(';');
            }
        }
        return out.toString();
    }

    private static void refusedEach(TestDatabase db, String principal, String kind, List<String> statements,
                                    String... reasons) throws SQLException {
        try (Connection c = governed(db, principal, kind); Statement st = c.createStatement()) {
            for (String sql : statements) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).as(sql).isEqualTo("42501");
                    assertThat(e.getMessage()).as(sql).contains(reasons).doesNotContain("could not be parsed");
                });
            }
        }
    }

    private static final List<String> POSTGRES_MIGRATION = List.of(
            "ALTER TABLE mf_xs.booking ADD CONSTRAINT mf_xs_no_overlap EXCLUDE USING gist (during WITH &&)"
                    + " WHERE (NOT cancelled)",
            "ALTER TABLE ONLY mf_xs.booking ADD EXCLUDE USING btree (room WITH =, guest WITH =) DEFERRABLE",
            "CREATE TABLE mf_xs.rooms (id int, during tsrange,"
                    + " CONSTRAINT mf_xs_rooms_excl EXCLUDE USING gist (during WITH &&))",
            "CREATE STATISTICS mf_xs.mf_xs_city_zip (dependencies) ON city, zip FROM mf_xs.addresses",
            "CREATE STATISTICS IF NOT EXISTS mf_xs.mf_xs_lower ON (lower(city)), zip FROM mf_xs.addresses");

    private static final String POSTGRES_SCHEMA = "SELECT conname, contype FROM pg_constraint c"
            + " JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'mf_xs' AND contype = 'x'"
            + " UNION ALL SELECT stxname, 's' FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace"
            + " WHERE n.nspname = 'mf_xs' ORDER BY 1";

    @Test
    void postgresql() throws Exception {
        TestDatabase db = TestDatabase.POSTGRESQL;
        db.requireReachable();
        try (Connection raw = db.connectRaw()) {
            run(raw, List.of("DROP SCHEMA IF EXISTS mf_xs CASCADE", "CREATE SCHEMA mf_xs",
                    "CREATE TABLE mf_xs.booking (room int, guest int, during tsrange, cancelled boolean)",
                    "CREATE TABLE mf_xs.addresses (id int, city text, zip text)",
                    "CREATE TABLE mf_xs.customers (id int PRIMARY KEY, ssn text)",
                    "INSERT INTO mf_xs.booking VALUES (1, 1, '[2026-01-01,2026-01-05)', false),"
                            + " (2, 2, '[2026-01-03,2026-01-06)', true)",
                    "INSERT INTO mf_xs.addresses VALUES (1, 'Oslo', '0150'), (2, 'Bergen', '5003')",
                    "INSERT INTO mf_xs.customers VALUES (1, '123-45-6789'), (2, '123-45-6789')"));
        }
        try {
            Thread.sleep(1100); // the driver's catalog readings are cached about a second
            refusedEach(db, "ann", "human", POSTGRES_MIGRATION, "schema-by-migration");
            assertThat(rows(db, POSTGRES_SCHEMA)).isEmpty();
            try (Connection c = governed(db, "mf-migrator", "service")) {
                run(c, POSTGRES_MIGRATION);
                run(c, List.of(POSTGRES_MIGRATION.get(4))); // IF NOT EXISTS: nothing the second time
            }
            assertThat(rows(db, POSTGRES_SCHEMA)).isEqualTo("booking_room_guest_excl x;mf_xs_city_zip s;mf_xs_lower s;"
                    + "mf_xs_no_overlap x;mf_xs_rooms_excl x;");
            // an agent building a constraint or statistics over the masked column: whether it succeeds tells whether
            // two SSNs are equal, and the statistics would hold the most common SSNs
            refusedEach(db, "bot", "agent", List.of(
                    "ALTER TABLE mf_xs.customers ADD CONSTRAINT mf_xs_grab EXCLUDE USING btree (ssn WITH =)",
                    "ALTER TABLE mf_xs.customers ADD EXCLUDE USING btree (id WITH =) WHERE (ssn LIKE '123%')",
                    "CREATE STATISTICS mf_xs.mf_xs_grab (mcv) ON ssn, id FROM mf_xs.customers",
                    "CREATE STATISTICS mf_xs.mf_xs_grab ON (lower(ssn)), id FROM mf_xs.customers"), "mask-ssn");
            assertThat(rows(db, "SELECT conname FROM pg_constraint WHERE conrelid = 'mf_xs.customers'::regclass"
                    + " UNION ALL SELECT stxname FROM pg_statistic_ext WHERE stxrelid = 'mf_xs.customers'::regclass"))
                    .isEqualTo("customers_pkey;");
            // ONLY after JOIN, a comma or a DELETE's USING stays refused, saying why, to the migration identity as well
            // (UPDATE ONLY t and DELETE FROM ONLY t are read: OnlyWritesTest, PostgresOnlyRowFilterIT)
            try (Connection c = governed(db, "mf-migrator", "service"); Statement st = c.createStatement()) {
                for (String sql : List.of("UPDATE mf_xs.booking b SET cancelled = true FROM ONLY mf_xs.booking o"
                                + " WHERE b.room = o.room",
                        "DELETE FROM mf_xs.booking b USING ONLY mf_xs.booking o WHERE b.room = o.room AND o.cancelled")) {
                    assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getMessage()).contains("ONLY", "not read"));
                }
            }
            assertThat(rows(db, "SELECT room, cancelled FROM mf_xs.booking ORDER BY room")).isEqualTo("1 f;2 t;");
        } finally {
            try (Connection raw = db.connectRaw()) {
                run(raw, List.of("DROP SCHEMA IF EXISTS mf_xs CASCADE"));
            }
        }
    }

    private static final List<String> MARIADB_MIGRATION = List.of(
            "ALTER TABLE mf_xs_users ADD INDEX IF NOT EXISTS (email)",
            "ALTER TABLE mf_xs_users ADD UNIQUE KEY IF NOT EXISTS mf_xs_tenant_name (tenant, name(10))");

    private static final String MARIADB_SCHEMA = "SELECT index_name, seq_in_index, column_name, sub_part, non_unique"
            + " FROM information_schema.statistics WHERE table_schema = '" + TestDatabase.DATABASE + "' AND table_name = 'mf_xs_users'"
            + " ORDER BY index_name, seq_in_index";

    @Test
    void mariadb() throws Exception {
        TestDatabase db = TestDatabase.MARIADB;
        db.requireReachable();
        try (Connection raw = db.connectRaw()) {
            run(raw, List.of("DROP TABLE IF EXISTS mf_xs_users", "DROP TABLE IF EXISTS mf_xs_customers",
                    "CREATE TABLE mf_xs_users (id INT PRIMARY KEY, name VARCHAR(40), email VARCHAR(40), tenant INT)",
                    "CREATE TABLE mf_xs_customers (id INT PRIMARY KEY, ssn VARCHAR(11))",
                    "INSERT INTO mf_xs_users VALUES (1, 'Ann', 'a@x', 1), (2, 'Bob', 'a@x', 1)",
                    "INSERT INTO mf_xs_customers VALUES (1, '123-45-6789'), (2, '123-45-6789')"));
        }
        try {
            Thread.sleep(1100);
            refusedEach(db, "ann", "human", MARIADB_MIGRATION, "schema-by-migration");
            assertThat(rows(db, MARIADB_SCHEMA)).isEqualTo("PRIMARY 1 id null 0;");
            try (Connection c = governed(db, "mf-migrator", "service")) {
                run(c, MARIADB_MIGRATION);
                run(c, MARIADB_MIGRATION); // IF NOT EXISTS: nothing the second time
            }
            assertThat(rows(db, MARIADB_SCHEMA)).isEqualTo("email 1 email null 1;mf_xs_tenant_name 1 tenant null 0;"
                    + "mf_xs_tenant_name 2 name 10 0;PRIMARY 1 id null 0;");
            refusedEach(db, "bot", "agent", List.of(
                    "ALTER TABLE mf_xs_customers ADD UNIQUE INDEX IF NOT EXISTS mf_xs_grab (ssn(3))"), "mask-ssn");
            // ALTER IGNORE TABLE deletes the rows a new unique key finds duplicated: refused, saying why
            try (Connection c = governed(db, "mf-migrator", "service"); Statement st = c.createStatement()) {
                String sql = "ALTER IGNORE TABLE mf_xs_customers ADD UNIQUE (ssn)";
                assertThatThrownBy(() -> st.execute(sql)).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getMessage()).contains("IGNORE", "not read"));
            }
            assertThat(rows(db, "SELECT id FROM mf_xs_customers ORDER BY id")).isEqualTo("1;2;");
            assertThat(rows(db, "SELECT index_name FROM information_schema.statistics WHERE table_schema = '" + TestDatabase.DATABASE + "'"
                    + " AND table_name = 'mf_xs_customers'")).isEqualTo("PRIMARY;");
        } finally {
            try (Connection raw = db.connectRaw()) {
                run(raw, List.of("DROP TABLE IF EXISTS mf_xs_users", "DROP TABLE IF EXISTS mf_xs_customers"));
            }
        }
    }
}
