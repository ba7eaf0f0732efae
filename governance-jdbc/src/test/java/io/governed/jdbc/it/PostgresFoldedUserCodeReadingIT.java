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
 * A masked agent's statement is judged on a reading of the session and a reading of the database's user code made in
 * one round trip as it runs. What another session made a moment before is seen by the agent's very next statement: an
 * operator {@code =} of user code for the column's type and the parameter's, in a schema the agent's search path
 * searches before {@code public} (an exact match, chosen over the built-in {@code text = text}); a cast of user code
 * that makes an integer text; a function of a schema searched first whose argument type matches better than
 * {@code pg_catalog.lower(text)}; a view replaced in place with its columns swapped. Each user code writes a row to a
 * log when it runs, which a raw connection reads; no getter may give the email in clear. In auto-commit and inside a
 * transaction (the readings under the savepoint set and released in their round trip).
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresFoldedUserCodeReadingIT {
    private static final String DB = TestDatabase.forkName("lrt_db");
    private static final String CLEAR = "ann@example.com";
    private static final String POLICY = """
            version: 1
            default: deny
            classification: { auto-detect: false, tags: { pii.email: ["*.email"] } }
            rules:
              - { id: work, effect: permit, principals: { kinds: [agent] }, actions: [select, insert, update, delete, transaction], resources: ["*"] }
            masks:
              - { id: mask-email, columns: { tags: [pii.email] }, function: partial, keep-last: 4 }
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
            st.execute("CREATE DATABASE " + DB);
        }
        url = "postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5";
        policy = dir.resolve("folded.yaml");
        Files.writeString(policy, POLICY);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    @BeforeEach
    void objects() throws Exception {
        dropObjects();
        // the user code another test made is gone: the database's shared reading of it, which a statement's check at
        // prepareStatement may take, is due again after a second
        Thread.sleep(1_100);
        other("CREATE SCHEMA lrt_early",
                "CREATE TABLE public.lrt_log (what text)",
                "CREATE TABLE public.lrt_people (id int PRIMARY KEY, email text, note text, code varchar(20))",
                "INSERT INTO public.lrt_people VALUES (1, '" + CLEAR + "', 'n1', 'AbC')",
                "CREATE VIEW public.lrt_v AS SELECT id, note, email FROM public.lrt_people",
                "CREATE FUNCTION public.lrt_leak_eq(text, varchar) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO public.lrt_log VALUES ('operator'); RETURN true; END $$",
                "CREATE FUNCTION public.lrt_int_text(int) RETURNS text LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO public.lrt_log VALUES ('cast'); RETURN (SELECT email FROM public.lrt_people"
                        + " WHERE id = 1); END $$");
    }

    @AfterEach
    void dropObjects() throws SQLException {
        other("DROP CAST IF EXISTS (int AS text)",
                "DROP SCHEMA IF EXISTS lrt_early CASCADE",
                "DROP VIEW IF EXISTS public.lrt_v",
                "DROP TABLE IF EXISTS public.lrt_people, public.lrt_log",
                "DROP FUNCTION IF EXISTS public.lrt_leak_eq(text, varchar), public.lrt_int_text(int)");
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + url, TestDatabase.POSTGRESQL.user(), "");
    }

    private static void other(String... ddl) throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            for (String sql : ddl) {
                st.execute(sql);
            }
        }
    }

    private static String ran() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(string_agg(what, ','), '') FROM public.lrt_log")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The masked agent, its search path searching {@code lrt_early} before {@code public}. */
    private static Connection agent(boolean autoCommit) throws SQLException {
        Connection c = GovernedTwins.governed(url + "&currentSchema=lrt_early,public", TestDatabase.POSTGRESQL.user(),
                policy, "ann", "agent", null);
        c.setAutoCommit(autoCommit);
        return c;
    }

    /** What every getter gave for the kept statement's rows, or the refusal's state and texts. */
    private static List<String> run(PreparedStatement kept, Object parameter) {
        List<String> seen = new ArrayList<>();
        try {
            kept.setObject(1, parameter);
            try (ResultSet rs = kept.executeQuery()) {
                seen.addAll(EveryGetter.ofAllRows(rs));
            }
        } catch (SQLException refused) {
            seen.add("refused: " + refused.getSQLState());
            seen.addAll(ExceptionTexts.of(refused));
        }
        return seen;
    }

    private static List<String> run(Connection c, String sql) {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            seen.addAll(EveryGetter.ofAllRows(rs));
        } catch (SQLException refused) {
            seen.add("refused: " + refused.getSQLState());
            seen.addAll(ExceptionTexts.of(refused));
        }
        return seen;
    }

    /** Ends the agent's transaction (outside auto-commit), so that another session's DDL waits for no lock of it. */
    private static void end(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.rollback();
        }
    }

    @ParameterizedTest(name = "auto-commit {0}")
    @ValueSource(booleans = {true, false})
    void anOperatorOfUserCodeInASchemaSearchedFirstIsSeenByTheNextRun(boolean autoCommit) throws SQLException {
        try (Connection c = agent(autoCommit);
             PreparedStatement kept = c.prepareStatement("SELECT email FROM lrt_people WHERE note = ?")) {
            assertThat(run(kept, "n1")).anyMatch(s -> s.endsWith(".com")).noneMatch(s -> s.contains(CLEAR));
            end(c);
            other("CREATE OPERATOR lrt_early.= (LEFTARG = text, RIGHTARG = varchar, FUNCTION = public.lrt_leak_eq)");
            List<String> seen = run(kept, "n1");
            end(c);
            assertThat(ran()).as("user code ran: %s", seen).isEmpty();
            assertThat(seen).noneMatch(s -> s.contains(CLEAR)).contains("refused: 42501");
        }
    }

    @ParameterizedTest(name = "auto-commit {0}")
    @ValueSource(booleans = {true, false})
    void aCastOfUserCodeIsSeenByTheNextStatement(boolean autoCommit) throws SQLException {
        try (Connection c = agent(autoCommit);
             PreparedStatement kept = c.prepareStatement("SELECT email FROM lrt_people WHERE id = ?")) {
            assertThat(run(kept, 1)).anyMatch(s -> s.endsWith(".com")).noneMatch(s -> s.contains(CLEAR));
            end(c);
            other("CREATE CAST (int AS text) WITH FUNCTION public.lrt_int_text AS IMPLICIT");
            List<String> seen = run(c, "SELECT note FROM lrt_people WHERE note = id");
            end(c);
            assertThat(ran()).as("user code ran: %s", seen).isEmpty();
            assertThat(seen).noneMatch(s -> s.contains(CLEAR)).anyMatch(s -> s.startsWith("refused: "));
        }
    }

    @ParameterizedTest(name = "auto-commit {0}")
    @ValueSource(booleans = {true, false})
    void aFunctionShadowingABuiltInIsSeenByTheNextRun(boolean autoCommit) throws SQLException {
        try (Connection c = agent(autoCommit);
             PreparedStatement kept = c.prepareStatement("SELECT lower(code) FROM lrt_people WHERE id = ?")) {
            assertThat(run(kept, 1)).anyMatch(s -> s.endsWith(".getString=abc"));
            end(c);
            other("CREATE FUNCTION lrt_early.lower(varchar) RETURNS text LANGUAGE plpgsql AS $$ BEGIN"
                    + " INSERT INTO public.lrt_log VALUES ('function'); RETURN (SELECT email FROM public.lrt_people"
                    + " WHERE id = 1); END $$");
            List<String> seen = run(kept, 1);
            end(c);
            assertThat(ran()).as("user code ran: %s", seen).isEmpty();
            assertThat(seen).noneMatch(s -> s.contains(CLEAR)).contains("refused: 42501");
        }
    }

    @ParameterizedTest(name = "auto-commit {0}")
    @ValueSource(booleans = {true, false})
    void aViewReplacedInPlaceIsSeenByTheNextRun(boolean autoCommit) throws SQLException {
        try (Connection c = agent(autoCommit);
             PreparedStatement kept = c.prepareStatement("SELECT note FROM lrt_v WHERE id = ?")) {
            assertThat(run(kept, 1)).anyMatch(s -> s.endsWith(".getString=n1"));
            end(c);
            other("CREATE OR REPLACE VIEW public.lrt_v AS SELECT id, email AS note, note AS email FROM public.lrt_people");
            List<String> seen = run(kept, 1);
            end(c);
            assertThat(seen).as("the email, now under the name note").noneMatch(s -> s.contains(CLEAR))
                    .isNotEmpty();
        }
    }
}
