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
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * User code another session makes a moment before a masked agent's statement, whose text has no {@code (}, {@code ::}
 * or {@code EXECUTE}: an operator over the types the statement applies it to, a trigger on the table it inserts into, a
 * CHECK calling a function on the domain of the column it updates, a default calling a function on a column it leaves
 * out, a domain with a CHECK it drops, a cast between two system types the statement's comparison applies. The agent
 * may read, write, alter and drop, but call no routine: each statement must be refused (42501) or run no user code,
 * which a raw connection checks (the code writes a row to a log when it runs), and no getter may give an SSN in clear.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresFreshUserCodeIT {
    private static final String DB = TestDatabase.forkName("uc_db");
    private static final String CLEAR = "123-45";

    private static final String POLICY = """
            version: 1
            default: deny
            classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: work, effect: permit, principals: { kinds: [agent, service] }, actions: [select, insert, update, delete, alter, drop], resources: ["*"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [svc] } }
            """;

    private static String url;
    @TempDir
    static Path dir;
    private static Path policy;

    /** The user code made just before the statement, and the statement, whose text has no {@code (} nor {@code ::}. */
    enum Made {
        OPERATOR("SELECT name + name AS twice FROM public.uc_customers WHERE id = 1",
                "CREATE OPERATOR public.+ (LEFTARG = text, RIGHTARG = text, FUNCTION = public.uc_leak_text)"),
        TRIGGER("INSERT INTO public.uc_customers SELECT 3, 'Cy', '333-44-5555'",
                "CREATE TRIGGER uc_on_insert BEFORE INSERT ON public.uc_customers FOR EACH ROW EXECUTE FUNCTION public.uc_trigger()"),
        DOMAIN_CHECK("UPDATE public.uc_customers SET amount = 7 WHERE id = 1",
                "ALTER DOMAIN public.uc_amount ADD CONSTRAINT uc_calls CHECK (public.uc_check(VALUE)) NOT VALID"),
        DEFAULT("INSERT INTO public.uc_customers SELECT 4, 'Dee'",
                "ALTER TABLE public.uc_customers ALTER COLUMN note SET DEFAULT public.uc_default()"),
        DROPPED_CHECKED_DOMAIN("DROP DOMAIN public.uc_checked",
                "CREATE DOMAIN public.uc_checked AS int CHECK (public.uc_check(VALUE))"),
        ALTERED_TO_CHECKED_DOMAIN("ALTER TABLE public.uc_customers ALTER COLUMN amount TYPE public.uc_checked2",
                "CREATE DOMAIN public.uc_checked2 AS int CHECK (public.uc_check(VALUE))"),
        SYSTEM_CAST("SELECT name FROM public.uc_customers WHERE name = id",
                "CREATE CAST (int AS text) WITH FUNCTION public.uc_int_text AS IMPLICIT");

        final String statement;
        final String ddl;

        Made(String statement, String ddl) {
            this.statement = statement;
            this.ddl = ddl;
        }
    }

    @BeforeAll
    static void database() throws Exception {
        TestDatabase.POSTGRESQL.requireReachable();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + DB);
        }
        url = "postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5";
        policy = dir.resolve("fresh-user-code.yaml");
        Files.writeString(policy, POLICY);
        // every statement run once before (each test's objects are made again), so that none is slow the first time
        // it runs in a test, and each is judged well within the age a reading may have
        new PostgresFreshUserCodeIT().objects();
        for (Connection c : new Connection[] {agent(), service()}) {
            try (c) {
                run(c, "SELECT id, pg_catalog.upper(name), ssn FROM public.uc_customers WHERE id = 1");
                for (Made made : Made.values()) {
                    run(c, made.statement);
                }
            }
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    @BeforeEach
    void objects() throws SQLException {
        dropObjects();
        other("CREATE TABLE public.uc_log (what text)",
                "CREATE DOMAIN public.uc_amount AS int",
                "CREATE TABLE public.uc_customers (id int PRIMARY KEY, name text, ssn text, amount public.uc_amount, note text)",
                "INSERT INTO public.uc_customers VALUES (1, 'Ann', '123-45-6789', 1, 'n'), (2, 'Bob', '222-33-4444', 2, 'n')",
                "CREATE FUNCTION public.uc_leak_text(a text, b text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO public.uc_log VALUES ('operator'); RETURN (SELECT ssn FROM public.uc_customers WHERE id = 1); END $$",
                "CREATE FUNCTION public.uc_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO public.uc_log VALUES ('trigger'); RETURN NEW; END $$",
                "CREATE FUNCTION public.uc_check(int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO public.uc_log VALUES ('check'); RETURN true; END $$",
                "CREATE FUNCTION public.uc_default() RETURNS text LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO public.uc_log VALUES ('default'); RETURN 'd'; END $$",
                "CREATE FUNCTION public.uc_int_text(int) RETURNS text LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO public.uc_log VALUES ('cast'); RETURN pg_catalog.concat('', $1); END $$");
    }

    @AfterEach
    void dropObjects() throws SQLException {
        other("DROP CAST IF EXISTS (int AS text)",
                "DROP OPERATOR IF EXISTS public.+ (text, text)",
                "DROP TABLE IF EXISTS public.uc_customers, public.uc_log",
                "DROP DOMAIN IF EXISTS public.uc_amount, public.uc_checked, public.uc_checked2",
                "DROP FUNCTION IF EXISTS public.uc_leak_text(text, text), public.uc_trigger(), public.uc_check(int),"
                        + " public.uc_default(), public.uc_int_text(int)");
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

    private static String rawValue(String sql) throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The masked agent. */
    private static Connection agent() throws SQLException {
        return GovernedTwins.governed(url, TestDatabase.POSTGRESQL.user(), policy, "ann", "agent", null);
    }

    /** A service no mask, row filter or limit applies to, permitted the same. */
    private static Connection service() throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", TestDatabase.POSTGRESQL.user());
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "svc");
        p.setProperty("governed.kind", "service");
        p.setProperty("governed.groups", "svc");
        return DriverManager.getConnection("jdbc:governed:" + url, p);
    }

    /**
     * A caller no mask, row filter or limit applies to has its statements that define, alter or drop judged on a reading
     * of user code made as they run too. Its queries and writes are judged on the readings in force (user code up to a
     * second old, the session's relations, their triggers, defaults and domains up to ten): the operator, the trigger,
     * the domain's CHECK, the default and the cast made a moment before still run for it, unchecked.
     */
    @ParameterizedTest
    @EnumSource(value = Made.class, names = {"DROPPED_CHECKED_DOMAIN", "ALTERED_TO_CHECKED_DOMAIN"})
    void userCodeMadeJustBeforeIsSeenForAnUnlimitedCallersDefinition(Made made) throws SQLException {
        try (Connection c = service()) {
            assertThat(run(c, "SELECT id, pg_catalog.upper(name), ssn FROM public.uc_customers WHERE id = 1"))
                    .anyMatch(s -> s.contains(CLEAR));
            other(made.ddl);
            List<String> seen = run(c, made.statement);
            String ran = rawValue("SELECT coalesce(string_agg(what, ','), '') FROM public.uc_log");
            assertThat(ran).as("user code ran for %s: %s", made, seen).isEmpty();
            assertThat(seen).as("refused").contains("refused: 42501");
            if (made == Made.DROPPED_CHECKED_DOMAIN) {
                assertThat(rawValue("SELECT count(*) FROM pg_type WHERE typname = 'uc_checked'")).isEqualTo("1");
            }
            if (made == Made.ALTERED_TO_CHECKED_DOMAIN) {
                assertThat(rawValue("SELECT atttypid::regtype::text FROM pg_attribute WHERE attrelid ="
                        + " 'public.uc_customers'::regclass AND attname = 'amount'")).isEqualTo("uc_amount");
            }
        }
    }

    /** What every getter gave for {@code sql}'s result (or its update count), or the refusal's state and texts. */
    private static List<String> run(Connection c, String sql) {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            if (st.execute(sql)) {
                try (ResultSet rs = st.getResultSet()) {
                    seen.addAll(EveryGetter.ofAllRows(rs));
                }
            } else {
                seen.add("count " + st.getUpdateCount());
            }
        } catch (SQLException refused) {
            seen.add("refused: " + refused.getSQLState());
            seen.addAll(ExceptionTexts.of(refused));
        }
        return seen;
    }

    @ParameterizedTest
    @EnumSource(Made.class)
    void userCodeMadeJustBeforeIsSeen(Made made) throws SQLException {
        assertThat(made.statement).doesNotContain("(").doesNotContain("::");
        try (Connection c = agent()) {
            // the connection's readings are taken just now: of the session, and (a call in the text) of the user code
            assertThat(run(c, "SELECT id, pg_catalog.upper(name), ssn FROM public.uc_customers WHERE id = 1"))
                    .anyMatch(s -> s.endsWith("6789")).noneMatch(s -> s.contains(CLEAR));
            other(made.ddl);
            List<String> seen = run(c, made.statement);
            String ran = rawValue("SELECT coalesce(string_agg(what, ','), '') FROM public.uc_log");
            assertThat(ran).as("user code ran for %s: %s", made, seen).isEmpty();
            assertThat(seen).as("no SSN in clear").noneMatch(s -> s.contains(CLEAR));
            assertThat(seen).as("refused").contains("refused: 42501");
            if (made == Made.DROPPED_CHECKED_DOMAIN) {
                assertThat(rawValue("SELECT count(*) FROM pg_type WHERE typname = 'uc_checked'")).isEqualTo("1");
            }
            if (made == Made.ALTERED_TO_CHECKED_DOMAIN) {
                assertThat(rawValue("SELECT atttypid::regtype::text FROM pg_attribute WHERE attrelid ="
                        + " 'public.uc_customers'::regclass AND attname = 'amount'")).isEqualTo("uc_amount");
            }
        }
    }
}
