package io.governed.jdbc.masking;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SystemRelations;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * Every column of every relation of the server's own schemas (pg_catalog and information_schema on PostgreSQL;
 * information_schema, mysql, performance_schema and sys on MariaDB; H2's INFORMATION_SCHEMA), as the server itself lists
 * them, is read by a caller a mask applies to with one statement per relation: the statement is refused (a relation
 * holding values: statistics, other sessions' statements, large objects), or each column is on the dialect's list of
 * columns proven safe, or every value it shows is redacted. Before the sweep, secrets are planted where a curious analyst
 * would look for them: a comment, a default, a setting of a role and of a function, a foreign server's option, a
 * sequence's running value (set after its creation: its start, step and bounds are its definition, written by the DDL's
 * author as a column's type is, and read by Hibernate at start-up), statistics of a masked table after ANALYZE, another session's running statement, a large object. No
 * getter of any column hands one of them to the masked caller; the database is checked raw to hold each, and a caller no
 * mask applies to reads the comments as they are.
 */
@ServerWide("MariaDB schemas (databases), databases, other databases by link, other sessions, roles or users, server catalogs")
class SystemColumnsSweepIT {
    private static final String SECRET = "sk-cs7QsweepSecretZ";
    /** A sequence's running value, as digits no count or oid of a test database reaches. */
    private static final long SEQUENCE_SECRET = 918_273_645_501L;
    private static final String POLICY = String.join("\n",
            "version: 1",
            "default: deny",
            "classification:",
            "  auto-detect: false",
            "  tags:",
            "    pii.email: [\"*.email\"]",
            "rules:",
            "  - id: read-everything",
            "    effect: permit",
            "    actions: [select]",
            "    resources: [\"*\"]",
            "masks:",
            "  - id: mask-email",
            "    columns: { tags: [pii.email] }",
            "    function: email",
            "    unless: { groups: [pii-readers] }",
            "");
    private static final Identity ANALYST = Identity.builder("ann").groups("analysts").build();
    private static final Identity READER = Identity.builder("pat").groups("pii-readers").build();
    /** What the redaction shows of a text; bytes read as none, numbers as zero, other types as SQL NULL. */
    private static final String REDACTED = "****";

    /** Whether a getter's text is what the redaction shows: SQL NULL, the placeholder, no bytes, or a zero. */
    static boolean redacted(String value) {
        if (value == null || value.equals(REDACTED) || value.isEmpty()) {
            return true;
        }
        try {
            return new java.math.BigDecimal(value).signum() == 0;
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }

    static List<String> forms() {
        byte[] bytes = SECRET.getBytes(StandardCharsets.UTF_8);
        StringBuilder decimal = new StringBuilder();
        for (byte b : bytes) {
            decimal.append(decimal.length() == 0 ? "" : " ").append(b & 0xff);
        }
        return List.of(SECRET, SECRET.substring(4), decimal.toString(), HexFormat.of().formatHex(bytes),
                Long.toString(SEQUENCE_SECRET / 10)); // the value handed out, or the next (H2's BASE_VALUE)
    }

    static boolean holdsSecret(String text) {
        if (text == null) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (String form : forms()) {
            if (lower.contains(form.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** One instance for a server's tests: the secrets are planted once, before both, and removed after both. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class OnServer {
        final String name = UniqueNames.of("cs_sweep");
        Connection raw;
        GovernedDataSource governed;

        abstract TestDatabase database();

        abstract Dialect dialect();

        abstract DataSource dataSource();

        abstract void plant(Statement s) throws SQLException;

        abstract void remove(Statement s) throws SQLException;

        /** Each system schema and its relations, as the server lists them (names as the server spells them). */
        abstract Map<String, List<String>> relations(Connection c) throws SQLException;

        /**
         * The columns of each relation of a schema, as the server lists them, in their order: read in one query for the
         * whole schema.
         */
        abstract Map<String, List<String>> columns(Connection c, String schema) throws SQLException;

        /** Reads {@code relation → column} rows of {@code sql} into lists by relation, in the order the rows come. */
        static Map<String, List<String>> columnsByRelation(Connection c, String sql) throws SQLException {
            Map<String, List<String>> out = new LinkedHashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), relation -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            return out;
        }

        abstract String quote(String identifier);

        /** Queries run raw that show each planted secret is where the sweep looks for it. */
        abstract List<String> plantedWhere();

        /** Something another session runs while the sweep reads, {@code null} for none. */
        String otherSessionsStatement() {
            return null;
        }

        @BeforeAll
        void plantSecrets() throws Exception {
            TestDatabase db = database();
            raw = DriverManager.getConnection(db.rawUrl(), db.user(), db.password());
            try (Statement s = raw.createStatement()) {
                plant(s);
            }
            governed = new GovernedDataSource(dataSource(), Governance.builder().withoutAudit()
                    .policy(PolicyLoader.fromString("system-columns-sweep.yaml", POLICY)).build());
        }

        @AfterAll
        void removeSecrets() throws SQLException {
            try (Statement s = raw.createStatement()) {
                remove(s);
            }
            raw.close();
        }

        @Test
        void everySystemColumnIsSafeListedOrMaskedAndNoneHandsAPlantedSecretToAMaskedCaller() throws Exception {
            for (String where : plantedWhere()) {
                assertThat(read(raw, where).values().stream().flatMap(List::stream).anyMatch(SystemColumnsSweepIT::holdsSecret))
                        .as("the database holds the planted secret: " + where).isTrue();
            }
            String running = otherSessionsStatement();
            ExecutorService other = Executors.newSingleThreadExecutor();
            Connection otherSession = null;
            Statement otherStatement = null;
            Future<?> runs = null;
            try {
                if (running != null) {
                    TestDatabase db = database();
                    Connection session = DriverManager.getConnection(db.rawUrl(), db.user(), db.password());
                    otherSession = session;
                    Statement statement = session.createStatement();
                    otherStatement = statement;
                    runs = other.submit(() -> {
                        try (statement) {
                            statement.execute(running);
                        } catch (SQLException cancelled) {
                            // cancelled once the sweep is done
                        }
                        return null;
                    });
                    awaitRunning();
                }
                List<Exception> failed = new ArrayList<>();
                IdentityContext.runAs(ANALYST, () -> {
                    try (Connection analyst = governed.getConnection()) {
                        sweep(analyst);
                    } catch (Exception e) {
                        failed.add(e);
                    }
                });
                if (!failed.isEmpty()) {
                    throw failed.get(0);
                }
            } finally {
                try {
                    if (otherStatement != null) {
                        // cancelled on the server: a closed socket alone leaves the server's session sleeping out its
                        // 900 s, holding back every vacuum of the database (and the rest of the suite's speed) meanwhile
                        otherStatement.cancel();
                    }
                } finally {
                    if (otherSession != null) {
                        otherSession.abort(other);
                    }
                    if (runs != null) {
                        runs.cancel(true);
                    }
                    other.shutdownNow();
                }
            }
        }

        /** Until the other session's statement shows in the server's list of sessions (read raw). */
        void awaitRunning() throws Exception {
        }

        private void sweep(Connection analyst) throws Exception {
            List<String> leaks = new ArrayList<>();
            List<String> unmasked = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            Set<String> refused = new TreeSet<>();
            int columnsSeen = 0;
            int safeColumns = 0;
            int maskedWithValues = 0;
            for (Map.Entry<String, List<String>> schema : relations(raw).entrySet()) {
                Map<String, List<String>> columnsOf = columns(raw, schema.getKey());
                for (String relation : schema.getValue()) {
                    List<String> columns = columnsOf.getOrDefault(relation, List.of());
                    if (columns.isEmpty()) {
                        continue;
                    }
                    StringBuilder sql = new StringBuilder("SELECT ");
                    for (int i = 0; i < columns.size(); i++) {
                        sql.append(i == 0 ? "" : ", ").append(quote(columns.get(i)));
                    }
                    sql.append(" FROM ").append(quote(schema.getKey())).append('.').append(quote(relation));
                    String what = schema.getKey() + "." + relation;
                    try {
                        read(raw, sql.toString());
                    } catch (SQLException notReadable) {
                        continue; // not readable raw either (a relation of a feature the server does not run)
                    }
                    columnsSeen += columns.size();
                    Map<Integer, List<String>> seen;
                    try {
                        seen = read(analyst, sql.toString());
                    } catch (SQLException e) {
                        assertThat(holdsSecret(e.getMessage())).as("the refusal's message").isFalse();
                        if ("42501".equals(e.getSQLState())) {
                            refused.add(what);
                        } else {
                            failures.add(what + ": " + e.getSQLState() + " " + e.getMessage());
                        }
                        continue;
                    }
                    Set<String> safe = SystemRelations.safeColumns(dialect(), schema.getKey(), relation);
                    for (int i = 0; i < columns.size(); i++) {
                        String column = columns.get(i);
                        List<String> values = seen.get(i + 1);
                        if (values.stream().anyMatch(SystemColumnsSweepIT::holdsSecret)) {
                            leaks.add(what + "." + column);
                        }
                        if (safe.contains(column.toLowerCase(Locale.ROOT))) {
                            safeColumns++;
                        } else if (values.stream().anyMatch(v -> !redacted(v))) {
                            unmasked.add(what + "." + column);
                        } else if (values.stream().anyMatch(REDACTED::equals)) {
                            maskedWithValues++;
                        }
                    }
                }
            }
            System.out.println("[" + getClass().getSimpleName() + "] columns swept: " + columnsSeen + ", safe-listed: "
                    + safeColumns + ", masked with values shown redacted: " + maskedWithValues + ", relations refused: "
                    + refused.size() + "; leaked: " + leaks + "; not safe-listed and shown in clear: " + unmasked
                    + "; failed otherwise: " + failures);
            assertThat(columnsSeen).as("the sweep read the server's catalog").isGreaterThan(100);
            assertThat(leaks).as("system columns that hand a planted secret to a masked caller").isEmpty();
            assertThat(unmasked).as("system columns neither safe-listed nor masked for a masked caller").isEmpty();
            assertThat(failures).as("statements over system relations that failed otherwise than refused").isEmpty();
        }

        @Test
        void aCallerNoMaskAppliesToReadsTheCatalogAsItIs() throws Exception {
            for (String where : plantedWhere().subList(0, 1)) {
                assertThat(readAs(READER, where).values().stream().flatMap(List::stream)
                        .anyMatch(SystemColumnsSweepIT::holdsSecret)).as(where).isTrue();
                assertThat(readAs(ANALYST, where).values().stream().flatMap(List::stream)
                        .anyMatch(SystemColumnsSweepIT::holdsSecret)).as(where).isFalse();
            }
        }

        /**
         * Every getter's values, column by column (1-based), as text: getString, getObject (arrays and bytes as text),
         * getBytes, getCharacterStream, getAsciiStream. A getter that refuses a value (a masked binary value has no
         * text form; a type has no stream) shows nothing of it.
         */
        static Map<Integer, List<String>> read(Connection c, String sql) throws SQLException {
            Map<Integer, List<String>> byColumn = new LinkedHashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                int columns = rs.getMetaData().getColumnCount();
                for (int i = 1; i <= columns; i++) {
                    byColumn.put(i, new ArrayList<>());
                }
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        List<String> seen = byColumn.get(i);
                        try {
                            seen.add(rs.getString(i));
                        } catch (SQLException refused) {
                            // no text form
                        }
                        try {
                            Object o = rs.getObject(i);
                            seen.add(o == null ? null : o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
                                    : o instanceof java.sql.Array a ? java.util.Arrays.deepToString((Object[]) a.getArray())
                                    : o instanceof Object[] a ? java.util.Arrays.deepToString(a) : o.toString());
                        } catch (SQLException refused) {
                            // no object form
                        }
                        try {
                            byte[] b = rs.getBytes(i);
                            seen.add(b == null ? null : new String(b, StandardCharsets.UTF_8));
                        } catch (SQLException refused) {
                            // no bytes form
                        }
                        try (java.io.Reader r = rs.getCharacterStream(i)) {
                            if (r != null) {
                                StringBuilder text = new StringBuilder();
                                char[] buf = new char[4096];
                                for (int n; (n = r.read(buf)) > 0; ) {
                                    text.append(buf, 0, n);
                                }
                                seen.add(text.toString());
                            }
                        } catch (SQLException | IOException refused) {
                            // no character stream
                        }
                        try (java.io.InputStream in = rs.getAsciiStream(i)) {
                            if (in != null) {
                                seen.add(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                            }
                        } catch (SQLException | IOException refused) {
                            // no ASCII stream
                        }
                    }
                }
            }
            return byColumn;
        }

        Map<Integer, List<String>> readAs(Identity identity, String sql) throws Exception {
            List<Map<Integer, List<String>>> out = new ArrayList<>();
            List<Exception> failed = new ArrayList<>();
            IdentityContext.runAs(identity, () -> {
                try (Connection c = governed.getConnection()) {
                    out.add(read(c, sql));
                } catch (SQLException e) {
                    failed.add(e);
                }
            });
            if (!failed.isEmpty()) {
                throw failed.get(0);
            }
            return out.get(0);
        }
    }

    @Nested
    @RequiresDatabase(TestDatabase.POSTGRESQL)
    class PostgreSql extends OnServer {
        private final String role = name + "_role";
        private final String wrapper = name + "_fdw";
        private long largeObject;

        @Override
        TestDatabase database() {
            return TestDatabase.POSTGRESQL;
        }

        @Override
        Dialect dialect() {
            return Dialect.POSTGRESQL;
        }

        @Override
        DataSource dataSource() {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(database().rawUrl());
            pg.setUser(database().user());
            return pg;
        }

        @Override
        void plant(Statement s) throws SQLException {
            String l = "'" + SECRET + "'";
            s.execute("CREATE SCHEMA " + name);
            s.execute("COMMENT ON SCHEMA " + name + " IS " + l);
            s.execute("CREATE TABLE " + name + ".t (id int PRIMARY KEY, email text DEFAULT " + l + ", note text)");
            s.execute("COMMENT ON TABLE " + name + ".t IS " + l);
            s.execute("COMMENT ON COLUMN " + name + ".t.note IS " + l);
            s.execute("INSERT INTO " + name + ".t SELECT g, " + l + ", " + l + " FROM generate_series(1, 200) g");
            s.execute("CREATE STATISTICS " + name + ".st (mcv) ON id, email FROM " + name + ".t");
            s.execute("ANALYZE " + name + ".t");
            s.execute("CREATE FUNCTION " + name + ".f() RETURNS int LANGUAGE sql SET app.cs_key = " + l + " RETURN 1");
            s.execute("CREATE SEQUENCE " + name + ".seq");
            s.execute("SELECT setval('" + name + ".seq', " + SEQUENCE_SECRET + ")");
            s.execute("CREATE ROLE " + role);
            s.execute("ALTER ROLE " + role + " SET app.cs_key = " + l);
            s.execute("ALTER ROLE " + role + " IN DATABASE " + TestDatabase.DATABASE + " SET app.cs_key = " + l);
            s.execute("CREATE FOREIGN DATA WRAPPER " + wrapper + " OPTIONS (token " + l + ")");
            s.execute("CREATE SERVER " + name + "_srv FOREIGN DATA WRAPPER " + wrapper + " OPTIONS (password " + l + ")");
            try (ResultSet rs = s.executeQuery("SELECT lo_from_bytea(0, convert_to(" + l + ", 'UTF8'))")) {
                rs.next();
                largeObject = rs.getLong(1);
            }
        }

        @Override
        void remove(Statement s) throws SQLException {
            s.execute("SELECT lo_unlink(" + largeObject + ") WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_largeobject_metadata"
                    + " WHERE oid = " + largeObject + ")");
            s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            s.execute("DROP SERVER IF EXISTS " + name + "_srv");
            s.execute("DROP FOREIGN DATA WRAPPER IF EXISTS " + wrapper);
            s.execute("DROP ROLE IF EXISTS " + role);
        }

        @Override
        List<String> plantedWhere() {
            return List.of(
                    "SELECT description FROM pg_catalog.pg_description",
                    "SELECT setconfig FROM pg_catalog.pg_db_role_setting",
                    "SELECT proconfig FROM pg_catalog.pg_proc WHERE proconfig IS NOT NULL",
                    "SELECT srvoptions FROM pg_catalog.pg_foreign_server",
                    "SELECT last_value FROM pg_catalog.pg_sequences",
                    "SELECT most_common_vals FROM pg_catalog.pg_stats WHERE schemaname = '" + name + "'",
                    "SELECT column_default FROM information_schema.columns WHERE table_schema = '" + name + "'",
                    "SELECT data FROM pg_catalog.pg_largeobject");
        }

        @Override
        String otherSessionsStatement() {
            return "SELECT pg_sleep(900) WHERE '" + SECRET + "' IS NOT NULL";
        }

        @Override
        void awaitRunning() throws Exception {
            for (int i = 0; i < 600; i++) {
                try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE query LIKE '%" + SECRET.substring(4)
                                + "%' AND state = 'active' AND pid <> pg_backend_pid()")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the other session's statement never showed in pg_stat_activity");
        }

        @Override
        Map<String, List<String>> relations(Connection c) throws SQLException {
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (String schema : List.of("pg_catalog", "information_schema")) {
                List<String> names = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT c.relname FROM pg_catalog.pg_class c"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + schema + "'"
                        + " AND c.relkind IN ('r', 'v', 'm', 'p', 'f') ORDER BY 1")) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
                out.put(schema, names);
            }
            return out;
        }

        @Override
        Map<String, List<String>> columns(Connection c, String schema) throws SQLException {
            return columnsByRelation(c, "SELECT c.relname, a.attname FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                    + " WHERE n.nspname = '" + schema + "' ORDER BY c.relname, a.attnum");
        }

        @Override
        String quote(String identifier) {
            return "\"" + identifier.replace("\"", "\"\"") + "\"";
        }
    }

    @Nested
    @RequiresDatabase(TestDatabase.MARIADB)
    class MariaDb extends OnServer {
        @Override
        TestDatabase database() {
            return TestDatabase.MARIADB;
        }

        @Override
        Dialect dialect() {
            return Dialect.MARIADB;
        }

        @Override
        DataSource dataSource() {
            try {
                MariaDbDataSource maria = new MariaDbDataSource(database().rawUrl());
                maria.setUser(database().user());
                maria.setPassword(database().password());
                return maria;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        void plant(Statement s) throws SQLException {
            String l = "'" + SECRET + "'";
            s.execute("CREATE DATABASE " + name + " COMMENT " + l);
            s.execute("CREATE TABLE " + name + ".t (id INT PRIMARY KEY, email VARCHAR(80) DEFAULT " + l
                    + " COMMENT " + l + ", note VARCHAR(80), KEY k (note) COMMENT " + l + ") COMMENT " + l);
            s.execute("INSERT INTO " + name + ".t SELECT seq, " + l + ", " + l + " FROM seq_1_to_200");
            s.execute("ANALYZE TABLE " + name + ".t PERSISTENT FOR ALL");
            s.execute("CREATE FUNCTION " + name + ".f() RETURNS INT DETERMINISTIC COMMENT " + l + " RETURN 1");
            s.execute("CREATE SEQUENCE " + name + ".seq");
            s.execute("SELECT SETVAL(" + name + ".seq, " + SEQUENCE_SECRET + ")");
        }

        @Override
        void remove(Statement s) throws SQLException {
            s.execute("DROP DATABASE IF EXISTS " + name);
        }

        @Override
        List<String> plantedWhere() {
            return List.of(
                    "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + name + "'",
                    "SELECT COLUMN_COMMENT, COLUMN_DEFAULT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + name + "'",
                    "SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + name + "'",
                    "SELECT INDEX_COMMENT FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '" + name + "'",
                    "SELECT ROUTINE_COMMENT FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '" + name + "'",
                    "SELECT comment FROM mysql.proc WHERE db = '" + name + "'",
                    "SELECT min_value, max_value FROM mysql.column_stats WHERE db_name = '" + name + "'");
        }

        @Override
        String otherSessionsStatement() {
            return "SELECT SLEEP(900), '" + SECRET + "'";
        }

        @Override
        void awaitRunning() throws Exception {
            for (int i = 0; i < 600; i++) {
                try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM"
                        + " information_schema.PROCESSLIST WHERE INFO LIKE '%" + SECRET.substring(4) + "%'"
                        + " AND ID <> CONNECTION_ID()")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the other session's statement never showed in the process list");
        }

        @Override
        Map<String, List<String>> relations(Connection c) throws SQLException {
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (String schema : List.of("information_schema", "mysql", "performance_schema", "sys")) {
                List<String> names = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM"
                        + " information_schema.TABLES WHERE TABLE_SCHEMA = '" + schema + "' ORDER BY 1")) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
                out.put(schema, names);
            }
            return out;
        }

        @Override
        Map<String, List<String>> columns(Connection c, String schema) throws SQLException {
            return columnsByRelation(c, "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS"
                    + " WHERE TABLE_SCHEMA = '" + schema + "' ORDER BY TABLE_NAME, ORDINAL_POSITION");
        }

        @Override
        String quote(String identifier) {
            return "`" + identifier.replace("`", "``") + "`";
        }
    }

    @Nested
    class H2 extends OnServer {
        @Override
        TestDatabase database() {
            return TestDatabase.H2;
        }

        @Override
        Dialect dialect() {
            return Dialect.H2;
        }

        @Override
        DataSource dataSource() {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(database().rawUrl());
            h2.setUser(database().user());
            return h2;
        }

        @Override
        void plant(Statement s) throws SQLException {
            String l = "'" + SECRET + "'";
            String schema = name.toUpperCase(Locale.ROOT);
            s.execute("CREATE SCHEMA " + schema);
            s.execute("COMMENT ON SCHEMA " + schema + " IS " + l);
            s.execute("CREATE TABLE " + schema + ".T (ID INT PRIMARY KEY, EMAIL VARCHAR(80) DEFAULT " + l + ", NOTE VARCHAR(80))");
            s.execute("COMMENT ON TABLE " + schema + ".T IS " + l);
            s.execute("COMMENT ON COLUMN " + schema + ".T.NOTE IS " + l);
            s.execute("CREATE SEQUENCE " + schema + ".SEQ");
            s.execute("ALTER SEQUENCE " + schema + ".SEQ RESTART WITH " + SEQUENCE_SECRET);
            s.execute("CREATE CONSTANT " + schema + ".C VALUE " + l);
            s.execute("COMMENT ON CONSTANT " + schema + ".C IS " + l);
        }

        @Override
        void remove(Statement s) throws SQLException {
            s.execute("DROP SCHEMA IF EXISTS " + name.toUpperCase(Locale.ROOT) + " CASCADE");
        }

        @Override
        List<String> plantedWhere() {
            String schema = name.toUpperCase(Locale.ROOT);
            return List.of(
                    "SELECT REMARKS FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = '" + schema + "'",
                    "SELECT REMARKS, COLUMN_DEFAULT FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = '" + schema + "'",
                    "SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_SCHEMA = '" + schema + "'",
                    "SELECT VALUE_DEFINITION, REMARKS FROM INFORMATION_SCHEMA.CONSTANTS",
                    "SELECT REMARKS FROM INFORMATION_SCHEMA.SCHEMATA");
        }

        @Override
        Map<String, List<String>> relations(Connection c) throws SQLException {
            List<String> names = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM"
                    + " INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'INFORMATION_SCHEMA' ORDER BY 1")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return Map.of("INFORMATION_SCHEMA", names);
        }

        @Override
        Map<String, List<String>> columns(Connection c, String schema) throws SQLException {
            return columnsByRelation(c, "SELECT TABLE_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS"
                    + " WHERE TABLE_SCHEMA = '" + schema + "' ORDER BY TABLE_NAME, ORDINAL_POSITION");
        }

        @Override
        String quote(String identifier) {
            return "\"" + identifier.replace("\"", "\"\"") + "\"";
        }
    }
}
