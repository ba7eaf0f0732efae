package io.governed.jdbc.it;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.GovernedTwins;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A masked and row-filtered caller's statements after the snapshot of a {@code REPEATABLE READ} or {@code SERIALIZABLE}
 * transaction run, judged on a reading of the catalog made beside the transaction (a connection of the same settings,
 * in auto-commit), with the session's search path: the masked column is masked in every getter, the other tenant's
 * rows are not seen, also after another session changed the catalog since the snapshot. What that reading cannot see
 * (the transaction's own changes, the session's temporary objects, a role set in the session) keeps them refused.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@ServerWide("GRANT/REVOKE, SET ROLE / SESSION AUTHORIZATION, databases, other sessions, prepared transactions, roles or users")
class PostgresRepeatableReadSideReadingIT {
    private static final String DB = "rrs_it_db";
    private static final String ROLE = "rrs_app";
    /** A role the login role may set, which reads every table. */
    private static final String READER = "rrs_reader";
    /** The SSNs' first digits: what the partial mask never shows. */
    private static final List<String> CLEAR = List.of("123-45", "222-33");
    /** The other tenant's customer. */
    private static final String OTHER_TENANT = "Bob";

    private static final String POLICY = """
            version: 1
            default: deny
            classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: read, effect: permit, principals: { kinds: [agent] }, actions: [select, set, create, insert], resources: ["*"] }
              - { id: roles, effect: permit, principals: { kinds: [agent] }, actions: [set], resources: ["*"], when: { traits: [privilege-change] } }
              - { id: transactions, effect: permit, principals: { kinds: [agent] }, actions: [transaction, two-phase-commit], resources: ["*"] }
              - { id: service, effect: permit, principals: { kinds: [service] }, actions: [select, create, transaction], resources: ["*"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [svc] } }
            row-filters:
              - { id: tenant, tables: ["public.customers"], filter: "tenant = :identity.tenant", unless: { groups: [all-tenants, svc] } }
            """;

    private static String url;
    @TempDir
    static Path dir;
    private static Path policy;

