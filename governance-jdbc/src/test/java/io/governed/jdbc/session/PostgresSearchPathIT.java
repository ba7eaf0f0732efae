package io.governed.jdbc.session;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * An identity permitted to read public.* only, on a PostgreSQL whose session is pointed at another
 * schema holding a table of the same name, every way PostgreSQL allows: the URL's currentSchema, SET, set_config, a
 * role's default, setSchema, a temporary table, and a rolled-back SET LOCAL. The unqualified read of the
 * other schema's table is refused; the read of public's is allowed and returns public's row. A raw
 * connection set up the same way shows what the database would have read. The URL's options=-c search_path=…
 * refuses the connection (options could set any other server setting too).
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@ServerWide("GRANT/REVOKE, roles or users")
class PostgresSearchPathIT {
    private static final String HOST = "jdbc:postgresql://127.0.0.1:5432/" + TestDatabase.DATABASE + "?connectTimeout=5";
    private static final String SECRET = UniqueNames.of("sp_secret");
    private static final String TABLE = UniqueNames.of("sp_t");
    private static final String ROLE = UniqueNames.of("sp_role");

    @TempDir
    static Path dir;
    private static Path policy;

    @BeforeAll
    static void schemas() throws Exception {
        try (Connection c = raw(""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SECRET);
            s.execute("CREATE TABLE public." + TABLE + " (v text)");
            s.execute("INSERT INTO public." + TABLE + " VALUES ('public-row')");
            s.execute("CREATE TABLE " + SECRET + "." + TABLE + " (v text)");
            s.execute("INSERT INTO " + SECRET + "." + TABLE + " VALUES ('secret-row')");
            s.execute("CREATE ROLE " + ROLE + " LOGIN");
            s.execute("GRANT USAGE ON SCHEMA " + SECRET + " TO " + ROLE);
            s.execute("GRANT SELECT ON public." + TABLE + ", " + SECRET + "." + TABLE + " TO " + ROLE);
            s.execute("ALTER ROLE " + ROLE + " SET search_path = " + SECRET + ", public");
        }
        policy = dir.resolve("public-reader.yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                rules:
                  - id: read-public
                    effect: permit
                    actions: [select, insert, update, set, show, transaction]
                    resources: ["public.*"]
                  - id: settings-through-set-config   # set_config may change the role, so it must be named
                    effect: permit
                    actions: [select, call]
                    resources: ["public.*", "pg_catalog.set_config"]
                    when: { traits: [privilege-change] }
                  - id: trigger-functions   # writing a table with a trigger calls the trigger's function
                    effect: permit
                    actions: [call]
                    resources: ["public.sp_fn*"]
                  - id: create-anywhere
                    effect: permit
                    actions: [create]
                    resources: ["*"]
                  - id: own-temporary-tables
                    effect: permit
                    actions: [insert, drop]
                    resources: ["pg_temp*.*"]
                """);
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = raw(""); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS public." + TABLE);
            s.execute("DROP SCHEMA IF EXISTS " + SECRET + " CASCADE");
            s.execute("DROP ROLE IF EXISTS " + ROLE);
        }
    }

    private static Connection raw(String urlSuffix) throws SQLException {
        return DriverManager.getConnection(HOST + urlSuffix, "postgres", "");
    }

    private static Connection governed(String urlSuffix, String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        p.setProperty("governed.kind", "human");
        p.setProperty("governed.audit", "memory");
        return DriverManager.getConnection("jdbc:governed:postgresql://127.0.0.1:5432/" + TestDatabase.DATABASE + "?connectTimeout=5" + urlSuffix, p);
    }

    private static Connection governed(String urlSuffix) throws SQLException {
        return governed(urlSuffix, "postgres");
    }

    @Test
    void aMaskOnTheOtherSchemasColumnFollowsTheSearchPath() throws Exception {
        Path masking = dir.resolve("mask-secret.yaml");
        Files.writeString(masking, """
                version: 1
                default: deny
                rules:
                  - { id: read-all, effect: permit, actions: [select, set], resources: ["*"] }
                masks:
                  - id: hide-secret
                    columns: { patterns: ["%s.%s.v"] }
                    function: redact
                """.formatted(SECRET, TABLE));
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "");
        p.setProperty("governed.policy", masking.toString());
        p.setProperty("governed.principal", "analyst");
        p.setProperty("governed.audit", "memory");
        try (Connection c = DriverManager.getConnection("jdbc:governed:postgresql://127.0.0.1:5432/" + TestDatabase.DATABASE + "?connectTimeout=5", p)) {
            assertReadsPublic(c);
            try (Statement s = c.createStatement()) {
                s.execute("SET search_path = " + SECRET);
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v, upper(v) AS u FROM " + TABLE)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isNotEqualTo("secret-row").doesNotContain("secret");
                assertThat(rs.getObject(1)).isNotEqualTo("secret-row");
                assertThat(rs.getString("u")).doesNotContain("SECRET");
            }
        }
    }

    private static String read(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static void assertRefused(Connection c) {
        assertThatThrownBy(() -> read(c, "SELECT v FROM " + TABLE))
                .isInstanceOf(GovernanceException.class)
                .hasMessageContaining(SECRET + "." + TABLE)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
    }

    private static void assertReadsPublic(Connection c) throws SQLException {
        assertThat(read(c, "SELECT v FROM " + TABLE)).isEqualTo("public-row");
    }

    @Test
    void theDefaultPathReadsPublicAndQualifiedNamesAreJudgedAsWritten() throws SQLException {
        try (Connection c = governed("")) {
            assertReadsPublic(c);
            assertThat(read(c, "SELECT v FROM public." + TABLE)).isEqualTo("public-row");
            assertThatThrownBy(() -> read(c, "SELECT v FROM " + SECRET + "." + TABLE)).isInstanceOf(GovernanceException.class);
        }
    }

    @Test
    void currentSchemaInTheUrl() throws SQLException {
        String suffix = "&currentSchema=" + SECRET + ",public";
        try (Connection r = raw(suffix)) {
            assertThat(read(r, "SELECT v FROM " + TABLE)).as("what the database reads").isEqualTo("secret-row");
        }
        try (Connection c = governed(suffix)) {
            assertRefused(c);
            assertThat(read(c, "SELECT v FROM public." + TABLE)).isEqualTo("public-row");
        }
    }

    @Test
    void searchPathInTheUrlOptions() throws SQLException {
        String suffix = "&options=-c%20search_path%3D" + SECRET + ",public";
        try (Connection r = raw(suffix)) {
            assertThat(read(r, "SELECT v FROM " + TABLE)).isEqualTo("secret-row");
        }
        // the server would follow it, but options carries any other server setting as well: the connect is
        // refused, pointing at currentSchema
        assertThatThrownBy(() -> governed(suffix).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("'options'")
                .hasMessageContaining("currentSchema")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    }

    @Test
    void setSearchPathAndBack() throws SQLException {
        try (Connection c = governed("")) {
            assertReadsPublic(c);
            try (Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + SECRET + ", public");
            }
            assertRefused(c);
            try (Statement s = c.createStatement()) {
                s.execute("RESET search_path");
            }
            assertReadsPublic(c);
        }
    }

    @Test
    void setConfigInsideAQuery() throws SQLException {
        try (Connection c = governed("")) {
            assertReadsPublic(c);
            assertThat(read(c, "SELECT pg_catalog.set_config('search_path', '" + SECRET + "', false)")).isEqualTo(SECRET);
            assertRefused(c);
            assertThat(read(c, "SELECT current_schemas(false)::text")).contains(SECRET);
        }
    }

    @Test
    void aSearchPathChangeEarlierInTheSameTextCounts() throws SQLException {
        try (Connection c = governed("")) {
            assertThatThrownBy(() -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SET search_path = " + SECRET + "; SELECT v FROM " + TABLE);
                }
            }).isInstanceOf(GovernanceException.class);
            assertThat(read(c, "SHOW search_path")).doesNotContain(SECRET);
        }
    }

    @Test
    void aBatchEntryAfterASearchPathChangeIsJudgedWithTheNameUnknown() throws SQLException {
        String copy = UniqueNames.of("sp_copy");
        try (Connection r = raw(""); Statement s = r.createStatement()) {
            s.execute("CREATE TABLE public." + copy + " (v text)");
        }
        try (Connection c = governed(""); Statement s = c.createStatement()) {
            s.addBatch("SET search_path = " + SECRET + ", public");
            s.addBatch("INSERT INTO public." + copy + " SELECT v FROM " + TABLE);
            assertThatThrownBy(s::executeBatch).isInstanceOf(GovernanceException.class);
            assertThat(read(c, "SHOW search_path")).as("nothing of the batch ran").doesNotContain(SECRET);
        } finally {
            try (Connection r = raw(""); Statement s = r.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM public." + copy)) {
                    rs.next();
                    assertThat(rs.getInt(1)).isZero();
                }
                s.execute("DROP TABLE public." + copy);
            }
        }
    }

    @Test
    void aViewThatChangesTheSearchPathIsFollowedAndATriggerThatWouldIsRefused() throws SQLException {
        String view = UniqueNames.of("sp_view");
        String log = UniqueNames.of("sp_log");
        String fn = UniqueNames.of("sp_fn");
        try (Connection r = raw(""); Statement s = r.createStatement()) {
            s.execute("CREATE VIEW public." + view + " AS SELECT pg_catalog.set_config('search_path', '" + SECRET
                    + "', false) AS x");
            s.execute("CREATE TABLE public." + log + " (n int)");
            s.execute("CREATE FUNCTION public." + fn + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "PERFORM pg_catalog.set_config('search_path', '" + SECRET + "', false); RETURN NEW; END $$");
            s.execute("CREATE TRIGGER " + fn + " BEFORE INSERT ON public." + log + " FOR EACH ROW EXECUTE FUNCTION public." + fn + "()");
        }
        try (Connection c = governed("")) {
            assertReadsPublic(c);
            assertThat(read(c, "SELECT x FROM " + view)).isEqualTo(SECRET);
            assertRefused(c);
            try (Statement s = c.createStatement()) {
                s.execute("RESET search_path");
            }
            assertReadsPublic(c);
            // the trigger's function changes a setting (set_config), which makes its body unreadable: it may do anything,
            // so the write is refused before the search path changes
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO " + log + " VALUES (1)"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
                        .hasMessageContaining("which routine public." + fn + " may do");
            }
            assertReadsPublic(c);
        } finally {
            try (Connection r = raw(""); Statement s = r.createStatement()) {
                s.execute("DROP VIEW public." + view);
                s.execute("DROP TABLE public." + log);
                s.execute("DROP FUNCTION public." + fn + "()");
            }
        }
    }

    @Test
    void aColumnDefaultThatChangesTheSearchPathIsFollowed() throws SQLException {
        String table = UniqueNames.of("sp_default");
        try (Connection r = raw(""); Statement s = r.createStatement()) {
            s.execute("CREATE TABLE public." + table + " (n int, s text DEFAULT pg_catalog.set_config('search_path', '"
                    + SECRET + "', false))");
        }
        try (Connection c = governed(""); Statement s = c.createStatement()) {
            assertReadsPublic(c);
            s.executeUpdate("INSERT INTO " + table + " (n) VALUES (1)");
            assertThat(read(c, "SHOW search_path")).isEqualTo(SECRET);
            assertRefused(c);
        } finally {
            try (Connection r = raw(""); Statement s = r.createStatement()) {
                s.execute("DROP TABLE public." + table);
            }
        }
    }

    @Test
    void writesToATableThatRunsNoCodeKeepWhatWasRead() throws SQLException {
        String table = UniqueNames.of("sp_plain");
        try (Connection r = raw(""); Statement s = r.createStatement()) {
            s.execute("CREATE TABLE public." + table + " (id serial PRIMARY KEY, n int CHECK (n > 0), at timestamptz DEFAULT now())");
        }
        try (Connection c = governed(""); Statement s = c.createStatement()) {
            assertReadsPublic(c);
            s.executeUpdate("INSERT INTO " + table + " (n) VALUES (1)");
            SessionState session = ((io.governed.jdbc.wrapper.GovernedConnection) c).session();
            Object before = session.current();
            s.executeUpdate("INSERT INTO " + table + " (n) VALUES (2)");
            assertReadsPublic(c);
            assertThat(session.current()).as("nothing that could change the session ran").isSameAs(before);
            s.execute("SET search_path = " + SECRET);
            assertThat(session.current()).isNotSameAs(before);
        } finally {
            try (Connection r = raw(""); Statement s = r.createStatement()) {
                s.execute("DROP TABLE public." + table);
            }
        }
    }

    /**
     * A view runs code when read only through what its queries use: one computing with the system's functions that
     * leave nothing (over tables, another such view or a materialized view) keeps what was read of the session; one
     * calling a function of its own, taking an advisory lock or reading a table under row security is followed.
     */
    @Test
    void readingAViewThatRunsNoCodeKeepsWhatWasRead() throws SQLException {
        String plain = UniqueNames.of("sp_plain_view");
        String nested = UniqueNames.of("sp_nested_view");
        String stored = UniqueNames.of("sp_stored_view");
        String calls = UniqueNames.of("sp_calling_view");
        String locks = UniqueNames.of("sp_locking_view");
        String secured = UniqueNames.of("sp_secured");
        String overSecured = UniqueNames.of("sp_secured_view");
        String fn = UniqueNames.of("sp_view_fn");
        try (Connection r = raw(""); Statement s = r.createStatement()) {
            s.execute("CREATE VIEW public." + plain + " AS SELECT lower(v) AS v, count(*) OVER () AS n FROM public." + TABLE
                    + " WHERE coalesce(current_setting('app.tenant', true), '') = '' AND v::text <> ''");
            s.execute("CREATE VIEW public." + nested + " AS SELECT v FROM public." + plain);
            s.execute("CREATE MATERIALIZED VIEW public." + stored + " AS SELECT v FROM public." + TABLE);
            s.execute("CREATE FUNCTION public." + fn + "() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$");
            s.execute("CREATE VIEW public." + calls + " AS SELECT public." + fn + "() AS v");
            s.execute("CREATE VIEW public." + locks + " AS SELECT pg_try_advisory_lock(4711) AS v");
            s.execute("CREATE TABLE public." + secured + " (v text)");
            s.execute("ALTER TABLE public." + secured + " ENABLE ROW LEVEL SECURITY");
            s.execute("CREATE VIEW public." + overSecured + " AS SELECT v FROM public." + secured);
        }
        try (Connection c = governed("")) {
            SessionState session = ((GovernedConnection) c).session();
            for (String view : List.of(plain, nested, stored)) {
                read(c, "SELECT count(*) FROM " + view);
                Object before = session.current();
                read(c, "SELECT count(*) FROM " + view);
                assertThat(session.current()).as(view + " runs no code").isSameAs(before);
            }
            for (String view : List.of(calls, locks, overSecured)) {
                Object before = session.current();
                read(c, "SELECT count(*) FROM " + view);
                assertThat(session.current()).as(view + " may run code").isNotSameAs(before);
            }
            assertReadsPublic(c);
        } finally {
            try (Connection r = raw(""); Statement s = r.createStatement()) {
                s.execute("DROP VIEW public." + nested + ", public." + plain + ", public." + calls + ", public." + locks
                        + ", public." + overSecured);
                s.execute("DROP MATERIALIZED VIEW public." + stored);
                s.execute("DROP TABLE public." + secured);
                s.execute("DROP FUNCTION public." + fn + "()");
            }
        }
    }

    /**
     * Statements that name their schema resolve no name, so nothing reads the session for them; the session is read
     * once (to know the table runs no code) and that reading stands, instead of being renewed at every statement.
     */
    @Test
    void statementsNamingTheirSchemaKeepOneReadingOfTheSession() throws SQLException {
        try (Connection c = governed("");
             PreparedStatement ps = c.prepareStatement("SELECT v FROM public." + TABLE + " WHERE v = ?")) {
            SessionState session = ((GovernedConnection) c).session();
            ps.setString(1, "public-row");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
            }
            Object reading = session.current();
            for (int i = 0; i < 20; i++) {
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("public-row");
                }
            }
            assertThat(session.current()).as("nothing that could change the session ran").isSameAs(reading);
            assertThat(session.toString()).contains("public");
        }
    }

    /**
     * A decision function other than a policy resolves no name; the session is read to tell where an unqualified
     * name resolves and that the table there runs no code, and that reading stands.
     */
    @Test
    void withADecisionFunctionOfItsOwnUnqualifiedNamesKeepOneReadingOfTheSession() throws SQLException {
        org.postgresql.ds.PGSimpleDataSource raw = new org.postgresql.ds.PGSimpleDataSource();
        raw.setURL(HOST);
        raw.setUser("postgres");
        io.governed.jdbc.Governance governance = io.governed.jdbc.Governance.builder()
                .decisionFunction(io.governed.jdbc.gate.DecisionFunction.ALLOW_ALL).withoutAudit()
                .defaultIdentity(io.governed.identity.Identity.builder("svc").build()).build();
        try (Connection c = new GovernedDataSource(raw, governance).getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT v FROM " + TABLE + " WHERE v = ?")) {
            SessionState session = ((GovernedConnection) c).session();
            ps.setString(1, "public-row");
            Object reading = null;
            for (int i = 0; i < 20; i++) {
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
                if (i == 0) {
                    reading = session.current();
                }
            }
            assertThat(session.current()).as("nothing that could change the session ran").isSameAs(reading);
            try (Statement s = c.createStatement()) {
                s.execute("SET search_path = " + SECRET + ", public");
            }
            assertThat(session.current()).as("a SET still makes it read again").isNotSameAs(reading);
        }
    }

    @Test
    void aPoolsNextBorrowingLooksUpNewNamesThroughItsOwnProxy() throws Exception {
        String table = UniqueNames.of("sp_borrowed");
        try (Connection r = raw(""); Statement s = r.createStatement()) {
            s.execute("CREATE TABLE public." + table + " (n int)");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(HOST);
        config.setUsername("postgres");
        config.setPassword("");
        config.setMaximumPoolSize(1);
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.principal", "analyst");
        settings.setProperty("governed.audit", "memory");
        try (HikariDataSource pool = new HikariDataSource(config);
             GovernedDataSource governed = new GovernedDataSource(pool, settings)) {
            Object reading;
            try (Connection c = governed.getConnection()) {
                assertReadsPublic(c);
                reading = ((GovernedConnection) c).session().current();
            }
            // the first borrowing's proxy is closed now; a name not looked up yet is looked up through the
            // new one, so it resolves to public (permitted) instead of counting as anywhere on the path
            try (Connection c = governed.getConnection(); Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("INSERT INTO " + table + " (n) VALUES (1)")).isEqualTo(1);
                assertThat(((GovernedConnection) c).session().current())
                        .as("a write to a plain table keeps the session's reading across borrowings").isSameAs(reading);
                assertReadsPublic(c);
            }
            try (Connection r = raw("")) {
                assertThat(read(r, "SELECT count(*) FROM public." + table)).isEqualTo("1");
            }
        } finally {
            try (Connection r = raw(""); Statement s = r.createStatement()) {
                s.execute("DROP TABLE public." + table);
            }
        }
    }

    @Test
    void aRolesDefaultSearchPath() throws SQLException {
        try (Connection r = DriverManager.getConnection(HOST, ROLE, "")) {
            assertThat(read(r, "SELECT v FROM " + TABLE)).isEqualTo("secret-row");
        }
        try (Connection c = governed("", ROLE)) {
            assertRefused(c);
            assertThat(read(c, "SELECT v FROM public." + TABLE)).isEqualTo("public-row");
        }
    }

    @Test
    void setSchemaOnTheConnection() throws SQLException {
        try (Connection c = governed("")) {
            c.setSchema(SECRET);
            assertRefused(c);
            c.setSchema("public");
            assertReadsPublic(c);
        }
    }

    @Test
    void aTemporaryTableShadowsPublic() throws SQLException {
        try (Connection c = governed(""); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE " + TABLE + " (v text)");
            s.execute("INSERT INTO " + TABLE + " VALUES ('temp-row')");
            assertThat(read(c, "SELECT current_schemas(true)::text")).contains("pg_temp_");
            assertThatThrownBy(() -> read(c, "SELECT v FROM " + TABLE))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("pg_temp_");
            s.execute("DROP TABLE " + TABLE);
            assertReadsPublic(c);
        }
    }

    @Test
    void aRolledBackSetLocalAndSet() throws SQLException {
        try (Connection c = governed("")) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL search_path TO " + SECRET);
            }
            assertRefused(c);
            c.rollback();
            assertReadsPublic(c);
            try (Statement s = c.createStatement()) {
                s.execute("SET search_path = " + SECRET);
            }
            assertRefused(c);
            try (Statement s = c.createStatement()) {
                s.execute("ROLLBACK");
            }
            assertReadsPublic(c);
            c.rollback();
        }
    }

    @Test
    void aNameOnlyTheOtherSchemaHoldsIsNotPublic() throws SQLException {
        String only = UniqueNames.of("sp_only");
        try (Connection r = raw(""); Statement s = r.createStatement()) {
            s.execute("CREATE TABLE " + SECRET + "." + only + " (v text)");
        }
        try (Connection c = governed("&currentSchema=public," + SECRET)) {
            assertThatThrownBy(() -> read(c, "SELECT v FROM " + only))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining(SECRET + "." + only);
        }
    }
}
