package io.governed.jdbc.it;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.jdbc.support.GovernedTwins;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A masked and row-filtered analyst's governed connection has read its session (search path, relations, views, the
 * user code shadowing built-ins); then another session of the same database user, past governance, changes the catalog
 * under it: a view or a table in a schema searched first, a relation dropped and made again with its columns in
 * another order, a view replaced in place under a statement kept by name, a function under a built-in's name. The
 * analyst's next statements, at once (within any age the driver keeps a reading for) and inside a transaction, must
 * give no SSN in clear through any getter, and no row of another tenant.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresStaleReadingIT {
    private static final String DB = TestDatabase.forkName("frs_db");
    private static final String ROLE = TestDatabase.forkName("frs_app");
    /** The SSNs' first digits: what the partial mask never shows. */
    private static final List<String> CLEAR = List.of("123-45", "222-33");
    /** The other tenant's customer. */
    private static final String OTHER_TENANT = "Bob";

    private static final String POLICY = """
            version: 1
            default: deny
            classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: read, effect: permit, principals: { kinds: [agent] }, actions: [select], resources: ["*"] }
              - { id: by-name, effect: permit, principals: { kinds: [agent] }, actions: [select, execute], resources: ["*"], when: { traits: [dynamic-sql] } }
              - { id: transactions, effect: permit, principals: { kinds: [agent] }, actions: [transaction], resources: ["*"] }
              - { id: service, effect: permit, principals: { kinds: [service] }, actions: [select, create], resources: ["*"] }
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
            st.execute("CREATE ROLE " + ROLE + " LOGIN");
            st.execute("CREATE DATABASE " + DB + " OWNER " + ROLE);
        }
        url = "postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5&currentSchema=earlier,public";
        policy = dir.resolve("stale-reading.yaml");
        Files.writeString(policy, POLICY);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
            st.execute("DROP ROLE IF EXISTS " + ROLE);
        }
    }

    @BeforeEach
    void tables() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS earlier CASCADE");
            st.execute("DROP VIEW IF EXISTS public.v");
            st.execute("DROP FUNCTION IF EXISTS public.lower(int)");
            st.execute("DROP TABLE IF EXISTS public.customers, public.people");
            st.execute("CREATE SCHEMA earlier");
            st.execute("CREATE TABLE public.customers (id int PRIMARY KEY, tenant text, name text, ssn text)");
            st.execute("INSERT INTO public.customers VALUES (1, 't1', 'Ann', '123-45-6789'), (2, 't2', 'Bob', '222-33-4444')");
            st.execute("CREATE TABLE public.people (id int PRIMARY KEY, name text, ssn text)");
            st.execute("INSERT INTO public.people VALUES (1, 'Ann', '123-45-6789')");
            st.execute("CREATE VIEW public.v AS SELECT id, name, ssn FROM public.people");
        }
    }

    @AfterEach
    void dropTables() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS earlier CASCADE");
            st.execute("DROP VIEW IF EXISTS public.v");
            st.execute("DROP FUNCTION IF EXISTS public.lower(int)");
            st.execute("DROP TABLE IF EXISTS public.customers, public.people");
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + url, ROLE, "");
    }

    /** The analyst, of tenant t1: masked and filtered. */
    private static Connection analyst() throws SQLException {
        return GovernedTwins.governed(url, ROLE, policy, "ann", "agent", "t1");
    }

    /** An analyst of every tenant: masked, not filtered (a filtered caller may not prepare by name at all). */
    private static Connection unfiltered() throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", ROLE);
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "al");
        p.setProperty("governed.kind", "agent");
        p.setProperty("governed.groups", "all-tenants");
        return DriverManager.getConnection("jdbc:governed:" + url, p);
    }

    private static void other(String... ddl) throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("SET lock_timeout = '20s'"); // a lock the analyst's transaction holds fails the test, not hangs it
            for (String sql : ddl) {
                st.execute(sql);
            }
        }
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

    /**
     * The first column of the first row of {@code sql} on {@code c}, read with {@code getString} alone (some getters of
     * {@link EveryGetter} fail on the server, which would abort a transaction), or {@code null} when there is no row.
     */
    private static String firstValue(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** {@link #noLeak}, and the statement ran or was refused by the driver, not by a transaction already aborted. */
    private static void noLeakNorAbortedTransaction(List<String> seen) {
        assertThat(seen).as("the transaction was not aborted before").doesNotContain("refused: 25P02");
        noLeak(seen);
    }

    /**
     * Judged on the catalog as it is now (a reading beside the transaction): not refused for the transaction's snapshot
     * (as before the reading beside it was made).
     */
    private static void judgedOnTheCatalogNow(List<String> seen) {
        assertThat(seen).as("not refused for the snapshot").noneMatch(v -> v.contains("took its snapshot before it"));
    }

    private static void noLeak(List<String> seen) {
        for (String clear : CLEAR) {
            assertThat(seen).as("no SSN in clear").noneMatch(s -> s.contains(clear));
        }
        assertThat(seen).as("no row of another tenant").noneMatch(s -> s.contains(OTHER_TENANT));
    }

    @Test
    void aViewSwappingColumnsInASchemaSearchedFirstIsSeenAtOnce() throws SQLException {
        try (Connection c = analyst()) {
            List<String> before = seen(c, "SELECT * FROM customers");
            assertThat(before).anyMatch(s -> s.contains("Ann")).anyMatch(s -> s.contains("6789"));
            noLeak(before);
            other("CREATE VIEW earlier.customers AS SELECT id, tenant, ssn AS name, name AS ssn FROM public.customers");
            noLeak(seen(c, "SELECT * FROM customers"));
            noLeak(seen(c, "SELECT name FROM customers"));
        }
    }

    @Test
    void aViewOfEveryTenantInASchemaSearchedFirstIsSeenAtOnce() throws SQLException {
        try (Connection c = analyst()) {
            noLeak(seen(c, "SELECT id, name FROM customers"));
            other("CREATE VIEW earlier.customers AS SELECT id, 't1'::text AS tenant, name, ssn FROM public.customers");
            noLeak(seen(c, "SELECT id, name FROM customers"));
        }
    }

    @Test
    void aCopyWithItsColumnsInAnotherOrderInASchemaSearchedFirstIsSeenAtOnce() throws SQLException {
        try (Connection c = analyst()) {
            noLeak(seen(c, "SELECT * FROM customers"));
            other("CREATE TABLE earlier.customers AS SELECT id, tenant, ssn, name FROM public.customers WHERE tenant = 't1'");
            noLeak(seen(c, "SELECT * FROM customers"));
        }
    }

    @Test
    void aRelationMadeAgainWithItsColumnsInAnotherOrderIsSeenAtOnce() throws SQLException {
        try (Connection c = analyst()) {
            noLeak(seen(c, "SELECT * FROM people"));
            other("DROP VIEW public.v", "ALTER TABLE public.people RENAME TO people_old",
                    "CREATE TABLE public.people AS SELECT id, ssn, name FROM public.people_old");
            try {
                noLeak(seen(c, "SELECT * FROM people"));
                noLeak(seen(c, "SELECT id, name FROM people"));
            } finally {
                other("DROP TABLE public.people_old");
            }
        }
    }

    @Test
    void aViewReplacedInPlaceUnderAStatementKeptByNameIsSeenAtOnce() throws SQLException {
        try (Connection c = unfiltered(); Statement st = c.createStatement();
             PreparedStatement kept = c.prepareStatement("SELECT id, name FROM v WHERE id = ?")) {
            List<String> viaView = seen(c, "SELECT id, name, ssn FROM v");
            assertThat(viaView).as("a view's clear column reads in clear, its masked one masked")
                    .anyMatch(s -> s.equals("1.name.getString=Ann")).anyMatch(s -> s.startsWith("1.ssn.getString=") && s.endsWith("6789"));
            noLeak(viaView);
            st.execute("PREPARE p AS SELECT id, name FROM v");
            noLeak(seen(c, "EXECUTE p"));
            for (int i = 0; i < 6; i++) { // pgjdbc prepares it on the server from the fifth run
                kept.setInt(1, 1);
                try (ResultSet rs = kept.executeQuery()) {
                    noLeak(EveryGetter.ofAllRows(rs));
                }
            }
            other("CREATE OR REPLACE VIEW public.v AS SELECT id, ssn AS name, name AS ssn FROM public.people");
            List<String> executed = seen(c, "EXECUTE p");
            List<String> keptSeen = new ArrayList<>();
            kept.setInt(1, 1);
            try (ResultSet rs = kept.executeQuery()) {
                keptSeen.addAll(EveryGetter.ofAllRows(rs));
            } catch (SQLException refused) {
                keptSeen.addAll(ExceptionTexts.of(refused));
            }
            List<String> plain = seen(c, "SELECT id, name FROM v");
            org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
                for (String clear : CLEAR) {
                    soft.assertThat(executed).as("EXECUTE p").noneMatch(s -> s.contains(clear));
                    soft.assertThat(keptSeen).as("the kept PreparedStatement").noneMatch(s -> s.contains(clear));
                    soft.assertThat(plain).as("the plain statement").noneMatch(s -> s.contains(clear));
                }
            });
        }
    }

    /**
     * A view swapping the columns made in a schema searched first under a statement kept by name, and the table it
     * shadows analysed (which makes PostgreSQL analyse the kept text again, on the view): at the next {@code EXECUTE},
     * outside a transaction block, and inside a {@code REPEATABLE READ} one whose snapshot is older than the view.
     */
    @Test
    void aViewInASchemaSearchedFirstUnderAStatementKeptByNameIsSeenAtOnce() throws SQLException {
        for (String transaction : new String[] {null, "REPEATABLE READ"}) {
            tables();
            try (Connection c = unfiltered(); Statement st = c.createStatement()) {
                st.execute("PREPARE p AS SELECT id, name FROM people");
                assertThat(seen(c, "EXECUTE p")).as(String.valueOf(transaction)).contains("1.name.getString=Ann");
                if (transaction != null) {
                    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    c.setAutoCommit(false);
                    noLeak(seen(c, "SELECT id, name FROM people")); // the transaction's snapshot taken
                }
                other("CREATE VIEW earlier.people AS SELECT id, ssn AS name, name AS ssn FROM public.people",
                        "ANALYZE public.people");
                try (Connection raw = raw(); Statement check = raw.createStatement();
                     ResultSet rs = check.executeQuery("SELECT name FROM people WHERE id = 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).as("the view shows the SSN as a name").isEqualTo("123-45-6789");
                }
                List<String> executed = seen(c, "EXECUTE p");
                if (transaction != null) {
                    c.rollback();
                }
                noLeak(executed);
                assertThat(executed).as(String.valueOf(transaction)).noneMatch(s -> s.equals("1.name.getString=Ann"));
            }
        }
    }

    @Test
    void aFunctionUnderABuiltInNameMadeInsideATransactionIsSeen() throws SQLException {
        try (Connection c = analyst()) {
            c.setAutoCommit(false);
            noLeak(seen(c, "SELECT name FROM customers WHERE id = 1"));
            other("CREATE FUNCTION public.lower(int) RETURNS text LANGUAGE sql AS 'SELECT ssn FROM public.customers WHERE id = $1'");
            noLeak(seen(c, "SELECT lower(1)"));
            c.rollback();
        }
    }

    @Test
    void aFunctionUnderABuiltInNameMadeJustNowIsSeen() throws SQLException {
        try (Connection c = analyst()) {
            noLeak(seen(c, "SELECT lower('A')"));
            other("CREATE FUNCTION public.lower(int) RETURNS text LANGUAGE sql AS 'SELECT ssn FROM public.customers WHERE id = $1'");
            noLeak(seen(c, "SELECT lower(2)"));
        }
    }

    /**
     * A REPEATABLE READ or SERIALIZABLE transaction's statements see the catalog as it was when its snapshot was taken
     * (at its first statement), and so would any reading of the catalog made inside it; but PostgreSQL looks names up
     * and expands views on the newest catalog. Another session's view, replaced view or function, committed after the
     * snapshot, must not reach the analyst's next statement in the same transaction: no SSN in clear, no other tenant.
     * The statement is judged on a reading of the catalog made beside the transaction, as the database will resolve it
     * (it runs, masked, or is refused by the policy as on that catalog), not refused for the snapshot.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {Connection.TRANSACTION_REPEATABLE_READ, Connection.TRANSACTION_SERIALIZABLE})
    void aViewInASchemaSearchedFirstMadeAfterTheTransactionsSnapshotIsNotUsedUnseen(int isolation) throws SQLException {
        try (Connection c = analyst()) {
            c.setTransactionIsolation(isolation);
            c.setAutoCommit(false);
            assertThat(firstValue(c, "SELECT 1 FROM customers WHERE id = 1")).isNotNull(); // takes the snapshot
            other("CREATE VIEW earlier.customers AS SELECT id, 't1'::text AS tenant, ssn AS name, name AS ssn FROM public.customers");
            List<String> after = seen(c, "SELECT id, name FROM customers");
            c.rollback();
            noLeakNorAbortedTransaction(after);
            judgedOnTheCatalogNow(after);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {Connection.TRANSACTION_REPEATABLE_READ, Connection.TRANSACTION_SERIALIZABLE})
    void aViewReplacedInPlaceAfterTheTransactionsSnapshotIsNotUsedUnseen(int isolation) throws SQLException {
        try (Connection c = unfiltered()) {
            c.setTransactionIsolation(isolation);
            c.setAutoCommit(false);
            assertThat(firstValue(c, "SELECT 1")).isNotNull(); // takes the snapshot, locking no relation
            other("CREATE OR REPLACE VIEW public.v AS SELECT id, ssn AS name, name AS ssn FROM public.people");
            List<String> after = seen(c, "SELECT id, name FROM v");
            c.rollback();
            noLeakNorAbortedTransaction(after);
            judgedOnTheCatalogNow(after);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {Connection.TRANSACTION_REPEATABLE_READ, Connection.TRANSACTION_SERIALIZABLE})
    void aFunctionUnderABuiltInNameMadeAfterTheTransactionsSnapshotIsNotUsedUnseen(int isolation) throws SQLException {
        try (Connection c = analyst()) {
            c.setTransactionIsolation(isolation);
            c.setAutoCommit(false);
            assertThat(firstValue(c, "SELECT lower(name) FROM customers WHERE id = 1")).isNotNull(); // takes the snapshot
            other("CREATE FUNCTION public.lower(int) RETURNS text LANGUAGE sql AS 'SELECT ssn FROM public.customers WHERE id = $1'");
            List<String> after = seen(c, "SELECT lower(2)");
            c.rollback();
            noLeakNorAbortedTransaction(after);
            judgedOnTheCatalogNow(after);
        }
    }

    /** The same through a transaction SQL begins, its snapshot taken by a statement of no table. */
    @Test
    void aViewMadeAfterTheSnapshotOfATransactionBegunBySqlIsNotUsedUnseen() throws SQLException {
        try (Connection c = analyst(); Statement st = c.createStatement()) {
            st.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            assertThat(firstValue(c, "SELECT 1")).isNotNull(); // takes the snapshot
            other("CREATE VIEW earlier.customers AS SELECT id, 't1'::text AS tenant, ssn AS name, name AS ssn FROM public.customers");
            List<String> after = seen(c, "SELECT id, name FROM customers");
            st.execute("ROLLBACK");
            noLeakNorAbortedTransaction(after);
            judgedOnTheCatalogNow(after);
        }
    }

    /** A READ COMMITTED transaction reads the catalog on each statement's own snapshot: its statements keep running. */
    @Test
    void aReadCommittedTransactionSeesTheNewViewAndKeepsRunning() throws SQLException {
        try (Connection c = unfiltered()) {
            c.setAutoCommit(false);
            assertThat(firstValue(c, "SELECT 1 FROM customers WHERE id = 1")).isNotNull(); // takes the snapshot
            other("CREATE VIEW earlier.customers AS SELECT id, 't1'::text AS tenant, ssn AS name, name AS ssn FROM public.customers");
            List<String> after = seen(c, "SELECT id, name FROM customers");
            c.rollback();
            noLeakNorAbortedTransaction(after);
            assertThat(after).as("the view's name, the SSN, masked").anyMatch(v -> v.startsWith("1.name.getString=") && v.endsWith("6789"));
        }
    }

    /** A caller no mask, filter or limit applies to runs on in a REPEATABLE READ transaction, as before. */
    @Test
    void anUnlimitedCallerRunsOnInARepeatableReadTransaction() throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", ROLE);
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "svc");
        p.setProperty("governed.kind", "service");
        p.setProperty("governed.groups", "svc");
        try (Connection c = DriverManager.getConnection("jdbc:governed:" + url, p)) {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            assertThat(firstValue(c, "SELECT ssn FROM public.people")).isEqualTo("123-45-6789");
            other("CREATE TABLE earlier.t (id int)");
            assertThat(firstValue(c, "SELECT ssn FROM people")).isEqualTo("123-45-6789");
            c.rollback();
        }
    }

    /**
     * What reading afresh costs a masked caller's kept statement that calls a function: one query of user code and one
     * of the session (the search path with the relation's lookup), sent together in one round trip before the
     * statement; inside a transaction under one savepoint set and released in that same round trip, after one query of
     * the transaction's isolation (a REPEATABLE READ one's snapshot may be older than the statement).
     */
    @Test
    void aMaskedCallersStatementCallingAFunctionReadsUserCodeAndTheSessionOnceEach() throws Exception {
        String sql = "SELECT upper(name) FROM customers WHERE id = ?";
        try (Connection c = analyst(); PreparedStatement kept = c.prepareStatement(sql)) {
            for (boolean transaction : new boolean[] {false, true}) {
                c.setAutoCommit(!transaction);
                kept.setInt(1, 1);
                try (ResultSet rs = kept.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("ANN");
                }
                try (io.governed.jdbc.support.PgWireRecorder wire = io.governed.jdbc.support.PgWireRecorder.start()) {
                    try (ResultSet rs = kept.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo("ANN");
                    }
                    io.governed.jdbc.support.PgWireRecorder.Trips trips = wire.takeTrips();
                    List<String> texts = trips.statements().stream().map(io.governed.jdbc.support.PgWireRecorder.Sent::text).toList();
                    System.out.println("transaction " + transaction + ": " + trips.roundTrips() + " " + texts);
                    assertThat(texts).as(trips.toString()).last().asString().contains("upper(name)");
                    assertThat(texts).as("one reading of user code").filteredOn(t -> t.startsWith("SELECT 'f'::pg_catalog.text")).hasSize(1);
                    assertThat(texts).as("one reading of the search path").filteredOn(t -> t.startsWith("SELECT pg_catalog.current_schemas(true), pg_catalog.current_setting")).hasSize(1);
                    assertThat(texts).as("savepoints").filteredOn(t -> t.startsWith("SAVEPOINT")).hasSize(transaction ? 2 : 0); // the isolation's, the readings'
                    assertThat(texts).as("the transaction's isolation, asked inside one").filteredOn(t -> t.contains("'transaction_isolation'")).hasSize(transaction ? 1 : 0);
                    assertThat(trips.roundTrips()).as(trips.toString()).isEqualTo(transaction ? 3 : 2);
                    int userCode = texts.indexOf(texts.stream().filter(t -> t.startsWith("SELECT 'f'::pg_catalog.text"))
                            .findFirst().orElseThrow());
                    int searchPath = texts.indexOf(texts.stream().filter(t -> t.startsWith(
                            "SELECT pg_catalog.current_schemas(true)")).findFirst().orElseThrow());
                    assertThat(trips.statements().get(userCode).roundTrip()).as("user code and session read together")
                            .isEqualTo(trips.statements().get(searchPath).roundTrip());
                }
                if (transaction) {
                    c.rollback();
                }
            }
        }
    }
}