    @BeforeAll
    static void database() throws Exception {
        TestDatabase.POSTGRESQL.requireReachable();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
            st.execute("DROP ROLE IF EXISTS " + ROLE);
            st.execute("DROP ROLE IF EXISTS " + READER);
            st.execute("CREATE ROLE " + ROLE + " LOGIN");
            st.execute("CREATE ROLE " + READER + " NOLOGIN");
            st.execute("GRANT " + READER + " TO " + ROLE);
            st.execute("CREATE DATABASE " + DB + " OWNER " + ROLE);
        }
        url = "postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5&currentSchema=earlier,public";
        policy = dir.resolve("rrs.yaml");
        Files.writeString(policy, POLICY);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
            st.execute("DROP ROLE IF EXISTS " + ROLE);
            st.execute("DROP ROLE IF EXISTS " + READER);
        }
    }

    @BeforeEach
    void tables() throws SQLException {
        dropTables();
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA earlier");
            st.execute("CREATE TABLE public.customers (id int PRIMARY KEY, tenant text, name text, ssn text)");
            st.execute("INSERT INTO public.customers VALUES (1, 't1', 'Ann', '123-45-6789'), (2, 't2', 'Bob', '222-33-4444')");
            st.execute("CREATE TABLE public.people (id int PRIMARY KEY, name text, ssn text)");
            st.execute("INSERT INTO public.people VALUES (1, 'Ann', '123-45-6789')");
            st.execute("CREATE VIEW public.v AS SELECT id, name, ssn FROM public.people");
            st.execute("GRANT USAGE ON SCHEMA earlier TO " + READER);
            st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + READER);
        }
    }

    @AfterEach
    void dropTables() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS earlier CASCADE");
            st.execute("DROP VIEW IF EXISTS public.v");
            st.execute("DROP FUNCTION IF EXISTS public.lower(int)");
            st.execute("DROP TABLE IF EXISTS public.customers, public.people, public.people_kid CASCADE");
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + url, ROLE, "");
    }

    private static int connections;

    /**
     * The URL of a governed connection: each with a name of its own, so that no relation names another test's
     * connections looked up are looked up ahead by its first statement (a view's definition is read with a lock on the
     * view and the relations it reads, held to the transaction's end, which the other session's DDL would wait for).
     */
    private static String governedUrl() {
        return url + "&ApplicationName=rrs" + (++connections);
    }

    /** The analyst, of tenant t1: masked and filtered. */
    private static Connection analyst() throws SQLException {
        return GovernedTwins.governed(governedUrl(), ROLE, policy, "ann", "agent", "t1");
    }

    /** An analyst of every tenant: masked, not filtered. */
    private static Connection unfiltered() throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", ROLE);
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "al");
        p.setProperty("governed.kind", "agent");
        p.setProperty("governed.groups", "all-tenants");
        return DriverManager.getConnection("jdbc:governed:" + governedUrl(), p);
    }

    private static void other(String... ddl) throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("SET lock_timeout = '20s'"); // a lock the analyst's transaction holds fails the test, not hangs it
            for (String sql : ddl) {
                st.execute(sql);
            }
        }
    }

    private static Connection inTransaction(Connection c, int isolation) throws SQLException {
        c.setTransactionIsolation(isolation);
        c.setAutoCommit(false);
        return c;
    }

    /** Every row of {@code sql} on {@code c}, read with {@code getString} and {@code getObject} (which need no server call). */
    private static List<String> rows(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rows(rs);
        }
    }

    private static List<String> rows(ResultSet rs) throws SQLException {
        List<String> rows = new ArrayList<>();
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
                row.append(i == 1 ? "" : "|").append(rs.getString(i));
                assertThat(String.valueOf(rs.getObject(i))).isEqualTo(String.valueOf(rs.getString(i)));
            }
            rows.add(row.toString());
        }
        return rows;
    }

    /** Every getter's text of {@code sql}'s result on {@code c}, or the refusal's texts. */
    private static List<String> seen(Connection c, String sql) {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            seen.addAll(EveryGetter.ofAllRows(rs));
        } catch (SQLException refused) {
            seen.add("refused: " + refused.getSQLState());
            seen.addAll(ExceptionTexts.of(refused));
        }
        return seen;
    }

    /** The rows of {@code sql} on {@code c} through getString and getObject, or the refusal's texts. */
    private static List<String> seenInTransaction(Connection c, String sql) {
        try {
            return rows(c, sql);
        } catch (SQLException refused) {
            List<String> seen = new ArrayList<>();
            seen.add("refused: " + refused.getSQLState());
            seen.addAll(ExceptionTexts.of(refused));
            return seen;
        }
    }

    private static void noLeak(List<String> seen) {
        assertThat(seen).as("the transaction was not aborted before").doesNotContain("refused: 25P02");
        for (String clear : CLEAR) {
            assertThat(seen).as("no SSN in clear").noneMatch(s -> s.contains(clear));
        }
        assertThat(seen).as("no row of another tenant").noneMatch(s -> s.contains(OTHER_TENANT));
    }

    private static void refusedSayingHow(List<String> seen) {
        assertThat(seen).as("refused, saying how to run it").contains("refused: 42501")
                .anyMatch(v -> v.contains("run it in a READ COMMITTED transaction"));
    }


    private static void ran(List<String> seen) {
        assertThat(seen).as("it ran").noneMatch(s -> s.startsWith("refused: "));
    }

    private static void refused(List<String> seen, String why) {
        assertThat(seen).as("refused, saying why").contains("refused: 42501").anyMatch(v -> v.contains(why))
                .anyMatch(v -> v.contains("run it in a READ COMMITTED transaction"));
    }

    /** The governed connections of a test open on the server now (its own and the one beside it), as a raw session sees them. */
    private static int sessionsNamed(String applicationName) throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw();
             PreparedStatement ps = raw.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    // --- what runs now: after the snapshot, judged on a reading beside it --------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {Connection.TRANSACTION_REPEATABLE_READ, Connection.TRANSACTION_SERIALIZABLE})
    void aMaskedFilteredReadAfterTheSnapshotRunsMaskedInEveryGetter(int isolation) throws SQLException {
        try (Connection c = inTransaction(analyst(), isolation)) {
            assertThat(rows(c, "SELECT id, name FROM customers")).containsExactly("1|Ann");
            List<String> again = seenInTransaction(c, "SELECT * FROM customers");
            // last: a getter of a large object's (getBlob of a number) fails and aborts the transaction
            List<String> after = seen(c, "SELECT id, tenant, name, ssn FROM customers ORDER BY id");
            c.rollback();
            noLeak(again);
            ran(again);
            noLeak(after);
            ran(after);
            assertThat(after).anyMatch(s -> s.contains("6789")).anyMatch(s -> s.contains("Ann"));
        }
    }

    @Test
    void aPreparedReadAfterTheSnapshotRunsMasked() throws SQLException {
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(rows(c, "SELECT id FROM customers")).containsExactly("1");
            List<String> after = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, ssn FROM customers WHERE id > ?")) {
                ps.setInt(1, 0);
                try (ResultSet rs = ps.executeQuery()) {
                    after.addAll(EveryGetter.ofAllRows(rs));
                }
            }
            c.rollback();
            noLeak(after);
            assertThat(after).anyMatch(s -> s.contains("Ann")).anyMatch(s -> s.contains("6789"));
        }
    }

    /** The view replaced in place after the snapshot: the next read runs on its new definition, its SSN column masked. */
    @ParameterizedTest
    @ValueSource(ints = {Connection.TRANSACTION_REPEATABLE_READ, Connection.TRANSACTION_SERIALIZABLE})
    void aViewReplacedAfterTheSnapshotIsJudgedOnItsNewDefinition(int isolation) throws SQLException {
        try (Connection c = inTransaction(unfiltered(), isolation)) {
            assertThat(rows(c, "SELECT id, name FROM customers WHERE id = 1")).containsExactly("1|Ann");
            other("CREATE OR REPLACE VIEW public.v AS SELECT id, ssn AS name, name AS ssn FROM public.people");
            List<String> after = seen(c, "SELECT id, name, ssn FROM v");
            c.rollback();
            noLeak(after);
            ran(after);
            assertThat(after).as("what the database ran: the new definition").anyMatch(s -> s.contains("6789"));
        }
    }

    /** A view of every tenant made after the snapshot in a schema searched first. */
    @Test
    void aViewOfEveryTenantInASchemaSearchedFirstAfterTheSnapshot() throws SQLException {
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(rows(c, "SELECT id, name FROM customers")).containsExactly("1|Ann");
            other("CREATE VIEW earlier.customers AS SELECT id, 't1'::text AS tenant, ssn AS name, name AS ssn FROM public.customers");
            List<String> after = seen(c, "SELECT id, name, ssn FROM customers");
            c.rollback();
            noLeak(after);
        }
    }

    /** A table of every tenant made after the snapshot in a schema searched first: the filter is not on it, the masks are. */
    @Test
    void aTableOfEveryTenantInASchemaSearchedFirstAfterTheSnapshot() throws SQLException {
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(rows(c, "SELECT id, name FROM customers")).containsExactly("1|Ann");
            other("CREATE TABLE earlier.customers AS SELECT id, tenant, name, ssn FROM public.customers");
            List<String> after = seen(c, "SELECT id, name, ssn FROM customers");
            c.rollback();
            for (String clear : CLEAR) {
                assertThat(after).as("no SSN in clear").noneMatch(s -> s.contains(clear));
            }
            ran(after);
        }
    }

    @Test
    void columnsRenamedAfterTheSnapshot() throws SQLException {
        try (Connection c = inTransaction(unfiltered(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(rows(c, "SELECT id, name FROM customers WHERE id = 1")).containsExactly("1|Ann");
            other("DROP VIEW public.v", "ALTER TABLE public.people RENAME COLUMN name TO n0",
                    "ALTER TABLE public.people RENAME COLUMN ssn TO name", "ALTER TABLE public.people RENAME COLUMN n0 TO ssn");
            List<String> after = seenInTransaction(c, "SELECT id, name, ssn FROM people");
            c.rollback();
            ran(after);
            assertThat(after).as("as in READ COMMITTED, on the catalog as it is now")
                    .isEqualTo(readCommitted(unfiltered(), "SELECT id, name, ssn FROM people"));
            for (String clear : CLEAR) {
                assertThat(after).as("the column named ssn, tagged, masked").noneMatch(s -> s.endsWith("|" + clear + "-6789"));
            }
        }
    }

    /** What {@code sql} gives on {@code c} in a READ COMMITTED transaction (through getString and getObject), closing it. */
    private static List<String> readCommitted(Connection c, String sql) throws SQLException {
        try (c) {
            inTransaction(c, Connection.TRANSACTION_READ_COMMITTED);
            List<String> seen = seenInTransaction(c, sql);
            c.rollback();
            return seen;
        }
    }

    @Test
    void anOperatorMadeAfterTheSnapshot() throws SQLException {
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(rows(c, "SELECT id, name FROM customers")).containsExactly("1|Ann");
            other("CREATE FUNCTION public.rrs_twice(text, text) RETURNS text LANGUAGE sql"
                            + " AS 'SELECT ssn FROM public.customers WHERE id = 2'",
                    "CREATE OPERATOR public.+ (LEFTARG = text, RIGHTARG = text, FUNCTION = public.rrs_twice)");
            List<String> after = seen(c, "SELECT name + name AS twice FROM customers");
            c.rollback();
            noLeak(after);
        } finally {
            other("DROP OPERATOR IF EXISTS public.+ (text, text)", "DROP FUNCTION IF EXISTS public.rrs_twice(text, text)");
        }
    }

    @Test
    void aFunctionUnderABuiltInsNameMadeAfterTheSnapshot() throws SQLException {
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(rows(c, "SELECT id, name FROM customers")).containsExactly("1|Ann");
            other("CREATE FUNCTION public.lower(int) RETURNS text LANGUAGE sql AS 'SELECT ssn FROM public.customers WHERE id = $1'");
            List<String> after = seen(c, "SELECT lower(2)");
            c.rollback();
            noLeak(after);
        }
    }

    /** The path the session set inside the transaction is the one the reading beside it uses. */
    @Test
    void aSearchPathSetInsideTheTransactionIsFollowed() throws SQLException {
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ); Statement st = c.createStatement()) {
            assertThat(rows(c, "SELECT id, name FROM customers")).containsExactly("1|Ann");
            other("CREATE SCHEMA later",
                    "CREATE VIEW later.customers AS SELECT id, 't1'::text AS tenant, ssn AS name, name AS ssn FROM public.customers");
            st.execute("SET search_path = later, public");
            List<String> after = seen(c, "SELECT id, name FROM customers");
            c.rollback();
            other("DROP SCHEMA later CASCADE");
            noLeak(after);
        }
    }

    /** One connection beside the transaction, opened when needed and closed when it ends. */
    @Test
    void theConnectionBesideIsClosedWhenTheTransactionEnds() throws SQLException {
        String name = "rrs" + (connections + 1);
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(rows(c, "SELECT id FROM customers")).containsExactly("1");
            assertThat(sessionsNamed(name)).as("before a statement after the snapshot").isEqualTo(1);
            assertThat(rows(c, "SELECT id FROM customers")).containsExactly("1");
            assertThat(rows(c, "SELECT name FROM customers")).containsExactly("Ann");
            assertThat(sessionsNamed(name)).as("beside the transaction, one").isEqualTo(2);
            c.commit();
            assertThat(sessionsNamed(name)).as("after it").isEqualTo(1);
        }
    }

    /**
     * The sessions named {@code applicationName} once the server has let a closed one go: counted again (for up to
     * twenty seconds) until there are {@code expected}, a backend ending a moment after its client closed it.
     */
    private static int sessionsNamedOnceSettled(String applicationName, int expected) throws Exception {
        int seen = sessionsNamed(applicationName);
        for (int i = 0; i < 200 && seen != expected; i++) {
            Thread.sleep(100);
            seen = sessionsNamed(applicationName);
        }
        return seen;
    }

    /**
     * The sessions named {@code applicationName} once there are at most {@code most}: counted again (for up to twenty
     * seconds) while there are more. Where the pool's own connection may be gone as well, none passes as one does:
     * waiting for exactly one waited out the twenty seconds when the pool had none open.
     */
    private static int sessionsNamedOnceAtMost(String applicationName, int most) throws Exception {
        int seen = sessionsNamed(applicationName);
        for (int i = 0; i < 200 && seen > most; i++) {
            Thread.sleep(100);
            seen = sessionsNamed(applicationName);
        }
        return seen;
    }

    /** A masked read after the snapshot on {@code c}: it runs, masked, a connection beside the transaction open. */
    private static void readBesideTheTransaction(Connection c, String applicationName) throws SQLException {
        assertThat(rows(c, "SELECT id FROM customers")).containsExactly("1");
        List<String> after = seenInTransaction(c, "SELECT name, ssn FROM customers");
        noLeak(after);
        ran(after);
        assertThat(after).anyMatch(s -> s.contains("6789"));
        assertThat(sessionsNamed(applicationName)).as("the session and the connection beside its transaction").isEqualTo(2);
    }

    /**
     * A transaction SQL ends ({@code COMMIT}, {@code ROLLBACK}, {@code END}, {@code ABORT}, {@code COMMIT WORK},
     * {@code ROLLBACK AND NO CHAIN}) closes the connection beside it as {@code commit()} does; the next transaction reads
     * beside itself on a connection of its own. ({@code COMMIT AND CHAIN}: see
     * {@link #aChainedTransactionKeepsItsIsolationAndIsReadBeside}.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"COMMIT", "ROLLBACK", "END", "ABORT", "COMMIT WORK", "ROLLBACK AND NO CHAIN"})
    void theConnectionBesideIsClosedWhenSqlEndsTheTransaction(String end) throws Exception {
        String name = "rrs" + (connections + 1);
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ); Statement st = c.createStatement()) {
            readBesideTheTransaction(c, name);
            st.execute(end);
            assertThat(sessionsNamedOnceSettled(name, 1)).as("after " + end).isEqualTo(1);
            readBesideTheTransaction(c, name);
            c.rollback();
            assertThat(sessionsNamedOnceSettled(name, 1)).as("after the next transaction").isEqualTo(1);
        }
    }

    /**
     * A transaction SQL began in auto-commit mode ({@code BEGIN ISOLATION LEVEL REPEATABLE READ}) and SQL ended: the
     * connection beside it closed at its end; likewise one whose isolation SQL set ({@code SET TRANSACTION}).
     */
    @Test
    void aTransactionSqlBeganAndEndedClosesTheConnectionBeside() throws Exception {
        String name = "rrs" + (connections + 1);
        try (Connection c = analyst(); Statement st = c.createStatement()) {
            st.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            readBesideTheTransaction(c, name);
            st.execute("COMMIT");
            assertThat(sessionsNamedOnceSettled(name, 1)).as("after COMMIT").isEqualTo(1);
            c.setAutoCommit(false);
            st.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
            readBesideTheTransaction(c, name);
            st.execute("END");
            assertThat(sessionsNamedOnceSettled(name, 1)).as("after END").isEqualTo(1);
        }
    }

    /** What {@code sql} gives on {@code c}: "ran", or the refusal's or the database's SQLState. */
    private static String outcome(Connection c, String sql) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
            return "ran";
        } catch (SQLException e) {
            return "failed: " + e.getSQLState();
        }
    }

    /** The transaction's isolation as the server reports it on {@code c}. */
    private static String isolationOf(Connection c) throws Exception {
        return rows(c, "SELECT current_setting('transaction_isolation')").get(0);
    }

    /**
     * {@code COMMIT AND CHAIN} or {@code ROLLBACK AND CHAIN} sent by the masked caller once its reading is made beside
     * the transaction: it runs as raw pgjdbc runs it, the chained transaction keeps the isolation, the connection beside
     * serves it (read afresh for each statement: it holds no snapshot), and a view of every tenant made after the chain
     * in a schema searched first is judged as the database runs it. Ending the chain, and closing the connection with a
     * transaction still open, leave no connection beside it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"COMMIT AND CHAIN", "ROLLBACK AND CHAIN", "COMMIT WORK AND CHAIN"})
    void aChainedTransactionKeepsItsIsolationAndIsReadBeside(String chain) throws Exception {
        String name = "rrs" + (connections + 1);
        Connection c = analyst();
        try (Statement st = c.createStatement()) {
            st.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            readBesideTheTransaction(c, name);
            assertThat(outcome(c, chain)).as(chain + " as raw pgjdbc runs it").isEqualTo("ran");
            assertThat(isolationOf(c)).as("the chained transaction's isolation").isEqualTo("repeatable read");
            readBesideTheTransaction(c, name);
            other("CREATE VIEW earlier.customers AS SELECT id, 't1'::text AS tenant, ssn AS name, name AS ssn FROM public.customers");
            List<String> after = seenInTransaction(c, "SELECT id, tenant, name, ssn FROM customers ORDER BY id");
            noLeak(after);
            assertThat(outcome(c, "COMMIT AND NO CHAIN")).isEqualTo("ran");
            assertThat(sessionsNamedOnceSettled(name, 1)).as("after the chain ended").isEqualTo(1);
            other("DROP VIEW earlier.customers");
            st.execute("BEGIN ISOLATION LEVEL SERIALIZABLE");
            readBesideTheTransaction(c, name);
        } finally {
            c.close();
        }
        assertThat(sessionsNamedOnceSettled(name, 0)).as("closed with a transaction open").isZero();
    }

    /**
     * Two-phase commit's statements as the masked caller sends them: with {@code max_prepared_transactions} 0 (as on
     * the test server) the server refuses {@code PREPARE TRANSACTION} and rolls the transaction back; the governed
     * connection reports the server's SQLState, as raw pgjdbc does, and keeps no connection beside the transaction
     * ended. {@code COMMIT PREPARED} and {@code ROLLBACK PREPARED} of an unknown id, outside and inside a transaction,
     * fail as on raw pgjdbc too.
     */
    @Test
    void twoPhaseCommitsStatementsFailAsOnRawPgjdbc() throws Exception {
        List<String> statements = List.of("PREPARE TRANSACTION 'gs_tx_1'", "COMMIT PREPARED 'gs_tx_none'",
                "ROLLBACK PREPARED 'gs_tx_none'");
        List<String> raw = new ArrayList<>();
        try (Connection r = raw(); Statement st = r.createStatement()) {
            st.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            st.executeQuery("SELECT id FROM customers").close();
            raw.add(outcome(r, statements.get(0)));
            raw.add(outcome(r, "SELECT 1"));
            raw.add(outcome(r, statements.get(1)));
            raw.add(outcome(r, statements.get(2)));
            st.execute("BEGIN");
            raw.add(outcome(r, statements.get(1)));
            st.execute("ROLLBACK");
        }
        String name = "rrs" + (connections + 1);
        List<String> governed = new ArrayList<>();
        try (Connection c = analyst(); Statement st = c.createStatement()) {
            st.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            readBesideTheTransaction(c, name);
            governed.add(outcome(c, statements.get(0)));
            assertThat(sessionsNamedOnceSettled(name, 1)).as("after PREPARE TRANSACTION").isEqualTo(1);
            governed.add(outcome(c, "SELECT 1"));
            governed.add(outcome(c, statements.get(1)));
            governed.add(outcome(c, statements.get(2)));
            st.execute("BEGIN");
            governed.add(outcome(c, statements.get(1)));
            st.execute("ROLLBACK");
            readBesideTheTransaction(inTransaction(c, Connection.TRANSACTION_REPEATABLE_READ), name);
            c.rollback();
            assertThat(sessionsNamedOnceSettled(name, 1)).as("after rollback()").isEqualTo(1);
        }
        assertThat(raw).as("raw pgjdbc").element(0).asString().startsWith("failed: ");
        assertThat(governed).as("through the governed driver, as raw pgjdbc").isEqualTo(raw);
    }

    /**
     * {@code START TRANSACTION ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE}, and a transaction whose isolation
     * {@code SET TRANSACTION} set inside {@code BEGIN}: both read beside after their first statement, masked and
     * filtered, the connection beside closed at {@code COMMIT}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"START TRANSACTION ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE",
            "BEGIN; SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"})
    void transactionsBegunWithTheirModesBySqlAreReadBeside(String begin) throws Exception {
        String name = "rrs" + (connections + 1);
        try (Connection c = analyst(); Statement st = c.createStatement()) {
            for (String sql : begin.split("; ")) {
                st.execute(sql);
            }
            readBesideTheTransaction(c, name);
            other("CREATE VIEW earlier.customers AS SELECT id, 't1'::text AS tenant, ssn AS name, name AS ssn FROM public.customers");
            List<String> after = seenInTransaction(c, "SELECT id, tenant, name, ssn FROM customers ORDER BY id");
            noLeak(after);
            st.execute("COMMIT");
            assertThat(sessionsNamedOnceSettled(name, 1)).as("after COMMIT").isEqualTo(1);
        }
    }

    /**
     * The connection beside the transaction ended by the server ({@code pg_terminate_backend}): the next statement is
     * refused or runs masked and filtered (never on a reading of the gone connection), and a connection beside is
     * opened again for the statements after it; the transaction itself is untouched.
     */
    @Test
    void aConnectionBesideEndedByTheServerIsOpenedAgain() throws Exception {
        String name = "rrs" + (connections + 1);
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ)) {
            readBesideTheTransaction(c, name);
            try (Connection raw = TestDatabase.POSTGRESQL.connectRaw();
                 PreparedStatement ps = raw.prepareStatement("SELECT CASE WHEN pg_terminate_backend(pid) THEN 'terminated' END FROM pg_stat_activity"
                         + " WHERE application_name = ? AND backend_xid IS NULL AND state = 'idle'")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rows(rs)).as("the connection beside (idle, in auto-commit) terminated").containsExactly("terminated");
                }
            }
            assertThat(sessionsNamedOnceSettled(name, 1)).isEqualTo(1);
            List<String> next = seenInTransaction(c, "SELECT id, tenant, name, ssn FROM customers ORDER BY id");
            noLeak(next);
            readBesideTheTransaction(c, name);
            c.commit();
            assertThat(sessionsNamedOnceSettled(name, 1)).as("after commit()").isEqualTo(1);
        }
    }

    /** A rollback to a savepoint keeps the transaction, and the connection beside it, till SQL ends it. */
    @Test
    void aSavepointsRollbackKeepsTheConnectionBesideTillTheTransactionEnds() throws Exception {
        String name = "rrs" + (connections + 1);
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ); Statement st = c.createStatement()) {
            st.execute("SAVEPOINT before_the_read");
            readBesideTheTransaction(c, name);
            st.execute("ROLLBACK TO SAVEPOINT before_the_read");
            readBesideTheTransaction(c, name);
            other("CREATE VIEW earlier.customers AS SELECT id, 't1'::text AS tenant, ssn AS name, name AS ssn FROM public.customers");
            List<String> after = seenInTransaction(c, "SELECT id, name, ssn FROM customers ORDER BY id");
            noLeak(after);
            assertThat(sessionsNamed(name)).as("still the one beside the transaction").isEqualTo(2);
            st.execute("COMMIT");
            assertThat(sessionsNamedOnceSettled(name, 1)).as("after COMMIT").isEqualTo(1);
        }
    }

    /**
     * {@code abort} on another thread, after SQL ended the transaction (so none is open): the session and the
     * connection beside it both gone; likewise {@code close} on another thread with the transaction open.
     */
    @Test
    void abortOrCloseOnAnotherThreadLeavesNoConnectionBeside() throws Exception {
        String name = "rrs" + (connections + 1);
        Connection c = analyst();
        try (Statement st = c.createStatement()) {
            st.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            readBesideTheTransaction(c, name);
            st.execute("COMMIT");
        }
        onAnotherThread(() -> c.abort(Runnable::run));
        assertThat(sessionsNamedOnceSettled(name, 0)).as("after abort()").isZero();

        String closed = "rrs" + (connections + 1);
        Connection d = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ);
        readBesideTheTransaction(d, closed);
        onAnotherThread(d::close);
        assertThat(sessionsNamedOnceSettled(closed, 0)).as("after close()").isZero();
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private static void onAnotherThread(SqlWork work) throws Exception {
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                work.run();
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        t.start();
        t.join();
        assertThat(failed.get()).as("on the other thread").isNull();
    }

    // --- what stays refused: what a reading beside the transaction cannot see ---------------------------------

    /** Another identity's DDL in the same transaction: the view is the transaction's own, unseen beside it. */
    @Test
    void aViewTheTransactionMadeItselfStaysRefused() throws Exception {
        io.governed.identity.Identity service = io.governed.identity.Identity.builder("svc")
                .kind(io.governed.identity.IdentityKind.SERVICE).groups("svc").build();
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ); Statement st = c.createStatement()) {
            assertThat(rows(c, "SELECT id, name FROM customers ORDER BY id")).containsExactly("1|Ann");
            io.governed.jdbc.identity.IdentityContext.runAs(service, () -> st.execute(
                    "CREATE VIEW earlier.customers AS SELECT id, 't1'::text AS tenant, ssn AS name, name AS ssn FROM public.customers"));
            List<String> after = seen(c, "SELECT id, name FROM customers ORDER BY id");
            c.rollback();
            noLeak(after);
            assertThat(after).contains("refused: 42501");
        }
    }

    /**
     * A temporary table of the session shadows the table: the reading beside it would not see it. (The policy refuses
     * the table's creation through the driver, whenever it has a mask or a row filter; here it is made by the code of
     * a function the connection's own caller may not call either: so the session is given one from outside.)
     */
    @Test
    void aTemporaryTableStaysRefused() throws Exception {
        try (Connection c = analyst(); Statement st = c.createStatement()) {
            List<String> made = new ArrayList<>();
            try {
                st.execute("CREATE TEMP TABLE customers (id int, tenant text, name text, ssn text)");
            } catch (SQLException refused) {
                made.add("refused: " + refused.getSQLState());
            }
            assertThat(made).as("the policy refuses a temporary table").containsExactly("refused: 42501");
            try (Connection physical = physicalOf(c); Statement own = physical.createStatement()) {
                own.execute("CREATE TEMP TABLE customers (id int, tenant text, name text, ssn text)");
            }
            inTransaction(c, Connection.TRANSACTION_REPEATABLE_READ);
            List<String> first = seen(c, "SELECT 1 AS one");
            List<String> after = seen(c, "SELECT id, name FROM customers ORDER BY id");
            c.rollback();
            assertThat(first).doesNotContain("refused: 42501");
            noLeak(after);
            refused(after, "temporary");
        }
    }

    @Test
    void aRoleSetInTheSessionStaysRefused() throws Exception {
        io.governed.identity.Identity service = io.governed.identity.Identity.builder("svc")
                .kind(io.governed.identity.IdentityKind.SERVICE).groups("svc").build();
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ); Statement st = c.createStatement()) {
            assertThat(rows(c, "SELECT id FROM customers")).containsExactly("1");
            List<String> set = new ArrayList<>();
            try {
                st.execute("SET ROLE " + READER);
            } catch (SQLException refused) {
                set.add("refused: " + refused.getSQLState());
            }
            List<String> after = seen(c, "SELECT id, name, ssn FROM customers");
            c.rollback();
            assertThat(set).as("the role was set").isEmpty();
            noLeak(after);
            refused(after, "role");
        }
    }

    /**
     * The physical connection beneath {@code c}, as the session's own: closing the handle returned does not close it.
     */
    private static Connection physicalOf(Connection c) throws Exception {
        java.lang.reflect.Field delegate = io.governed.jdbc.wrapper.ForwardingConnection.class.getDeclaredField("delegate");
        delegate.setAccessible(true);
        Connection physical = io.governed.jdbc.session.SessionStates.physical((Connection) delegate.get(c));
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[]{Connection.class}, (proxy, method, args) -> "close".equals(method.getName()) ? null
                        : method.invoke(physical, args));
    }

    /** A write of the transaction's own is unseen beside it: what follows it stays refused. */
    @Test
    void aReadAfterTheTransactionWroteStaysRefused() throws Exception {
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ); Statement st = c.createStatement()) {
            assertThat(rows(c, "SELECT id FROM customers")).containsExactly("1");
            st.executeUpdate("INSERT INTO people VALUES (3, 'Cy', '333-44-5555')");
            List<String> after = seen(c, "SELECT id, name, ssn FROM customers");
            c.rollback();
            noLeak(after);
            refused(after, "written");
        }
        try (Connection raw = raw(); Statement st = raw.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM people")) {
            rs.next();
            assertThat(rs.getInt(1)).as("rolled back").isEqualTo(1);
        }
    }

    /**
     * Why a transaction that wrote is not read inside itself instead: its own catalog queries see the catalog of its
     * snapshot, so a view of every tenant another session made since in a schema searched first would be unseen, while
     * the database runs it. The read after the write stays refused, nothing of the view's rows seen; also after a write
     * rolled back to a savepoint (the transaction has its id all the same).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aReadAfterAWriteWithAViewOfEveryTenantMadeSinceStaysRefused(boolean writeRolledBack) throws Exception {
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ); Statement st = c.createStatement()) {
            assertThat(rows(c, "SELECT id FROM customers")).containsExactly("1");
            st.execute("SAVEPOINT before_the_write");
            st.executeUpdate("INSERT INTO people VALUES (3, 'Cy', '333-44-5555')");
            if (writeRolledBack) {
                st.execute("ROLLBACK TO SAVEPOINT before_the_write");
            }
            other("CREATE VIEW earlier.customers AS SELECT id, 't1'::text AS tenant, ssn AS name, name AS ssn FROM public.customers");
            List<String> after = seen(c, "SELECT id, tenant, name, ssn FROM customers ORDER BY id");
            c.rollback();
            noLeak(after);
            refused(after, "written");
        }
    }

    // --- through a GovernedDataSource ---------------------------------------------------------------------------

    private static final io.governed.identity.Identity ANN = io.governed.identity.Identity.builder("ann")
            .kind(io.governed.identity.IdentityKind.AGENT).attribute("tenant", "t1").build();

    private static io.governed.jdbc.Governance governance() throws Exception {
        return io.governed.jdbc.Governance.builder()
                .policy(io.governed.policy.load.PolicyLoader.fromString("rrs.yaml", Files.readString(policy)))
                .allowUnlistedDataSources(true).build();
    }

    /** What the analyst reads after the snapshot of a REPEATABLE READ transaction on a connection of {@code ds}. */
    private static List<String> afterTheSnapshot(javax.sql.DataSource ds) throws Exception {
        return io.governed.jdbc.identity.IdentityContext.runAs(ANN, () -> {
            try (Connection c = inTransaction(ds.getConnection(), Connection.TRANSACTION_REPEATABLE_READ)) {
                assertThat(rows(c, "SELECT id FROM customers")).containsExactly("1");
                List<String> after = seen(c, "SELECT id, tenant, name, ssn FROM customers");
                c.rollback();
                return after;
            }
        });
    }

    /** pgjdbc's own data source: every connection a new physical one, so the one beside the transaction is too. */
    @Test
    void throughPgjdbcsDataSourceTheReadRuns() throws Exception {
        org.postgresql.ds.PGSimpleDataSource pg = new org.postgresql.ds.PGSimpleDataSource();
        pg.setURL("jdbc:" + governedUrl());
        pg.setUser(ROLE);
        pg.setPassword("");
        List<String> after = afterTheSnapshot(new io.governed.jdbc.GovernedDataSource(pg, governance()));
        noLeak(after);
        ran(after);
        assertThat(after).anyMatch(v -> v.contains("6789"));
    }

    /** A data source of a kind not known to open new physical connections (a pool of one, here): refused, saying why. */
    @Test
    void throughAnUnknownDataSourceTheReadIsRefusedSayingWhy() throws Exception {
        try (Connection physical = DriverManager.getConnection("jdbc:" + governedUrl(), ROLE, "")) {
            List<String> after = afterTheSnapshot(new io.governed.jdbc.GovernedDataSource(
                    io.governed.jdbc.support.OneConnectionPool.of(physical), governance()));
            noLeak(after);
            refused(after, "no connection of the same settings can be opened beside it");
        }
    }

    // --- HikariCP ---------------------------------------------------------------------------------------------

    /** A HikariCP pool of {@code size} connections to the test database, the credentials given to the pool, not the URL. */
    private static com.zaxxer.hikari.HikariDataSource hikari(String applicationName, int size) {
        com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource();
        pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5&currentSchema=earlier,public");
        pool.addDataSourceProperty("ApplicationName", applicationName);
        pool.setUsername(ROLE);
        pool.setPassword("");
        pool.setMaximumPoolSize(size);
        pool.setMinimumIdle(size);
        pool.setConnectionTimeout(5_000);
        pool.setPoolName(applicationName);
        return pool;
    }

    /**
     * HikariCP beneath the governed data source, its one connection borrowed (the pool at its maximum size): the read
     * after the snapshot runs, masked and filtered, on a connection beside the transaction opened with the pool's URL,
     * user and properties, not taken from the pool (which still holds one connection, in use); closed when the
     * transaction ends, by {@code commit()} or by SQL, the pool's connection staying.
     */
    @Test
    void throughHikariAtItsMaximumSizeTheReadRunsBesideThePool() throws Exception {
        String name = "rrs_hikari" + (++connections);
        try (com.zaxxer.hikari.HikariDataSource pool = hikari(name, 1)) {
            javax.sql.DataSource governed = new io.governed.jdbc.GovernedDataSource(pool, governance());
            io.governed.jdbc.identity.IdentityContext.runAs(ANN, () -> {
                try (Connection c = inTransaction(governed.getConnection(), Connection.TRANSACTION_REPEATABLE_READ);
                     Statement st = c.createStatement()) {
                    assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("the pool's one connection, borrowed")
                            .isEqualTo(1);
                    assertThat(rows(c, "SELECT id FROM customers")).containsExactly("1");
                    List<String> after = seenInTransaction(c, "SELECT id, tenant, name, ssn FROM customers");
                    noLeak(after);
                    ran(after);
                    assertThat(after).anyMatch(v -> v.contains("6789"));
                    assertThat(sessionsNamed(name)).as("the pool's connection and the one beside it").isEqualTo(2);
                    assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("none more in the pool").isEqualTo(1);
                    try (Connection raw = raw(); PreparedStatement ps = raw.prepareStatement("SELECT DISTINCT usename"
                            + " FROM pg_stat_activity WHERE application_name = ?")) {
                        ps.setString(1, name);
                        assertThat(rows(ps.executeQuery())).as("both of the pool's user").containsExactly(ROLE);
                    }
                    c.commit();
                    assertThat(sessionsNamedOnceSettled(name, 1)).as("after commit()").isEqualTo(1);
                    assertThat(rows(c, "SELECT id FROM customers")).containsExactly("1");
                    assertThat(rows(c, "SELECT id, name FROM customers")).containsExactly("1|Ann");
                    assertThat(sessionsNamed(name)).isEqualTo(2);
                    st.execute("COMMIT");
                    assertThat(sessionsNamedOnceSettled(name, 1)).as("after COMMIT").isEqualTo(1);
                }
                return null;
            });
            assertThat(sessionsNamedOnceAtMost(name, 1)).as("at most the pool's connection, none beside it")
                    .isLessThanOrEqualTo(1);
        }
    }

    /**
     * HikariCP beneath the governed data source: the pool's credentials are read for a connection beside a transaction
     * when one is opened, not at each borrowing. Borrowings that open none read nothing of them; the read after the
     * snapshot still runs, masked and filtered, beside the pool, logged in with the pool's user and password.
     */
    @Test
    void thePoolsCredentialsAreReadOnlyWhenAConnectionBesideIsOpened() throws Exception {
        String name = "rrs_hikari_reads" + (++connections);
        java.util.concurrent.atomic.AtomicInteger passwordReads = new java.util.concurrent.atomic.AtomicInteger();
        try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource() {
            @Override
            public String getPassword() {
                passwordReads.incrementAndGet();
                return super.getPassword();
            }
        }) {
            pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5&currentSchema=earlier,public");
            pool.addDataSourceProperty("ApplicationName", name);
            pool.setUsername(ROLE);
            pool.setPassword("");
            pool.setMaximumPoolSize(1);
            pool.setMinimumIdle(1);
            pool.setConnectionTimeout(5_000);
            pool.setPoolName(name);
            javax.sql.DataSource governed = new io.governed.jdbc.GovernedDataSource(pool, governance());
            try (Connection started = pool.getConnection()) {
                assertThat(started.isValid(5)).as("the pool started").isTrue();
            }
            int afterStart = passwordReads.get();
            for (int i = 0; i < 5; i++) {
                io.governed.jdbc.identity.IdentityContext.runAs(ANN, () -> {
                    try (Connection c = governed.getConnection()) {
                        assertThat(rows(c, "SELECT id, name FROM customers")).containsExactly("1|Ann");
                    }
                    return null;
                });
            }
            assertThat(passwordReads.get()).as("borrowings that open no connection beside read no credentials")
                    .isEqualTo(afterStart);
            // getString and getObject only: a getter that fails (getBlob of a number) makes HikariCP close its proxy
            List<String> after = io.governed.jdbc.identity.IdentityContext.runAs(ANN, () -> {
                try (Connection c = inTransaction(governed.getConnection(), Connection.TRANSACTION_REPEATABLE_READ)) {
                    assertThat(rows(c, "SELECT id FROM customers")).containsExactly("1");
                    List<String> seen = seenInTransaction(c, "SELECT id, tenant, name, ssn FROM customers");
                    assertThat(sessionsNamed(name)).as("the pool's connection and the one beside it").isEqualTo(2);
                    c.rollback();
                    return seen;
                }
            });
            noLeak(after);
            ran(after);
            assertThat(after).anyMatch(v -> v.contains("6789"));
            assertThat(passwordReads.get()).as("read when the connection beside was opened").isGreaterThan(afterStart);
        }
    }

    /**
     * HikariCP over pgjdbc's data source ({@code setDataSource}), the credentials given to that data source: the
     * connection beside the transaction is the data source's own, not the pool's.
     */
    @Test
    void throughHikariOverPgjdbcsDataSourceTheReadRunsBesideThePool() throws Exception {
        String name = "rrs_hikari_ds" + (++connections);
        org.postgresql.ds.PGSimpleDataSource pg = new org.postgresql.ds.PGSimpleDataSource();
        pg.setURL("jdbc:" + url + "&ApplicationName=" + name);
        pg.setUser(ROLE);
        pg.setPassword("");
        try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource()) {
            pool.setDataSource(pg);
            pool.setMaximumPoolSize(1);
            pool.setMinimumIdle(1);
            pool.setConnectionTimeout(5_000);
            pool.setPoolName(name);
            javax.sql.DataSource governed = new io.governed.jdbc.GovernedDataSource(pool, governance());
            // getString and getObject only: a getter that fails (getBlob of a number) makes HikariCP close its proxy
            List<String> after = io.governed.jdbc.identity.IdentityContext.runAs(ANN, () -> {
                try (Connection c = inTransaction(governed.getConnection(), Connection.TRANSACTION_REPEATABLE_READ)) {
                    assertThat(rows(c, "SELECT id FROM customers")).containsExactly("1");
                    List<String> seen = seenInTransaction(c, "SELECT id, tenant, name, ssn FROM customers");
                    assertThat(sessionsNamed(name)).as("the pool's connection and the one beside it").isEqualTo(2);
                    assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("none more in the pool").isEqualTo(1);
                    c.rollback();
                    return seen;
                }
            });
            noLeak(after);
            ran(after);
            assertThat(after).anyMatch(v -> v.contains("6789"));
            assertThat(sessionsNamedOnceAtMost(name, 1)).as("after the transaction, the pool's own").isLessThanOrEqualTo(1);
        }
    }

    /**
     * HikariCP over the governed driver (a pool of governed connections): the application's {@code close()} hands the
     * governed connection back to the pool without closing it; a transaction SQL began and ended leaves no connection
     * beside it, nor does one the application left open (the pool rolls it back).
     */
    @Test
    void aPoolOfGovernedConnectionsKeepsNoConnectionBesideAHandedBackOne() throws Exception {
        String name = "rrs_pooled" + (++connections);
        try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource()) {
            pool.setJdbcUrl("jdbc:governed:" + url + "&ApplicationName=" + name);
            pool.setUsername(ROLE);
            pool.setPassword("");
            pool.addDataSourceProperty("governed.policy", policy.toString());
            pool.addDataSourceProperty("governed.principal", "ann");
            pool.addDataSourceProperty("governed.kind", "agent");
            pool.addDataSourceProperty("governed.attribute.tenant", "t1");
            pool.setMaximumPoolSize(1);
            pool.setMinimumIdle(1);
            pool.setConnectionTimeout(5_000);
            pool.setPoolName(name);
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                st.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
                readBesideTheTransaction(c, name);
                st.execute("COMMIT");
            }
            assertThat(sessionsNamedOnceSettled(name, 1)).as("handed back after COMMIT").isEqualTo(1);
            try (Connection c = inTransaction(pool.getConnection(), Connection.TRANSACTION_REPEATABLE_READ)) {
                readBesideTheTransaction(c, name);
            }
            assertThat(sessionsNamedOnceSettled(name, 1)).as("handed back with the transaction open").isEqualTo(1);
        }
    }

    // --- what it costs ----------------------------------------------------------------------------------------

    /**
     * The transaction's isolation and the session's reading that must show the catalog can be read beside it are one
     * query, sent with the savepoint that keeps its failure from aborting the transaction, set and released in its
     * round trip: one round trip on the session's connection before the statement, when the connection beside is set.
     */
    @Test
    void theIsolationAndTheSessionAreReadInOneRoundTripUnderTheSavepoint() throws Exception {
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(rows(c, "SELECT id FROM customers")).containsExactly("1");
            assertThat(rows(c, "SELECT id, name FROM customers")).containsExactly("1|Ann"); // the connection beside set
            io.governed.jdbc.support.PgWireRecorder.Trips trips;
            try (io.governed.jdbc.support.PgWireRecorder wire = io.governed.jdbc.support.PgWireRecorder.start()) {
                assertThat(rows(c, "SELECT id, name FROM customers")).containsExactly("1|Ann");
                trips = wire.takeTrips();
            }
            c.rollback();
            List<io.governed.jdbc.support.PgWireRecorder.Sent> sent = trips.statements();
            io.governed.jdbc.support.PgWireRecorder.Sent isolation = sent.stream()
                    .filter(t -> t.text() != null && t.text().contains("transaction_isolation")).findFirst().orElseThrow();
            io.governed.jdbc.support.PgWireRecorder.Sent session = sent.stream()
                    .filter(t -> t.text() != null && t.text().contains("pg_my_temp_schema")).findFirst().orElseThrow();
            assertThat(session.roundTrip()).as("" + trips).isEqualTo(isolation.roundTrip());
            List<String> inIt = sent.stream().filter(t -> t.roundTrip() == isolation.roundTrip())
                    .map(io.governed.jdbc.support.PgWireRecorder.Sent::text).toList();
            assertThat(inIt).as("" + trips).first().isEqualTo("SAVEPOINT governed_catalog_reading");
            assertThat(inIt).as("" + trips).last().isEqualTo("RELEASE SAVEPOINT governed_catalog_reading");
            assertThat(sent.stream().filter(t -> t.roundTrip() < isolation.roundTrip())).as("nothing before it: " + trips)
                    .isEmpty();
        }
    }
}
