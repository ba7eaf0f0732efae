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
 * The index and key forms of migrations read since they were refused to everyone or misread, run through the governed
 * driver on each database: PostgreSQL index items with an operator class and a call, {@code ADD … PRIMARY KEY USING
 * INDEX}, {@code ADD … UNIQUE (…) INCLUDE (…)}; MariaDB prefix lengths in {@code CREATE INDEX} and unnamed {@code ADD
 * INDEX}; H2's {@code TRUNCATE TABLE … RESTART IDENTITY}. The migration identity runs each and a raw connection sees the
 * schema it made; an analyst the policy forbids schema changes is refused each and the schema stays as it was; an agent
 * indexing a masked column through a call ({@code lower(ssn)}, which the analysis read as a column named {@code lower})
 * is refused by the mask's inference rule.
 */
@ServerWide("MariaDB schemas (databases)")
class IndexAndKeyMigrationFormsIT {
    private static final String POLICY = "classpath:policies/mf-migration-forms.yaml";

    private static Connection governed(TestDatabase db, String principal, String kind) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", db == TestDatabase.POSTGRESQL ? "postgres" : db == TestDatabase.MARIADB ? "root" : "sa");
        p.setProperty("password", "");
        p.setProperty("governed.policy", POLICY);
        p.setProperty("governed.principal", principal);
        p.setProperty("governed.kind", kind);
        if (kind.equals("agent")) {
            p.setProperty("governed.on-behalf-of", "ann");
        }
        String url = switch (db) {
            case POSTGRESQL -> "postgresql://127.0.0.1:5432/" + TestDatabase.DATABASE + "?connectTimeout=5";
            case MARIADB -> "mariadb://127.0.0.1:3306/" + TestDatabase.DATABASE + "?connectTimeout=5000";
            default -> "h2:mem:mf_ix;DB_CLOSE_DELAY=-1";
        };
        return DriverManager.getConnection("jdbc:governed:" + url, p);
    }

    private static Connection raw(TestDatabase db) throws SQLException {
        return db == TestDatabase.H2 ? DriverManager.getConnection("jdbc:h2:mem:mf_ix;DB_CLOSE_DELAY=-1", "sa", "")
                : db.connectRaw();
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
        try (Connection raw = raw(db); Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(query)) {
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

    private static void refusedEach(TestDatabase db, List<String> statements) throws SQLException {
        try (Connection c = governed(db, "ann", "human"); Statement st = c.createStatement()) {
            for (String sql : statements) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).as(sql).isEqualTo("42501");
                    assertThat(e.getMessage()).as(sql).contains("schema-by-migration")
                            .doesNotContain("could not be parsed");
                });
            }
        }
    }

    private static final List<String> POSTGRES_MIGRATION = List.of(
            "CREATE INDEX mf_ix_email_pattern ON mf_ix.users (email text_pattern_ops)",
            "CREATE INDEX mf_ix_lower_email ON mf_ix.users (lower(email) text_pattern_ops DESC)",
            "CREATE UNIQUE INDEX mf_ix_users_id ON mf_ix.users (id)",
            "ALTER TABLE ONLY mf_ix.users ADD CONSTRAINT mf_ix_users_pkey PRIMARY KEY USING INDEX mf_ix_users_id",
            "ALTER TABLE mf_ix.users ADD CONSTRAINT mf_ix_email_key UNIQUE (email) INCLUDE (name)");

    private static final String POSTGRES_SCHEMA = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'mf_ix'"
            + " AND tablename = 'users' ORDER BY indexname";

    @Test
    void postgresql() throws Exception {
        TestDatabase db = TestDatabase.POSTGRESQL;
        db.requireReachable();
        try (Connection raw = raw(db)) {
            run(raw, List.of("DROP SCHEMA IF EXISTS mf_ix CASCADE", "CREATE SCHEMA mf_ix",
                    "CREATE TABLE mf_ix.users (id int NOT NULL, email text, name text)",
                    "CREATE TABLE mf_ix.customers (id int PRIMARY KEY, ssn text)",
                    "INSERT INTO mf_ix.users VALUES (1, 'a@x', 'Ann')"));
        }
        try {
            Thread.sleep(1100); // the driver's catalog readings are cached about a second
            refusedEach(db, POSTGRES_MIGRATION);
            assertThat(rows(db, POSTGRES_SCHEMA)).isEmpty();
            try (Connection c = governed(db, "mf-migrator", "service")) {
                run(c, POSTGRES_MIGRATION);
            }
            assertThat(rows(db, POSTGRES_SCHEMA)).isEqualTo(
                    "mf_ix_email_key CREATE UNIQUE INDEX mf_ix_email_key ON mf_ix.users USING btree (email) INCLUDE (name);"
                    + "mf_ix_email_pattern CREATE INDEX mf_ix_email_pattern ON mf_ix.users USING btree (email text_pattern_ops);"
                    + "mf_ix_lower_email CREATE INDEX mf_ix_lower_email ON mf_ix.users USING btree (lower(email) text_pattern_ops DESC);"
                    + "mf_ix_users_pkey CREATE UNIQUE INDEX mf_ix_users_pkey ON mf_ix.users USING btree (id);");
            assertThat(rows(db, "SELECT conname, contype FROM pg_constraint WHERE conrelid = 'mf_ix.users'::regclass"
                    + " ORDER BY conname")).isEqualTo("mf_ix_email_key u;mf_ix_users_pkey p;");
            // an agent indexing the masked column through a call: the index compares (and computes) the SSNs
            for (String sql : List.of("CREATE UNIQUE INDEX mf_ix_grab ON mf_ix.customers (lower(ssn))",
                    "CREATE INDEX mf_ix_grab ON mf_ix.customers (upper(ssn) text_pattern_ops)")) {
                try (Connection c = governed(db, "bot", "agent"); Statement st = c.createStatement()) {
                    assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains("mask-ssn");
                    });
                }
            }
            assertThat(rows(db, "SELECT indexname FROM pg_indexes WHERE schemaname = 'mf_ix' AND tablename = 'customers'"
                    + " ORDER BY 1")).isEqualTo("customers_pkey;");
        } finally {
            try (Connection raw = raw(db)) {
                run(raw, List.of("DROP SCHEMA IF EXISTS mf_ix CASCADE"));
            }
        }
    }

    private static final List<String> MARIADB_MIGRATION = List.of(
            "CREATE INDEX mf_ix_name ON mf_ix_users (name(10))",
            "CREATE UNIQUE INDEX mf_ix_email ON mf_ix_users (email(20), tenant)",
            "ALTER TABLE mf_ix_users ADD INDEX (note(5)), ADD KEY (tenant)");

    private static final String MARIADB_SCHEMA = "SELECT index_name, seq_in_index, column_name, sub_part, non_unique"
            + " FROM information_schema.statistics WHERE table_schema = '" + TestDatabase.DATABASE + "' AND table_name = 'mf_ix_users'"
            + " ORDER BY index_name, seq_in_index";

    @Test
    void mariadb() throws Exception {
        TestDatabase db = TestDatabase.MARIADB;
        db.requireReachable();
        try (Connection raw = raw(db)) {
            run(raw, List.of("DROP TABLE IF EXISTS mf_ix_users",
                    "CREATE TABLE mf_ix_users (id INT PRIMARY KEY, name VARCHAR(40), email VARCHAR(40), tenant INT,"
                            + " note VARCHAR(40))",
                    "INSERT INTO mf_ix_users VALUES (1, 'Ann', 'a@x', 1, 'n')"));
        }
        try {
            Thread.sleep(1100);
            refusedEach(db, MARIADB_MIGRATION);
            assertThat(rows(db, MARIADB_SCHEMA)).isEqualTo("PRIMARY 1 id null 0;");
            try (Connection c = governed(db, "mf-migrator", "service")) {
                run(c, MARIADB_MIGRATION);
            }
            assertThat(rows(db, MARIADB_SCHEMA)).isEqualTo("mf_ix_email 1 email 20 0;mf_ix_email 2 tenant null 0;"
                    + "mf_ix_name 1 name 10 1;note 1 note 5 1;PRIMARY 1 id null 0;tenant 1 tenant null 1;");
        } finally {
            try (Connection raw = raw(db)) {
                run(raw, List.of("DROP TABLE IF EXISTS mf_ix_users"));
            }
        }
    }

    @Test
    void h2() throws Exception {
        TestDatabase db = TestDatabase.H2;
        try (Connection raw = raw(db)) {
            run(raw, List.of("DROP TABLE IF EXISTS mf_ix_users",
                    "CREATE TABLE mf_ix_users (id INT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name VARCHAR(40))",
                    "INSERT INTO mf_ix_users (name) VALUES ('a'), ('b')"));
        }
        try {
            // the analyst may truncate (no forbid of truncate) but not restart the identity, an alter of the table
            try (Connection c = governed(db, "ann", "human"); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute("TRUNCATE TABLE mf_ix_users RESTART IDENTITY"))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("42501");
                            assertThat(e.getMessage()).contains("schema-by-migration", "alter")
                                    .doesNotContain("could not be parsed");
                        });
                st.execute("TRUNCATE TABLE mf_ix_users CONTINUE IDENTITY");
            }
            try (Connection raw = raw(db)) {
                run(raw, List.of("INSERT INTO mf_ix_users (name) VALUES ('c')"));
            }
            assertThat(rows(db, "SELECT id, name FROM mf_ix_users ORDER BY id")).isEqualTo("3 c;");
            try (Connection c = governed(db, "mf-migrator", "service")) {
                run(c, List.of("TRUNCATE TABLE mf_ix_users RESTART IDENTITY"));
            }
            try (Connection raw = raw(db)) {
                run(raw, List.of("INSERT INTO mf_ix_users (name) VALUES ('d')"));
            }
            assertThat(rows(db, "SELECT id, name FROM mf_ix_users ORDER BY id")).isEqualTo("1 d;");
        } finally {
            try (Connection raw = raw(db)) {
                run(raw, List.of("DROP TABLE IF EXISTS mf_ix_users"));
            }
        }
    }
}
