package io.governed.jdbc.session;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.approval.JdbcApprovalStore;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.JdbcSink;
import io.governed.jdbc.support.ServerWide;
import io.governed.policy.approval.ApprovalRequest;
import io.governed.policy.approval.ApprovalStatus;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
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
 * The features: names of tables, views, partitions and routines; writes analysed for code; auto-detection's sample;
 * the row filter's rewrites (SELECT, UPDATE, DELETE, MERGE) and its checks of new rows (INSERT, INSERT … SELECT, MERGE's
 * WHEN NOT MATCHED, insertRow); savepoints; setSchema; CALL (the routine's look-up); the identity switch on a kept
 * connection and a pooled GovernedDataSource's hand-back (RESET SESSION AUTHORIZATION, RESET ROLE after a SET ROLE;
 * DISCARD ALL and what is set again after it); the approval store's tables, request, list, read, vote and decision,
 * expiry condition and consumption; the audit sink's table, its batch and its one-by-one retry after a batch failed on
 * a key. The classes that send SQL of their own are JdbcApprovalStore, JdbcSink, GovernedConnection (sample, new-row
 * checks, role reset), SessionReset, CatalogQuery, PostgresSessionReader and PostgresRoutineCatalog; GovernedConnection's
 * "SELECT 1" after an abort only reaches a closed connection (no text is sent), and RowWriteStatement and
 * BaseColumnsRead make texts that are analysed by the gate, never sent.
 *
 * What is the application's: the texts it wrote, and what pgjdbc sends for the application's own calls. An updatable
 * result set's updateRow, insertRow and deleteRow make pgjdbc send its primary key look-up and an UPDATE, INSERT or
 * DELETE built from the table the application's query names ({@code UPDATE orders SET "visible" = $1 WHERE "id" = $2}),
 * as it would without the driver: those are learned by making the same calls on a plain connection first and counted
 * as the application's; the driver's own texts there are the filtered read and the new row's check. The application's
 * texts name no operator or function (the parser reads no OPERATOR(…)), so anything a rewrite holds that the search
 * path resolves was put there by the driver. The pool under the GovernedDataSource sends nothing of its own (a real
 * pool's calls, HikariCP's getSchema say, are pgjdbc's texts for the pool).
 *
 * The check, once the workload ran (with no decoy in the database), for each distinct text, parameters made NULL, under
 * two paths: decoys before pg_catalog, and pg_catalog first. The decoys are copies of pg_catalog's functions, operators,
 * aggregates and types ({@link PostgresCatalogQueriesQualifiedIT#MAKE_DECOYS}), which win where the path puts them
 * first, and ones that match better than pg_catalog's for varchar, name and integer arguments ({@link #BETTER_DECOYS}:
 * {@code =(varchar, varchar)}, {@code lower(varchar)}, {@code ||(name, name)}, {@code =(int4, numeric)}, …), which
 * PostgreSQL takes over pg_catalog's wherever the path puts them:
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
@ServerWide("SET ROLE / SESSION AUTHORIZATION, databases")
class PostgresDriverIssuedSqlQualifiedIT {
    /**
     * A database of the test's own: while it runs, the decoys shadow pg_catalog's built-ins for every session whose path
     * names their schema, and the driver refuses statements on a database holding such shadows; in the shared database
     * {@code test} that would refuse other tests' statements for the moment the decoys exist.
     */
    private static final OwnDatabase DB = new OwnDatabase("governed_driversql");
    private static final String DECOYS = "ds_decoy";
    private static final String PROBE = "ds_probe";
    private static final String APP = "ds_app";
    /** The schema of the audit sink's and approval store's tables (never public: the database is shared). */
    private static final String STORE = "ds_store";
    private static final String AUDIT = STORE + ".ds_audit_trail";
    private static final String AUDIT_RETRY = STORE + ".ds_audit_retry";
    private static final String APPROVALS = "ds_approval";
    private static final String APPROVALS_URL = DB.rawUrl() + "&currentSchema=" + STORE;
    /** The application's search path: its own schema, then pg_catalog named explicitly, then public. */
    private static final String APP_PATH = APP + ", pg_catalog, public";
    /** Paths the texts are checked under: the decoys before pg_catalog, and after it (where only better matches win). */
    private static final String CHECK_PATH = DECOYS + ", " + APP + ", " + STORE + ", pg_catalog, public";
    private static final String CATALOG_FIRST_PATH = "pg_catalog, " + DECOYS + ", " + APP + ", " + STORE + ", public";

    private static final Logger PGJDBC = Logger.getLogger("org.postgresql.core.v3.QueryExecutorImpl");
    private static final Wire WIRE = new Wire();
    /** The texts the application (this test) sent itself, as written. */
    private static final Set<String> APPLICATION = Collections.synchronizedSet(new LinkedHashSet<>());
    /** By feature, the distinct texts of the driver's recorded while it was exercised. */
    private static final Map<String, Set<String>> DRIVER = new LinkedHashMap<>();
    private static Path policy;
    /** The same policy without classification by samples, under which only the tagged column is masked. */
    private static Path exactPolicy;
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

    /**
     * Decoys that match better than pg_catalog's own for the arguments the driver's texts pass (in schema %1$s, each
     * raising when called, body %2$s): pg_catalog compares and concatenates varchar and name values with its text
     * operators and functions after a coercion, so an operator or function of the same name over varchar or name (or
     * int4, int8 for numeric) is an exact match, which PostgreSQL takes over pg_catalog's wherever the path puts it.
     * Each operator with a text (numeric) operand gets one for every combination of text, varchar and name (numeric,
     * int4, int8) operands; each function with text arguments one over varchar and one over name.
     */
    static final String BETTER_DECOYS = """
            DO $$
            DECLARE r record; body text := %2$s; n int := 0; l text; rt text; k int; which text;
              texts text[] := ARRAY['pg_catalog.text', 'pg_catalog.varchar', 'pg_catalog.name'];
              numerics text[] := ARRAY['pg_catalog.numeric', 'pg_catalog.int4', 'pg_catalog.int8'];
            BEGIN
              FOR r IN SELECT o.oprname, o.oprleft, o.oprright, pg_catalog.format_type(o.oprresult, NULL) AS res
                  FROM pg_catalog.pg_operator o WHERE o.oprnamespace = 'pg_catalog'::pg_catalog.regnamespace
                  AND o.oprleft <> 0 AND (o.oprleft IN ('pg_catalog.text'::pg_catalog.regtype, 'pg_catalog.numeric'::pg_catalog.regtype)
                  OR o.oprright IN ('pg_catalog.text'::pg_catalog.regtype, 'pg_catalog.numeric'::pg_catalog.regtype)) LOOP
                FOR k IN 0..8 LOOP
                  l := CASE r.oprleft WHEN 'pg_catalog.text'::pg_catalog.regtype THEN texts[k / 3 + 1]
                    WHEN 'pg_catalog.numeric'::pg_catalog.regtype THEN numerics[k / 3 + 1]
                    ELSE pg_catalog.format_type(r.oprleft, NULL) END;
                  rt := CASE r.oprright WHEN 'pg_catalog.text'::pg_catalog.regtype THEN texts[pg_catalog.mod(k, 3) + 1]
                    WHEN 'pg_catalog.numeric'::pg_catalog.regtype THEN numerics[pg_catalog.mod(k, 3) + 1]
                    ELSE pg_catalog.format_type(r.oprright, NULL) END;
                  n := n + 1;
                  BEGIN
                    EXECUTE pg_catalog.format('CREATE FUNCTION %1$s.qf_better_%%s(%%s, %%s) RETURNS %%s LANGUAGE plpgsql AS %%L',
                      n, l, rt, r.res, body);
                    EXECUTE pg_catalog.format('CREATE OPERATOR %1$s.%%s (LEFTARG = %%s, RIGHTARG = %%s, FUNCTION = %1$s.qf_better_%%s)',
                      r.oprname, l, rt, n);
                  EXCEPTION WHEN OTHERS THEN NULL;
                  END;
                END LOOP;
              END LOOP;
              FOR r IN SELECT p.proname, p.proargtypes::pg_catalog.oid[] AS args, pg_catalog.format_type(p.prorettype, NULL) AS ret,
                  p.proretset FROM pg_catalog.pg_proc p
                  WHERE p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace AND p.prokind = 'f'
                  AND 'pg_catalog.text'::pg_catalog.regtype = ANY (p.proargtypes::pg_catalog.oid[]) LOOP
                FOREACH which IN ARRAY texts[2:3] LOOP
                  BEGIN
                    EXECUTE pg_catalog.format('CREATE FUNCTION %1$s.%%I(%%s) RETURNS %%s%%s LANGUAGE plpgsql AS %%L', r.proname,
                      (SELECT pg_catalog.string_agg(CASE WHEN a.t = 'pg_catalog.text'::pg_catalog.regtype THEN which
                        ELSE pg_catalog.format_type(a.t, NULL) END, ', ' ORDER BY a.i)
                       FROM pg_catalog.unnest(r.args) WITH ORDINALITY AS a(t, i)),
                      CASE WHEN r.proretset THEN 'SETOF ' ELSE '' END, r.ret, body);
                  EXCEPTION WHEN OTHERS THEN NULL;
                  END;
                END LOOP;
              END LOOP;
            END $$""";

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
        DB.createIfMissing();
        dropAll();
        try (Connection c = DB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + APP);
            s.execute("CREATE SCHEMA " + PROBE);
            s.execute("CREATE SCHEMA " + STORE);
            // varchar and name values, for which a decoy can match better than pg_catalog's text functions and operators
            s.execute("CREATE TABLE " + APP + ".codes (code pg_catalog.varchar(10), label pg_catalog.name)");
            s.execute("CREATE PROCEDURE " + APP + ".p_touch(INOUT n pg_catalog.text) LANGUAGE sql"
                    + " AS 'SELECT ''touched''::pg_catalog.text'");
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
        policy = Files.createTempFile("ds-driver-sql", ".yaml");
        exactPolicy = Files.createTempFile("ds-driver-sql-exact", ".yaml");
        String policyText = """
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
                """.formatted(APP);
        Files.writeString(policy, policyText);
        Files.writeString(exactPolicy, policyText.replace("auto-detect: true", "auto-detect: false"));
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
        settings.setProperty("governed.principal", "ds-app");
        settings.setProperty("governed.kind", "service");
        settings.setProperty("governed.audit", DB.rawUrl() + "&user=" + DB.user() + "#table=" + AUDIT);
        settings.setProperty("governed.approvals", APPROVALS_URL + "#table=" + APPROVALS);
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
                Savepoint savepoint = c.setSavepoint("ds_sp");
                app(s, "INSERT INTO contacts (id, note) VALUES (5, 'ida@example.com')");
                app(s, "SELECT upper(note) FROM v_contacts");
                c.rollback(savepoint);
                app(s, "SELECT id, email FROM orders");
                c.commit();
                c.setAutoCommit(true);
            });
            feature("session reset for another identity", () -> {
                app(s, "SET ds.flag = 'left'");
                IdentityContext.runAs(Identity.builder("ds-other").kind(io.governed.identity.IdentityKind.SERVICE)
                        .build(), () -> app(s, "SELECT id FROM " + APP + ".contacts")); // the path as opened
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
            feature("approval decisions", () -> {
                // as the approvals command does: list, read, approve; then the statement runs and uses the approval up
                JdbcApprovalStore store = new JdbcApprovalStore(APPROVALS_URL, DB.user(), DB.password(), APPROVALS,
                        Clock.systemUTC());
                List<ApprovalRequest> pending = store.list(Set.of(ApprovalStatus.PENDING));
                assertThat(pending).as("the DELETE's request").hasSize(1);
                assertThat(store.find(pending.get(0).id())).isPresent();
                store.decide(pending.get(0).id(), Identity.builder("ds-dba").groups("dba").build(), true, true, "checked");
                assertThat(store.list(EnumSet.allOf(ApprovalStatus.class), 0, 10)).hasSize(1);
                assertThat(store.list(Set.of(ApprovalStatus.EXPIRED))).isEmpty();
                app(s, "DELETE FROM ledger WHERE archived");
                assertThat(store.list(Set.of(ApprovalStatus.CONSUMED))).as("the approval, used up").hasSize(1);
            });
            feature("setSchema", () -> {
                c.setSchema(APP);
                app(s, "SET search_path TO " + APP_PATH);
            });
            // pgjdbc's own texts for an updatable result set (the primary key's look-up, its UPDATE, INSERT and DELETE
            // built from the query's table and the result's columns) are the application's: pgjdbc sends them for the
            // application's calls, governed or not; they are learned on a plain connection making the same calls
            try (Connection raw = DB.connectRaw(); Statement rs = raw.createStatement()) {
                rs.execute("SET search_path TO " + APP_PATH);
                driverTexts("between features", WIRE.take());
                try {
                    writeThroughResultSets(raw);
                } finally {
                    WIRE.take().forEach(text -> APPLICATION.add(text.strip().replaceAll("\\$[0-9]+", "?")));
                }
            }
            Properties exact = new Properties();
            exact.putAll(properties);
            exact.setProperty("governed.policy", exactPolicy.toString());
            feature("updatable result sets", () -> {
                try (Connection u = java.sql.DriverManager.getConnection(DB.governedUrl(), exact);
                     Statement us = u.createStatement()) {
                    app(us, "SET search_path TO " + APP_PATH);
                    writeThroughResultSets(u);
                }
            });
            feature("MERGE and CALL under a row filter and a mask", () -> {
                // the application's own texts name no operator or function (the parser reads no OPERATOR(…)): what a
                // rewrite holds that the search path resolves is the driver's
                app(s, "MERGE INTO orders AS o USING staging AS st ON o.visible AND st.visible"
                        + " WHEN MATCHED THEN UPDATE SET visible = st.visible"
                        + " WHEN NOT MATCHED THEN INSERT (id, visible, note) VALUES (31, st.visible, 'merged')");
                app(s, "MERGE INTO orders AS o USING (SELECT 50 AS id, true AS visible, 'fifty' AS note) AS st"
                        + " ON o.visible IS NULL WHEN NOT MATCHED THEN INSERT (id, visible, note) VALUES (st.id, st.visible,"
                        + " 'fifty')");
                app(s, "CALL p_touch(NULL)");
                String call = "CALL p_touch(?)";
                APPLICATION.add(call);
                try (java.sql.CallableStatement cs = c.prepareCall(call)) {
                    cs.setString(1, "x");
                    cs.execute();
                }
            });
        }
        feature("pooled hand-back", () -> {
            // a pool of one connection that sends nothing of its own (a real pool's own calls, such as HikariCP's
            // getSchema, are pgjdbc's texts for the pool, not the driver's)
            Properties pooled = new Properties();
            pooled.putAll(settings);
            pooled.setProperty("governed.connect.unlisted-data-source", "allow"); // the pool below sets nothing
            try (Connection physical = DB.connectRaw();
                 GovernedDataSource governed = new GovernedDataSource(poolOf(physical), pooled)) {
                try (Connection b = governed.getConnection(); Statement bs = b.createStatement()) {
                    // a role the borrowing set: reset when the connection is handed back
                    app(bs, "SET ROLE " + DB.user());
                    app(bs, "SELECT id FROM " + APP + ".contacts");
                }
                try (Connection b = governed.getConnection(); Statement bs = b.createStatement()) {
                    // a setting the borrowing left: the session is reset whole
                    app(bs, "SET search_path TO " + APP_PATH);
                    app(bs, "SELECT id FROM contacts");
                }
                try (Connection b = governed.getConnection(); Statement bs = b.createStatement()) {
                    app(bs, "SELECT id FROM " + APP + ".contacts");
                }
            }
        });
        feature("audit sink's batch retried one by one", () -> {
            JdbcSink sink = new JdbcSink(DB.rawUrl() + "&user=" + DB.user(), AUDIT_RETRY);
            List<AuditEvent> events = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                events.add(AuditEvent.builder().time(java.time.Instant.now()).principal("ds-app").kind("service")
                        .action("select").decision(AuditDecision.ALLOW).build());
            }
            try {
                sink.write(events.subList(0, 1));
                sink.write(events); // the first is there: the batch fails on its key, and the events go one by one
            } finally {
                sink.close();
            }
            String count = "SELECT pg_catalog.count(*) FROM " + AUDIT_RETRY;
            APPLICATION.add(count);
            try (Connection raw = DB.connectRaw(); Statement rs = raw.createStatement();
                 ResultSet rows = rs.executeQuery(count)) {
                rows.next();
                assertThat(rows.getLong(1)).as("each event once").isEqualTo(3);
            }
        });
        feature("audit to PostgreSQL", () -> {
            String count = "SELECT pg_catalog.count(*) FROM " + AUDIT;
            for (int i = 0; i < 100; i++) { // the sink writes on its own thread
                try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
                    APPLICATION.add(count);
                    if (tableExists(s, AUDIT)) {
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

    /** A data source handing out {@code physical} again and again: its close hands it back, sending nothing. */
    private static javax.sql.DataSource poolOf(Connection physical) {
        Connection borrowed = (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(physical, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(javax.sql.DataSource.class.getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return borrowed;
                    }
                    if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                        throw new SQLException("not a wrapper");
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Through updatable result sets of the row-filtered table: a row updated, one inserted, then deleted. */
    private static void writeThroughResultSets(Connection c) throws SQLException {
        String read = "SELECT id, visible, note FROM orders";
        APPLICATION.add(read);
        try (Statement u = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE)) {
            try (ResultSet rs = u.executeQuery(read)) {
                while (rs.next()) {
                    if (rs.getInt(1) == 1) {
                        rs.updateBoolean(2, true);
                        rs.updateRow();
                        break;
                    }
                }
                rs.moveToInsertRow();
                rs.updateInt(1, 40);
                rs.updateBoolean(2, true);
                rs.updateString(3, "forty");
                rs.insertRow();
            }
            try (ResultSet rs = u.executeQuery(read)) {
                while (rs.next()) {
                    if (rs.getInt(1) == 40) {
                        rs.deleteRow();
                    }
                }
            }
        }
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
            if (!asWritten.isEmpty() && !APPLICATION.contains(asWritten)) { // an empty text (isValid's) names nothing
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
            s.execute("DROP SCHEMA IF EXISTS " + DECOYS + ", " + PROBE + ", " + APP + ", " + STORE + " CASCADE");
            if (decoys) {
                Thread.sleep(1_100);
            }
        }
        if (policy != null) {
            Files.deleteIfExists(policy);
        }
        if (exactPolicy != null) {
            Files.deleteIfExists(exactPolicy);
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
        meant.put("approvals", t -> t.startsWith("INSERT INTO " + APPROVALS + "_requests"));
        meant.put("approval decisions#vote", t -> t.startsWith("INSERT INTO " + APPROVALS + "_votes"));
        meant.put("approval decisions#decision", t -> t.startsWith("UPDATE " + APPROVALS + "_requests SET status = $1"));
        meant.put("approval decisions#list", t -> t.startsWith("SELECT") && t.contains("'pending'") && t.contains("LIMIT"));
        meant.put("approval decisions#expired", t -> t.startsWith("SELECT") && t.contains("request_expires_at OPERATOR(pg_catalog.<=)"));
        meant.put("approval decisions#consumed", t -> t.startsWith("UPDATE " + APPROVALS + "_requests SET status = 'consumed'"));
        meant.put("setSchema", t -> t.equals("SET SESSION search_path TO '" + APP + "'"));
        meant.put("updatable result sets#read", t -> t.startsWith("SELECT id, visible, note FROM orders") && t.contains("note IS NOT NULL"));
        meant.put("updatable result sets#insertRow's check", t -> t.contains("CASE WHEN"));
        meant.put("MERGE and CALL under a row filter and a mask#MERGE", t -> t.startsWith("MERGE") && t.contains("note IS NOT NULL"));
        meant.put("MERGE and CALL under a row filter and a mask#new rows", t -> t.contains("CASE WHEN"));
        meant.put("MERGE and CALL under a row filter and a mask#routine", t -> t.contains("pg_catalog.pg_proc"));
        meant.put("pooled hand-back#role", t -> t.equals("RESET ROLE"));
        meant.put("pooled hand-back#session", t -> t.equals("DISCARD ALL"));
        meant.put("audit sink's batch retried one by one#table", t -> t.startsWith("CREATE TABLE IF NOT EXISTS " + AUDIT_RETRY));
        meant.put("audit sink's batch retried one by one#insert", t -> t.startsWith("INSERT INTO " + AUDIT_RETRY));
        Map<String, String> missing = new LinkedHashMap<>();
        for (Map.Entry<String, Predicate<String>> feature : meant.entrySet()) {
            Set<String> texts = DRIVER.getOrDefault(feature.getKey().replaceAll("#.*", ""), Set.of());
            if (texts.isEmpty()) {
                missing.put(feature.getKey(), "no text of the driver's recorded");
            } else if (texts.stream().noneMatch(feature.getValue())) {
                missing.put(feature.getKey(), "not the text it is meant to exercise; recorded: " + texts);
            }
        }
        assertThat(FAILED).as("features whose workload failed").isEmpty();
        assertThat(DRIVER.values().stream().flatMap(Set::stream).filter(t -> t.startsWith("INSERT INTO " + AUDIT)))
                .as("the audit sink's writes, on its own thread").isNotEmpty();
        assertThat(DRIVER.values().stream().flatMap(Set::stream)
                .filter(t -> t.startsWith("CREATE TABLE IF NOT EXISTS " + AUDIT + " ")))
                .as("the audit sink's table").isNotEmpty();
        assertThat(DRIVER.values().stream().flatMap(Set::stream)
                .filter(t -> t.startsWith("CREATE TABLE IF NOT EXISTS " + APPROVALS + "_")).distinct())
                .as("the approval store's tables").hasSize(3);
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
            for (String path : List.of(CHECK_PATH, CATALOG_FIRST_PATH)) {
                s.execute("SET search_path = " + path);
                for (String text : texts) {
                    List<String> found = decoysUsedBy(s, text);
                    if (!found.isEmpty()) {
                        unqualified.computeIfAbsent(text, t -> new ArrayList<>()).add(path + ": " + found);
                    }
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
            assertThat(decoysUsedBy(s, "SELECT code FROM codes WHERE code = $1")).as("varchar compared")
                    .anySatisfy(d -> assertThat(d).contains("character varying"));
            // with pg_catalog first only a decoy that matches better than the built-in is taken
            s.execute("SET search_path = " + CATALOG_FIRST_PATH);
            for (String unqualified : List.of("SELECT code FROM codes WHERE code = $1",
                    "SELECT code FROM codes WHERE code < 'b'", "SELECT code || code FROM codes",
                    "SELECT lower(code) FROM codes", "SELECT label FROM codes WHERE label = code",
                    "SELECT upper(label) FROM codes", "UPDATE codes SET label = NULL WHERE code = $1",
                    "SELECT 1 FROM codes WHERE pg_catalog.length(code) = 1.5")) {
                assertThat(decoysUsedBy(s, unqualified)).as(unqualified).isNotEmpty();
            }
            for (String qualified : List.of("SELECT code FROM codes WHERE code OPERATOR(pg_catalog.=) $1",
                    "SELECT pg_catalog.lower(code) FROM codes WHERE code OPERATOR(pg_catalog.||) code IS NULL",
                    "SELECT label FROM codes WHERE label OPERATOR(pg_catalog.=) code",
                    "SELECT id FROM orders WHERE id = $1")) {
                assertThat(decoysUsedBy(s, qualified)).as(qualified).isEmpty();
            }
        });
    }

    @Test
    void aRowFilterConditionNamingAShadowedBuiltInIsRefusedBeforeItRuns() throws Exception {
        Path tenantPolicy = Files.createTempFile("ds-tenant", ".yaml");
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
                s.execute(String.format(Locale.ROOT, BETTER_DECOYS, DECOYS, PostgresCatalogQueriesQualifiedIT.RAISE));
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

    /** PostgreSQL at 127.0.0.1:5432 as {@link TestDatabase#POSTGRESQL} reaches it, but the database {@code name}. */
    private static final class OwnDatabase {
        private final String name;

        OwnDatabase(String name) {
            this.name = name;
        }

        String rawUrl() {
            return TestDatabase.POSTGRESQL.rawUrl(name);
        }

        String governedUrl() {
            return TestDatabase.POSTGRESQL.governedUrl(name);
        }

        String user() {
            return TestDatabase.POSTGRESQL.user();
        }

        String password() {
            return TestDatabase.POSTGRESQL.password();
        }

        Connection connectRaw() throws SQLException {
            return java.sql.DriverManager.getConnection(rawUrl(), credentials());
        }

        /** As {@link TestDatabase#connectGoverned(Properties)}: the permit-all policy and the IT principal, then {@code settings}. */
        Connection connectGoverned(Properties settings) throws SQLException {
            Properties properties = credentials();
            properties.setProperty("governed.policy", TestDatabase.PERMIT_ALL_POLICY);
            properties.setProperty("governed.principal", TestDatabase.GOVERNED_PRINCIPAL);
            properties.setProperty("governed.kind", "service");
            properties.putAll(settings);
            return java.sql.DriverManager.getConnection(governedUrl(), properties);
        }

        /** Creates the database from the shared one unless it exists (another run may create it at the same moment). */
        void createIfMissing() throws SQLException {
            try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_catalog.pg_database WHERE datname OPERATOR(pg_catalog.=) '"
                        + name + "'")) {
                    if (rs.next()) {
                        return;
                    }
                }
                try {
                    s.execute("CREATE DATABASE " + name);
                } catch (SQLException e) {
                    if (!"42P04".equals(e.getSQLState())) { // duplicate_database: made by another run meanwhile
                        throw e;
                    }
                }
            }
        }

        private Properties credentials() {
            Properties properties = new Properties();
            properties.setProperty("user", user());
            properties.setProperty("password", password());
            return properties;
        }
    }
}
