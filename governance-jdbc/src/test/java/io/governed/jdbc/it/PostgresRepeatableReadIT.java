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
 * A masked (and row-filtered) caller in a {@code REPEATABLE READ} or {@code SERIALIZABLE} transaction, whose catalog
 * queries see the catalog of the transaction's snapshot while PostgreSQL resolves names, expands views and picks
 * operators on the newest one. After another session (or the session itself, on a path changed since) changes what a
 * statement depends on, it gives no SSN in clear and no row of another tenant: it is judged on a reading of the catalog
 * made beside the transaction, as the database resolves it (it runs masked and filtered, or the policy refuses it as it
 * would in READ COMMITTED), not refused for the snapshot; the transaction's own DDL keeps it refused.
 * Each case is an attack on any check that would let such a caller's reads run after the snapshot: an operator made
 * after it, for one, leaves every relation the read names unchanged and is absent from the snapshot's catalog.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRepeatableReadIT {
    private static final String DB = TestDatabase.forkName("rr_it_db");
    private static final String ROLE = TestDatabase.forkName("rr_app");
    /** The SSNs' first digits: what the partial mask never shows. */
    private static final List<String> CLEAR = List.of("123-45", "222-33");
    /** The other tenant's customer. */
    private static final String OTHER_TENANT = "Bob";

    private static final String POLICY = """
            version: 1
            default: deny
            classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: read, effect: permit, principals: { kinds: [agent] }, actions: [select, set, create], resources: ["*"] }
              - { id: transactions, effect: permit, principals: { kinds: [agent] }, actions: [transaction], resources: ["*"] }
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
            st.execute("CREATE ROLE " + ROLE + " LOGIN");
            st.execute("CREATE DATABASE " + DB + " OWNER " + ROLE);
        }
        url = "postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5&currentSchema=earlier,public";
        policy = dir.resolve("repeatable-read.yaml");
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
        dropTables();
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
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
        return url + "&ApplicationName=rr" + (++connections);
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

    /**
     * Judged on the catalog as it is now (a reading beside the transaction): no leak, and not refused for the
     * transaction's snapshot (as before the reading beside it was made).
     */
    private static void judgedOnTheCatalogNow(List<String> seen) {
        noLeak(seen);
        assertThat(seen).as("not refused for the snapshot").noneMatch(v -> v.contains("took its snapshot before it"));
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

    // --- what must not leak: the catalog changed after the snapshot -------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {Connection.TRANSACTION_REPEATABLE_READ, Connection.TRANSACTION_SERIALIZABLE})
    void aViewOfEveryTenantSwappingColumnsInASchemaSearchedFirst(int isolation) throws SQLException {
        try (Connection c = inTransaction(analyst(), isolation)) {
            assertThat(rows(c, "SELECT id, name FROM customers")).containsExactly("1|Ann");
            other("CREATE VIEW earlier.customers AS SELECT id, 't1'::text AS tenant, ssn AS name, name AS ssn FROM public.customers");
            List<String> after = seenInTransaction(c, "SELECT id, name FROM customers");
            c.rollback();
            noLeak(after);
            judgedOnTheCatalogNow(after);
        }
    }

    /** A table, not a view, of every tenant's rows in a schema searched first. */
    @Test
    void aTableOfEveryTenantInASchemaSearchedFirst() throws SQLException {
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(rows(c, "SELECT id, name FROM customers")).containsExactly("1|Ann");
            other("CREATE TABLE earlier.customers AS SELECT id, tenant, ssn AS name, name AS ssn FROM public.customers");
            List<String> after = seenInTransaction(c, "SELECT id, name FROM customers");
            c.rollback();
            noLeak(after);
            judgedOnTheCatalogNow(after);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {Connection.TRANSACTION_REPEATABLE_READ, Connection.TRANSACTION_SERIALIZABLE})
    void aViewReplacedInPlace(int isolation) throws SQLException {
        try (Connection c = inTransaction(unfiltered(), isolation)) {
            assertThat(rows(c, "SELECT id, name FROM customers")).containsExactly("1|Ann", "2|Bob");
            other("CREATE OR REPLACE VIEW public.v AS SELECT id, ssn AS name, name AS ssn FROM public.people");
            List<String> after = seenInTransaction(c, "SELECT id, name FROM v");
            c.rollback();
            noLeak(after);
            judgedOnTheCatalogNow(after);
        }
    }

    /** A view dropped and made again under its name, reading the columns the other way round. */
    @Test
    void aViewDroppedAndMadeAgain() throws SQLException {
        try (Connection c = inTransaction(unfiltered(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(rows(c, "SELECT id FROM customers WHERE id = 1")).containsExactly("1");
            other("DROP VIEW public.v", "CREATE VIEW public.v AS SELECT id, ssn AS name, name AS ssn FROM public.people");
            List<String> after = seenInTransaction(c, "SELECT id, name FROM v");
            c.rollback();
            // the view is read as it is now, beside the transaction: its SSN column masked
            judgedOnTheCatalogNow(after);
        }
    }

    /**
     * The columns of a table the transaction has not read yet renamed the other way round: name holds the SSN, which
     * the policy, tagging columns by name, no longer tags; the read shows what it shows in READ COMMITTED.
     */
    @Test
    void columnsRenamedTheOtherWayRound() throws SQLException {
        try (Connection c = inTransaction(unfiltered(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(rows(c, "SELECT id, name FROM customers WHERE id = 1")).containsExactly("1|Ann");
            other("DROP VIEW public.v", "ALTER TABLE public.people RENAME COLUMN name TO n0",
                    "ALTER TABLE public.people RENAME COLUMN ssn TO name", "ALTER TABLE public.people RENAME COLUMN n0 TO ssn");
            List<String> after = seenInTransaction(c, "SELECT id, name FROM people");
            c.rollback();
            // the SSNs are in a column named name now, which the policy (tags by column name) does not tag: read beside
            // the transaction, the statement is judged as in READ COMMITTED on the catalog as it is, and shows what a
            // READ COMMITTED read shows (before, it was refused for the snapshot)
            assertThat(after).as("not refused for the snapshot").noneMatch(v -> v.contains("took its snapshot before it"))
                    .isEqualTo(readCommitted(unfiltered(), "SELECT id, name FROM people"));
        }
    }

    /** A column of the table a view reads renamed, the view reading it under the other's name. */
    @Test
    void aColumnUnderAViewRenamed() throws SQLException {
        try (Connection c = inTransaction(unfiltered(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(rows(c, "SELECT id FROM customers WHERE id = 1")).containsExactly("1");
            other("ALTER TABLE public.people RENAME COLUMN name TO n0", "ALTER TABLE public.people RENAME COLUMN ssn TO name",
                    "ALTER TABLE public.people RENAME COLUMN n0 TO ssn");
            // the view still reads the columns it read (by number): its name is the name, its ssn the SSN; a reading of
            // the view's definition on the snapshot and of the table's columns now would take name for the SSN's
            // column, or the other way round
            List<String> after = seenInTransaction(c, "SELECT id, name, ssn FROM v");
            c.rollback();
            noLeak(after);
        }
    }

    /** The first inheritance child of a table the statement reads, made after the snapshot, with another tenant's SSNs. */
    @Test
    void aChildTableMadeAfterTheSnapshot() throws SQLException {
        try (Connection c = inTransaction(unfiltered(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(rows(c, "SELECT id FROM customers WHERE id = 1")).containsExactly("1");
            other("CREATE TABLE public.people_kid (secret text) INHERITS (public.people)",
                    "INSERT INTO public.people_kid VALUES (2, 'Cy', '222-33-4444', 'x')");
            List<String> after = seenInTransaction(c, "SELECT id, name, ssn FROM people");
            c.rollback();
            noLeak(after);
        }
    }

    /** The search path changed inside the transaction ({@code SET}), to a schema holding a view made after the snapshot. */
    @Test
    void aSearchPathSetInsideTheTransaction() throws SQLException {
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ); Statement st = c.createStatement()) {
            st.execute("SET search_path = public");
            noLeak(seenInTransaction(c, "SELECT id, name FROM customers"));
            other("CREATE SCHEMA later",
                    "CREATE VIEW later.customers AS SELECT id, 't1'::text AS tenant, ssn AS name, name AS ssn FROM public.customers");
            st.execute("SET search_path = later, public");
            List<String> after = seenInTransaction(c, "SELECT id, name FROM customers");
            c.rollback();
            other("DROP SCHEMA later CASCADE");
            noLeak(after);
            judgedOnTheCatalogNow(after);
        }
    }

    /** A function under a built-in's name made after the snapshot: a call stays refused in such a transaction. */
    @Test
    void aFunctionOverloadMadeAfterTheSnapshot() throws SQLException {
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(rows(c, "SELECT id, name FROM customers")).containsExactly("1|Ann");
            other("CREATE FUNCTION public.lower(int) RETURNS text LANGUAGE sql AS 'SELECT ssn FROM public.customers WHERE id = $1'");
            List<String> after = seenInTransaction(c, "SELECT lower(2)");
            c.rollback();
            noLeak(after);
            judgedOnTheCatalogNow(after);
        }
    }

    /**
     * An operator made after the snapshot, over the types a plain read applies it to: the text has no call and no
     * cast, the relations it names are unchanged, and the database would run the operator's function (which reads the
     * other tenant's SSN) while the transaction's reading of user code, bound to the snapshot, does not list it.
     */
    @Test
    void anOperatorMadeAfterTheSnapshot() throws SQLException {
        try (Connection c = inTransaction(analyst(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(rows(c, "SELECT id, name FROM customers")).containsExactly("1|Ann");
            other("CREATE FUNCTION public.rr_twice(text, text) RETURNS text LANGUAGE sql"
                            + " AS 'SELECT ssn FROM public.customers WHERE id = 2'",
                    "CREATE OPERATOR public.+ (LEFTARG = text, RIGHTARG = text, FUNCTION = public.rr_twice)");
            List<String> after = seen(c, "SELECT name + name AS twice FROM customers");
            c.rollback();
            noLeak(after);
            judgedOnTheCatalogNow(after);
        } finally {
            other("DROP OPERATOR IF EXISTS public.+ (text, text)", "DROP FUNCTION IF EXISTS public.rr_twice(text, text)");
        }
    }

    /**
     * DDL in the transaction itself: the analyst's own is refused (it is no plain read), and another identity's in the
     * same transaction leaves locks the analyst's next statement would inherit, which refuses it. Either way no read of
     * the analyst's is judged on a catalog its snapshot does not show.
     */
    @Test
    void aViewTheTransactionMadeItself() throws Exception {
        io.governed.identity.Identity service = io.governed.identity.Identity.builder("svc")
                .kind(io.governed.identity.IdentityKind.SERVICE).groups("svc").build();
        try (Connection c = inTransaction(unfiltered(), Connection.TRANSACTION_REPEATABLE_READ); Statement st = c.createStatement()) {
            assertThat(rows(c, "SELECT id, name FROM customers ORDER BY id")).containsExactly("1|Ann", "2|Bob");
            List<String> own = new ArrayList<>();
            try {
                st.execute("CREATE VIEW earlier.customers AS SELECT id, tenant, ssn AS name, name AS ssn FROM public.customers");
            } catch (SQLException refused) {
                own.add("refused: " + refused.getSQLState());
            }
            assertThat(own).as("the analyst's own DDL").containsExactly("refused: 42501");
            noLeak(seenInTransaction(c, "SELECT id, name, ssn FROM customers WHERE id = 1"));
            io.governed.jdbc.identity.IdentityContext.runAs(service, () -> st.execute(
                    "CREATE VIEW earlier.customers AS SELECT id, tenant, ssn AS name, name AS ssn FROM public.customers"));
            List<String> after = seenInTransaction(c, "SELECT id, name FROM customers ORDER BY id");
            c.rollback();
            noLeak(after);
            assertThat(after).contains("refused: 42501");
        }
    }
}
