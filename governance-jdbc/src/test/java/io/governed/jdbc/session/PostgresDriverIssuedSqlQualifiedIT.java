package io.governed.jdbc.session;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/*
 * Every SQL text the governed driver itself sends to PostgreSQL, not only the constants of the classes known to hold
 * some ({@link PostgresCatalogQueriesQualifiedIT}), must name no function, operator, aggregate or type that the
 * application's search path could find before pg_catalog's.
 *
 * The recording: pgjdbc logs, at FINEST, each text it sends to the server (the extended protocol's Parse, the simple
 * protocol's Query), below every API the driver could use to run SQL (statements, prepared statements, savepoints,
 * pgjdbc's own metadata queries). A representative workload runs through jdbc:governed:postgresql:// as the
 * application, feature by feature; the application's own texts (as written, or with pgjdbc's $n for ?) are taken out;
 * what is left was sent by the driver, its audit sink or its approval store (on their own connections), or by pgjdbc
 * for a call of the driver. A feature that recorded no text of the driver's, or not the text it is meant to exercise,
 * fails the test: the check cannot pass by recording nothing.
 *
 * The check, once the workload ran (with no decoy in the database), under a path of decoys before pg_catalog
 * ({@link PostgresCatalogQueriesQualifiedIT#MAKE_DECOYS}), for each distinct text, parameters made NULL:
 * - a SELECT or WITH: made a view; the view must depend on no object of the decoys' schema;
 * - an INSERT, UPDATE, DELETE or MERGE: made the body of a SQL-standard function (BEGIN ATOMIC), whose dependencies
 *   PostgreSQL records as a view's; it must depend on no decoy;
 * - CREATE TABLE (and ALTER TABLE … ADD COLUMN): its columns made a table in a probe schema, in a transaction rolled
 *   back; its columns, defaults and constraints must depend on no decoy;
 * - any other text only when it is one of a closed list of forms that hold no expression and no type name
 *   (transaction control, savepoints, DISCARD ALL, RESET ROLE, an index on plain columns).
 * A text that fits none of these, or cannot be made a view or function, fails the test as unchecked.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresDriverIssuedSqlQualifiedIT {
    private static final TestDatabase DB = TestDatabase.POSTGRESQL;
    private static final String DECOYS = "os_decoy";
    private static final String PROBE = "os_probe";
    private static final String APP = "os_app";
    private static final String AUDIT = "os_audit_trail";
    private static final String APPROVALS = "os_approval";
    /** The application's search path: its own schema, then pg_catalog named explicitly, then public. */
    private static final String APP_PATH = APP + ", pg_catalog, public";
    private static final String CHECK_PATH = DECOYS + ", " + APP + ", pg_catalog, public";

    private static final Logger PGJDBC = Logger.getLogger("org.postgresql.core.v3.QueryExecutorImpl");
    private static final Wire WIRE = new Wire();
    /** The texts the application (this test) sent itself, as written. */
    private static final Set<String> APPLICATION = Collections.synchronizedSet(new LinkedHashSet<>());
    /** By feature, the distinct texts of the driver's recorded while it was exercised. */
    private static final Map<String, Set<String>> DRIVER = new LinkedHashMap<>();
    private static Path policy;
    /** Features whose workload failed, with how. */
    private static final Map<String, String> FAILED = new LinkedHashMap<>();

    /** Forms of texts without expressions or type names, each proven to depend on nothing the search path finds. */
    private static final List<Pattern> NO_EXPRESSION = List.of(
            Pattern.compile("(?i)BEGIN|COMMIT|ROLLBACK|DISCARD ALL|RESET ROLE|RESET SESSION AUTHORIZATION"),
            Pattern.compile("(?i)(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT) ([A-Za-z_][A-Za-z_0-9]*|\"[A-Za-z_0-9]+\")"),
            // pgjdbc's own, for setTransactionIsolation, getTransactionIsolation, setSchema and its connection set-up
            Pattern.compile("(?i)SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL"
                    + " (READ UNCOMMITTED|READ COMMITTED|REPEATABLE READ|SERIALIZABLE)"),
            Pattern.compile("(?i)SHOW TRANSACTION ISOLATION LEVEL"),
            Pattern.compile("(?i)SET (SESSION )?(search_path TO|application_name =) '[A-Za-z_0-9 ]*'"),
            Pattern.compile("(?i)(ROLLBACK TO SAVEPOINT [A-Za-z_][A-Za-z_0-9]*; RELEASE SAVEPOINT [A-Za-z_][A-Za-z_0-9]*)"),
            Pattern.compile("(?i)CREATE INDEX IF NOT EXISTS [A-Za-z_][A-Za-z_0-9.]* ON [A-Za-z_][A-Za-z_0-9.]*"
                    + " \\([A-Za-z_][A-Za-z_0-9]*(, ?[A-Za-z_][A-Za-z_0-9]*)*\\)"));
    private static final Pattern CREATE_TABLE = Pattern.compile("(?is)CREATE TABLE IF NOT EXISTS [A-Za-z_][A-Za-z_0-9.]*"
            + " \\((.*)\\)");
    private static final Pattern ADD_COLUMN = Pattern.compile("(?is)ALTER TABLE [A-Za-z_][A-Za-z_0-9.]* ADD COLUMN IF NOT"
            + " EXISTS (.*)");

    /** Records what pgjdbc sends while on; FINEST is where pgjdbc logs each text before it sends it. */
    private static final class Wire extends Handler {
        private final List<String> texts = Collections.synchronizedList(new ArrayList<>());
        private final List<String> unrecordable = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean on;

        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            Object[] parameters = record.getParameters();
            if (!on || message == null) {
                return;
            }
            int query = message.indexOf(",query=\"");
            int oids = message.lastIndexOf("\",oids={");
            if (message.contains("FE=> Parse(") && query > 0 && oids > query) {
                texts.add(message.substring(query + ",query=\"".length(), oids));
            } else if (message.contains("FE=> Parse(")) {
                unrecordable.add(message.strip());
            } else if (message.contains("FE=> SimpleQuery(") && parameters != null && parameters.length > 0) {
                texts.add(String.valueOf(parameters[0]));
            } else if (message.contains("FE=> FunctionCall") || message.contains("FE=> Query(CopyStart)")) {
                unrecordable.add(message.strip());
            }
        }

        List<String> take() {
            synchronized (texts) {
                List<String> taken = List.copyOf(texts);
                texts.clear();
                return taken;
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @BeforeAll
    static void recordTheWorkload() throws Exception {
        dropAll();
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + APP);
            s.execute("CREATE SCHEMA " + PROBE);
            s.execute("CREATE TABLE " + APP + ".orders (id pg_catalog.int4 PRIMARY KEY, visible pg_catalog.bool NOT NULL,"
                    + " note pg_catalog.text, email pg_catalog.text)");
            s.execute("CREATE TABLE " + APP + ".staging (id pg_catalog.int4, visible pg_catalog.bool NOT NULL,"
                    + " note pg_catalog.text, email pg_catalog.text)");
            s.execute("INSERT INTO " + APP + ".orders VALUES (1, true, 'one', 'ann@example.com'),"
                    + " (2, false, 'two', 'bob@example.com')");
            s.execute("INSERT INTO " + APP + ".staging VALUES (21, true, 'staged', 'cy@example.com')");
            s.execute("CREATE TABLE " + APP + ".contacts (id pg_catalog.int4, note pg_catalog.text)");
            s.execute("INSERT INTO " + APP + ".contacts VALUES (1, 'dee@example.com'), (2, 'eve@example.com'),"
                    + " (3, 'fay@example.com')");
            s.execute("CREATE VIEW " + APP + ".v_contacts AS SELECT id, note FROM " + APP + ".contacts");
            s.execute("CREATE TABLE " + APP + ".parts (id pg_catalog.int4, region pg_catalog.text)"
                    + " PARTITION BY LIST (region)");
            s.execute("CREATE TABLE " + APP + ".parts_a PARTITION OF " + APP + ".parts FOR VALUES IN ('a')");
            s.execute("CREATE TABLE " + APP + ".ledger (id pg_catalog.int4, archived pg_catalog.bool)");
            s.execute("CREATE FUNCTION " + APP + ".f_note(i pg_catalog.int4) RETURNS pg_catalog.text LANGUAGE sql STABLE"
                    + " AS 'SELECT ''note'''");
        }
        policy = Files.createTempFile("os-driver-sql", ".yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                classification:
                  auto-detect: true
                  tags:
                    pii.email: ["*.email"]
                rules:
                  - { id: everything, effect: permit, actions: ["*"], resources: ["*"] }
                masks:
                  - { id: mask-email, columns: { tags: [pii.email] }, function: email }
                row-filters:
                  - id: visible-only
                    tables: ["%1$s.orders"]
                    filter: "note IS NOT NULL"
                approvals:
                  - id: ledger-deletes
                    actions: [delete]
                    resources: ["%1$s.ledger"]
                    approvers: { groups: [dba] }
                    ttl: 1h
                """.formatted(APP));
        Level level = PGJDBC.getLevel();
        boolean parents = PGJDBC.getUseParentHandlers();
        PGJDBC.setLevel(Level.FINEST);
        PGJDBC.setUseParentHandlers(false);
        PGJDBC.addHandler(WIRE);
        WIRE.on = true;
        try {
            workload();
        } finally {
            WIRE.on = false;
            driverTexts("between features", WIRE.take());
            PGJDBC.removeHandler(WIRE);
            PGJDBC.setUseParentHandlers(parents);
            PGJDBC.setLevel(level);
        }
    }

    private static void workload() throws Exception {
        Properties settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.principal", "os-app");
        settings.setProperty("governed.kind", "service");
        settings.setProperty("governed.audit", DB.rawUrl() + "&user=" + DB.user() + "#table=" + AUDIT);
        settings.setProperty("governed.approvals", DB.rawUrl() + "#table=" + APPROVALS);
        settings.setProperty("governed.approvals.user", DB.user());
        settings.setProperty("governed.approvals.password", DB.password());
        Properties properties = new Properties();
        properties.setProperty("user", DB.user());
        properties.setProperty("password", DB.password());
        properties.putAll(settings);
        feature("connect", () -> {
        });
        try (Connection c = java.sql.DriverManager.getConnection(DB.governedUrl(), properties);
             Statement s = c.createStatement()) {
            feature("connect", () -> app(s, "SET search_path TO " + APP_PATH));
            feature("names of tables, views and partitions", () -> {
                app(s, "SELECT id FROM contacts");
                app(s, "SELECT id FROM v_contacts");
                app(s, "SELECT id FROM parts");
                app(s, "SELECT id FROM parts_a");
            });
            feature("routines", () -> app(s, "SELECT f_note(1)"));
            feature("writes analysed for code", () -> {
                app(s, "INSERT INTO contacts (id, note) VALUES (4, 'gus@example.com')");
                app(s, "INSERT INTO parts (id, region) VALUES (1, 'a')");
                app(s, "UPDATE contacts SET note = 'hal@example.com' WHERE id IS NULL");
            });
            feature("auto-detection's sample", () -> app(s, "SELECT upper(note) FROM contacts"));
            feature("row filter rewrite", () -> {
                app(s, "SELECT id, note, email FROM orders");
                app(s, "UPDATE orders SET email = 'seen@example.com' WHERE visible");
                app(s, "DELETE FROM orders WHERE visible IS FALSE AND note IS NULL");
            });
            feature("row filter new-row checks", () -> {
                app(s, "INSERT INTO orders (id, visible, note, email) VALUES (10, true, 'ten', 'ten@example.com')");
                String prepared = "INSERT INTO orders (id, visible, note, email) VALUES (?, ?, ?, ?)";
                APPLICATION.add(prepared);
                try (PreparedStatement ps = c.prepareStatement(prepared)) {
                    ps.setInt(1, 11);
                    ps.setBoolean(2, true);
                    ps.setString(3, "eleven");
                    ps.setString(4, "eleven@example.com");
                    ps.executeUpdate();
                }
                app(s, "INSERT INTO orders (id, visible, note) SELECT id, visible, note FROM staging");
            });
            feature("transaction with savepoints", () -> {
                c.setAutoCommit(false);
                app(s, "SELECT id FROM contacts");
                Savepoint savepoint = c.setSavepoint("os_sp");
                app(s, "INSERT INTO contacts (id, note) VALUES (5, 'ida@example.com')");
                app(s, "SELECT upper(note) FROM v_contacts");
                c.rollback(savepoint);
                app(s, "SELECT id, email FROM orders");
                c.commit();
                c.setAutoCommit(true);
            });
            feature("session reset for another identity", () -> {
                app(s, "SET os.flag = 'left'");
                IdentityContext.runAs(Identity.builder("os-other").kind(io.governed.identity.IdentityKind.SERVICE)
                        .build(), () -> app(s, "SELECT id FROM contacts"));
                app(s, "SET search_path TO " + APP_PATH);
                app(s, "SELECT id FROM contacts");
            });
            feature("approvals", () -> {
                for (int i = 0; i < 2; i++) {
                    GovernanceException pending = catchThrowableOfType(GovernanceException.class,
                            () -> app(s, "DELETE FROM ledger WHERE archived"));
                    assertThat((Throwable) pending).as("the DELETE waits for approval").isNotNull();
                }
            });
        }
        feature("audit to PostgreSQL", () -> {
            String count = "SELECT pg_catalog.count(*) FROM public." + AUDIT;
            for (int i = 0; i < 100; i++) { // the sink writes on its own thread
                try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
                    APPLICATION.add(count);
                    if (tableExists(s, "public." + AUDIT)) {
                        try (ResultSet rs = s.executeQuery(count)) {
                            rs.next();
                            if (rs.getLong(1) > 20) {
                                break;
                            }
                        }
                    }
                }
                Thread.sleep(100);
            }
        });
    }

    private static boolean tableExists(Statement s, String table) throws SQLException {
        String sql = "SELECT pg_catalog.to_regclass('" + table + "') IS NOT NULL";
        APPLICATION.add(sql);
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static void feature(String name, Work work) throws Exception {
        driverTexts("between features", WIRE.take()); // connecting, closing: the driver's too
        try {
            work.run();
        } catch (Exception | AssertionError e) {
            FAILED.put(name, e.toString());
        } finally {
            driverTexts(name, WIRE.take());
        }
    }

    /** Of {@code recorded}, those the application did not send itself, as the driver's while {@code feature} ran. */
    private static void driverTexts(String feature, List<String> recorded) {
        Set<String> driver = DRIVER.computeIfAbsent(feature, n -> new LinkedHashSet<>());
        for (String text : recorded) {
            String asWritten = text.strip().replaceAll("\\$[0-9]+", "?");
            if (!APPLICATION.contains(asWritten)) {
                driver.add(text.strip());
            }
        }
    }

    private static void app(Statement s, String sql) throws SQLException {
        APPLICATION.add(sql);
        s.execute(sql);
        for (ResultSet rs = s.getResultSet(); rs != null; rs = null) {
            while (rs.next()) {
                rs.getObject(1);
            }
            rs.close();
        }
    }

    @AfterAll
    static void dropAll() throws Exception {
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement()) {
            boolean decoys = schemaExists(s, DECOYS);
            s.execute("DROP SCHEMA IF EXISTS " + DECOYS + ", " + PROBE + ", " + APP + " CASCADE");
            s.execute("DROP TABLE IF EXISTS public." + AUDIT + ", public." + APPROVALS + "_requests, public." + APPROVALS
                    + "_votes, public." + APPROVALS + "_keys");
            if (decoys) {
                Thread.sleep(1_100);
            }
        }
        if (policy != null) {
            Files.deleteIfExists(policy);
        }
    }

    private static boolean schemaExists(Statement s, String schema) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname OPERATOR(pg_catalog.=) '"
                + schema + "'")) {
            return rs.next();
        }
    }

    @Test
    void everyFeatureSentTextsOfTheDriversOwnThatTheRecordingSaw() {
        Map<String, Predicate<String>> meant = new LinkedHashMap<>();
                meant.put("names of tables, views and partitions", t -> t.contains("pg_catalog.pg_class"));
        meant.put("routines", t -> t.contains("pg_catalog.pg_proc"));
        meant.put("writes analysed for code", t -> t.contains("pg_catalog.pg_trigger") || t.contains("pg_attrdef")
                || t.contains("pg_catalog.pg_constraint"));
        meant.put("auto-detection's sample", t -> t.startsWith("SELECT \"note\" FROM \"" + APP + "\".\"contacts\""));
        meant.put("row filter rewrite", t -> t.contains("note IS NOT NULL") && t.startsWith("SELECT"));
        meant.put("row filter new-row checks", t -> t.contains("note IS NOT NULL") && t.contains("CASE WHEN"));
        meant.put("transaction with savepoints", t -> t.startsWith("SAVEPOINT"));
        meant.put("session reset for another identity", t -> t.equals("DISCARD ALL"));
        meant.put("approvals", t -> t.contains(APPROVALS));
                Map<String, String> missing = new LinkedHashMap<>();
        for (Map.Entry<String, Predicate<String>> feature : meant.entrySet()) {
            Set<String> texts = DRIVER.getOrDefault(feature.getKey(), Set.of());
            if (texts.isEmpty()) {
                missing.put(feature.getKey(), "no text of the driver's recorded");
            } else if (texts.stream().noneMatch(feature.getValue())) {
                missing.put(feature.getKey(), "not the text it is meant to exercise; recorded: " + texts);
            }
        }
        assertThat(FAILED).as("features whose workload failed").isEmpty();
        assertThat(DRIVER.values().stream().flatMap(Set::stream).filter(t -> t.startsWith("INSERT INTO " + AUDIT)))
                .as("the audit sink's writes, on its own thread").isNotEmpty();
        assertThat(WIRE.unrecordable).as("pgjdbc calls whose SQL the recording cannot read").isEmpty();
        assertThat(missing).as("features the recording saw no SQL of the driver's for").isEmpty();
    }

    @Test
    void everyTextTheDriverSentNamesOnlyTheSystemsOwnFunctionsOperatorsAndTypes() throws Exception {
        checkTexts(t -> !t.contains(APPROVALS + "_"));
    }

    @Test
    void everyTextTheApprovalStoreSentNamesOnlyTheSystemsOwnFunctionsOperatorsAndTypes() throws Exception {
        checkTexts(t -> t.contains(APPROVALS + "_"));
    }

    private static void checkTexts(Predicate<String> which) throws Exception {
        Set<String> texts = new LinkedHashSet<>();
        DRIVER.values().forEach(all -> all.stream().filter(which).forEach(texts::add));
        assertThat(texts).isNotEmpty();
        Map<String, List<String>> unqualified = new LinkedHashMap<>();
        withDecoys(s -> {
            for (String text : texts) {
                List<String> found = decoysUsedBy(s, text);
                if (!found.isEmpty()) {
                    unqualified.put(text, found);
                }
            }
        });
        assertThat(unqualified)
                .as("texts the driver sent that name a function, aggregate, operator or type the search path finds"
                        + " (qualify each with pg_catalog: pg_catalog.f(...), OPERATOR(pg_catalog.=), ::pg_catalog.text)")
                .isEmpty();
    }

    @Test
    void theCheckFindsWhatAnUnqualifiedTextUses() throws Exception {
        withDecoys(s -> {
            assertThat(decoysUsedBy(s, "SELECT id FROM orders WHERE id = $1")).as("a query").isNotEmpty();
            assertThat(decoysUsedBy(s, "UPDATE orders SET note = lower(note) WHERE id OPERATOR(pg_catalog.=) $1"))
                    .as("a write").isNotEmpty();
            assertThat(decoysUsedBy(s, "CREATE TABLE IF NOT EXISTS t (a VARCHAR(4), b TEXT)")).as("a table").isNotEmpty();
            assertThat(decoysUsedBy(s, "SET search_path = x")).as("a text of no known form").isNotEmpty();
            assertThat(decoysUsedBy(s, "SELECT id FROM orders WHERE id OPERATOR(pg_catalog.=) $1")).isEmpty();
            assertThat(decoysUsedBy(s, "UPDATE orders SET note = pg_catalog.lower(note) WHERE visible")).isEmpty();
            assertThat(decoysUsedBy(s, "CREATE TABLE IF NOT EXISTS t (a VARCHAR(4), b pg_catalog.text)")).isEmpty();
        });
    }

    @Test
    void aRowFilterConditionNamingAShadowedBuiltInIsRefusedBeforeItRuns() throws Exception {
        Path tenantPolicy = Files.createTempFile("os-tenant", ".yaml");
        Files.writeString(tenantPolicy, """
                version: 1
                rules:
                  - { id: everything, effect: permit, actions: ["*"], resources: ["*"] }
                row-filters:
                  - id: own-notes
                    tables: ["%s.orders"]
                    filter: "note = :identity.tenant"
                """.formatted(APP));
        try {
            withDecoys(raw -> {
                Properties settings = new Properties();
                settings.setProperty("governed.policy", tenantPolicy.toString());
                settings.setProperty("governed.attribute.tenant", "one");
                try (Connection c = DB.connectGoverned(settings); Statement s = c.createStatement()) {
                    s.execute("SET search_path TO " + APP_PATH);
                    GovernanceException refused = catchThrowableOfType(GovernanceException.class,
                            () -> s.executeQuery("SELECT id FROM orders"));
                    assertThat((Throwable) refused).isNotNull();
                    assertThat(refused.getSQLState()).isEqualTo(GovernanceException.SQLSTATE_DENIED);
                    assertThat(refused.getMessage()).contains("own-notes").contains("outside pg_catalog");
                }
            });
        } finally {
            Files.deleteIfExists(tenantPolicy);
        }
    }

    private interface OnDecoys {
        void run(Statement s) throws Exception;
    }

    /** Runs {@code work} on a raw session under the path of decoys, the decoys made for it and dropped after. */
    private static synchronized void withDecoys(OnDecoys work) throws Exception {
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + DECOYS);
            try {
                s.execute(String.format(Locale.ROOT, PostgresCatalogQueriesQualifiedIT.MAKE_DECOYS, DECOYS,
                        PostgresCatalogQueriesQualifiedIT.RAISE));
                Thread.sleep(1_100);
                s.execute("SET search_path = " + CHECK_PATH);
                work.run(s);
            } finally {
                s.execute("RESET search_path");
                s.execute("DROP SCHEMA " + DECOYS + " CASCADE");
                Thread.sleep(1_100);
            }
        }
    }

    /**
     * The decoys {@code text} depends on under the path of decoys, as the database resolves its names; a text that
     * cannot be checked is reported as such.
     */
    private static List<String> decoysUsedBy(Statement s, String text) throws SQLException {
        String sql = text.replaceAll("\\$[0-9]+", "NULL");
        String start = sql.stripLeading().toUpperCase(Locale.ROOT);
        for (Pattern form : NO_EXPRESSION) {
            if (form.matcher(sql.strip()).matches()) {
                return List.of();
            }
        }
        Matcher table = CREATE_TABLE.matcher(sql.strip());
        Matcher column = ADD_COLUMN.matcher(sql.strip());
        String probe;
        String kind;
        if (start.startsWith("SELECT") || start.startsWith("WITH") || start.startsWith("(")) {
            probe = "CREATE VIEW " + PROBE + ".q AS SELECT 1 AS one FROM (" + sql + ") AS q";
            kind = "view";
        } else if (start.startsWith("INSERT") || start.startsWith("UPDATE") || start.startsWith("DELETE")
                || start.startsWith("MERGE")) {
            probe = "CREATE FUNCTION " + PROBE + ".q() RETURNS void LANGUAGE sql BEGIN ATOMIC " + sql + "; END";
            kind = "function";
        } else if (table.matches() || column.matches()) {
            probe = "CREATE TABLE " + PROBE + ".q (" + (table.matches() ? table.group(1) : column.group(1)) + ")";
            kind = "table";
        } else {
            return List.of("not checked: neither a query, a row change, a table nor a form known to hold no expression");
        }
        List<String> used = new ArrayList<>();
        Connection c = s.getConnection();
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            s.execute(probe);
            String self = switch (kind) {
                case "view" -> "d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid"
                        + " OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT r.oid FROM pg_catalog.pg_rewrite r WHERE r.ev_class OPERATOR(pg_catalog.=) '"
                        + PROBE + ".q'::pg_catalog.regclass))";
                case "function" -> "d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid"
                        + " OPERATOR(pg_catalog.=) '" + PROBE + ".q()'::pg_catalog.regprocedure";
                default -> "(d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid"
                        + " OPERATOR(pg_catalog.=) '" + PROBE + ".q'::pg_catalog.regclass) OR (d.classid"
                        + " OPERATOR(pg_catalog.=) 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT a.oid"
                        + " FROM pg_catalog.pg_attrdef a WHERE a.adrelid OPERATOR(pg_catalog.=) '" + PROBE
                        + ".q'::pg_catalog.regclass))) OR (d.classid OPERATOR(pg_catalog.=)"
                        + " 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT k.oid FROM"
                        + " pg_catalog.pg_constraint k WHERE k.conrelid OPERATOR(pg_catalog.=) '" + PROBE
                        + ".q'::pg_catalog.regclass)))";
            };
            try (ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_describe_object(d.refclassid, d.refobjid, 0)"
                    + " FROM pg_catalog.pg_depend d WHERE (" + self + ") AND (pg_catalog.pg_identify_object(d.refclassid,"
                    + " d.refobjid, 0)).schema OPERATOR(pg_catalog.=) '" + DECOYS + "' ORDER BY 1")) {
                while (rs.next()) {
                    used.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            used.add("not checked: cannot be made a " + kind + " (" + e.getSQLState() + "): " + e.getMessage());
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
        return used;
    }
}
