package io.governed.jdbc.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The integration tests run in two JVMs, each on a database of its own; what a database cannot keep apart (roles,
 * server settings, other databases, other sessions) only a {@link ServerWide} class may touch, and
 * {@link ForkLockExtension} runs such a class alone. This test reads the test sources for those forms and names every
 * {@code *IT} class that uses one, itself or through a helper class it names, without {@code @ServerWide}.
 * It fails closed: an occurrence counts unless the source text proves the other JVM cannot meet it, which it can for a
 * database, MariaDB schema, {@code USE}, role or user named by a constant built once by {@code forkName("literal")},
 * {@code UniqueNames.of(...)} or a literal plus {@code UUID.randomUUID()} ({@link #NAMED_FORMS}), for taking such a
 * role, for privileges on the fork's own schema or table given to or taken from such a role ({@link #OWN_OBJECT_GRANT}),
 * and for a {@code pg_stat_activity} read of the session's own row ({@link #OWN_SESSION}).
 */
class ServerWideAuditTest {
    private static final Path SOURCES = Path.of("src", "test", "java");

    private static final int I = Pattern.CASE_INSENSITIVE;

    /** Forms whose effect reaches past the fork's own database on either server. */
    static final Map<String, Pattern> SERVER_WIDE = new LinkedHashMap<>();

    /** Forms that are server-wide on MariaDB only (a schema there is a database); checked in files that use MariaDB. */
    static final Map<String, Pattern> MARIADB_SERVER_WIDE = new LinkedHashMap<>();

    /**
     * Occurrences of a form that name a database, MariaDB schema, role or user right after it: such an occurrence is
     * fork-safe when that name is proven specific to this JVM ({@link #forkSpecificName}); every other occurrence of
     * the form, and every form not listed here ({@code pg_database}, {@code GRANT}, {@code SET ROLE}, …), still counts.
     */
    static final Map<String, Pattern> NAMED_FORMS = new LinkedHashMap<>();

    static {
        SERVER_WIDE.put("roles or users", Pattern.compile("\\b(CREATE|ALTER|DROP|RENAME)\\s+(ROLE|USER)\\b", I));
        SERVER_WIDE.put("GRANT/REVOKE", Pattern.compile("\\b(GRANT|REVOKE)\\s+[A-Za-z_,\\s(]+\\b(ON|TO|FROM)\\b|\\b(GRANT|REVOKE)\\s*\"\\s*\\+", I));
        SERVER_WIDE.put("SET ROLE / SESSION AUTHORIZATION",
                Pattern.compile("\\bSET\\s+(SESSION\\s+|LOCAL\\s+)?(ROLE|AUTHORIZATION)\\b|\\bSET\\s+SESSION\\s+AUTHORIZATION\\b|\\bRESET\\s+ROLE\\b|-c\\s*role\\b|-c%20role\\b", I));
        SERVER_WIDE.put("ALTER SYSTEM / server configuration", Pattern.compile("\\bALTER\\s+SYSTEM\\b|pg_reload_conf", I));
        SERVER_WIDE.put("tablespaces", Pattern.compile("\\bTABLESPACE\\b", I));
        SERVER_WIDE.put("databases", Pattern.compile("\\b(CREATE|DROP|ALTER)\\s+DATABASE\\b|\\bpg_database\\b", I));
        SERVER_WIDE.put("prepared transactions", Pattern.compile(
                "pg_prepared_xacts|\\bPREPARE\\s+TRANSACTION\\b|\\b(COMMIT|ROLLBACK)\\s+PREPARED\\b|\\bXA\\s+(START|BEGIN|END|PREPARE|COMMIT|ROLLBACK|RECOVER)\\b|XAResource|XADataSource", I));
        SERVER_WIDE.put("other sessions", Pattern.compile(
                "pg_stat_activity|pg_terminate_backend|pg_cancel_backend|pg_locks|pg_blocking_pids|\\bPROCESSLIST\\b|\\bKILL\\s+(QUERY\\s+|CONNECTION\\s+)?[\"'+0-9?]", I));
        SERVER_WIDE.put("global variables", Pattern.compile("\\bSET\\s+(GLOBAL|PERSIST)\\b|@@global\\.|\\bSET\\s+@@global", I));
        SERVER_WIDE.put("server catalogs", Pattern.compile(
                "\\bmysql\\.[a-z_]+|\\bpg_(roles|authid|user|shadow|auth_members|db_role_setting|shdepend|shdescription|tablespace|replication_slots)\\b|\\binformation_schema\\.(user_privileges|applicable_roles|enabled_roles)\\b|\\bSHOW\\s+(DATABASES|SCHEMAS|GRANTS)\\b", I));
        SERVER_WIDE.put("FLUSH", Pattern.compile("\\bFLUSH\\s+[A-Z]", I));
        SERVER_WIDE.put("named locks", Pattern.compile("\\b(GET_LOCK|RELEASE_LOCK|RELEASE_ALL_LOCKS|IS_USED_LOCK|IS_FREE_LOCK)\\s*\\(", I));
        SERVER_WIDE.put("server administration", Pattern.compile(
                "\\b(INSTALL|UNINSTALL)\\s+(PLUGIN|SONAME)\\b|\\bSET\\s+PASSWORD\\b|\\bCHECKPOINT\\b|pg_switch_wal|pg_stat_reset_shared"
                        + "|\\b(PURGE|RESET)\\s+(BINARY\\s+LOGS|MASTER|SLAVE|REPLICA)\\b|\\bCHANGE\\s+MASTER\\b"
                        + "|\\bCOMMENT\\s+ON\\s+(DATABASE|ROLE|TABLESPACE)\\b", I));
        SERVER_WIDE.put("other databases by link", Pattern.compile("\\bdblink\\b|postgres_fdw|\\bCREATE\\s+(SUBSCRIPTION|SERVER)\\b|replication_slot", I));
        MARIADB_SERVER_WIDE.put("MariaDB schemas (databases)", Pattern.compile("\\b(CREATE|DROP|ALTER)\\s+SCHEMA\\b", I));
        MARIADB_SERVER_WIDE.put("MariaDB list of databases", Pattern.compile("\\binformation_schema\\.schemata\\b", I));
        MARIADB_SERVER_WIDE.put("MariaDB events", Pattern.compile("event_scheduler|\\bCREATE\\s+(DEFINER\\s*=\\s*\\S+\\s+)?EVENT\\b", I));
        MARIADB_SERVER_WIDE.put("MariaDB USE of another database", Pattern.compile(
                "(?m)\"[^\"\\n]*\\bUSE\\s+(?!\"\\s*\\+\\s*TestDatabase\\.DATABASE\\b)(?!test\\b)(?=[`\"A-Za-z_])", I));
        NAMED_FORMS.put("roles or users", Pattern.compile("(CREATE|ALTER|DROP)\\s+(ROLE|USER)", I));
        NAMED_FORMS.put("databases", Pattern.compile("(CREATE|DROP|ALTER)\\s+DATABASE", I));
        NAMED_FORMS.put("MariaDB schemas (databases)", Pattern.compile("(CREATE|DROP|ALTER)\\s+SCHEMA", I));
        NAMED_FORMS.put("MariaDB USE of another database", Pattern.compile(".*", I | Pattern.DOTALL));
        NAMED_FORMS.put("SET ROLE / SESSION AUTHORIZATION", Pattern.compile("SET\\s+(SESSION\\s+|LOCAL\\s+)?ROLE|-c\\s*role|-c%20role", I));
    }

    /**
     * What may stand between {@code -c role} (pgjdbc's {@code options}, plain or URL-encoded) and the literal's end
     * before the name.
     */
    private static final Pattern OPTION_BEFORE_NAME = Pattern.compile("\\G(=|%3D)\"\\s*\\+\\s*", I);

    /**
     * The only {@code GRANT}/{@code REVOKE} proven to stay with one JVM: privileges on a schema or table of the fork's
     * own database (named in the literal, or between two literals by a name proven specific to this JVM), in a literal
     * that ends at {@code TO}/{@code FROM}, given to or taken from one role whose whole name is proven specific to this
     * JVM. Privileges on a database, tablespace or anything else, membership of a role,
     * {@code PUBLIC} or a fixed grantee, and a grantee list still count.
     */
    private static final Pattern OWN_OBJECT_GRANT = Pattern.compile(
            "\\G(GRANT|REVOKE)\\s+[A-Za-z_]+(\\s*,\\s*[A-Za-z_]+)*\\s+ON\\s+(SCHEMA\\s+|TABLE\\s+)?"
                    + "([A-Za-z_][A-Za-z0-9_]*|\"\\s*\\+\\s*(?<object>[A-Za-z_][A-Za-z0-9_]*)\\s*\\+\\s*\")\\s+(TO|FROM)", I);

    /**
     * The only {@code pg_stat_activity} read proven to stay in its own session: the row of the reading session itself,
     * {@code WHERE pid = pg_backend_pid()}, narrowed further by {@code AND} at most.
     */
    static final Pattern OWN_SESSION = Pattern.compile(
            "pg_stat_activity\\s+WHERE\\s+pid\\s*=\\s*pg_backend_pid\\(\\)\\s*(\"|\\)|;|AND\\b)", I);

    /** What may stand between a form and its name in a string literal, and the literal's end before the name. */
    private static final Pattern BEFORE_NAME = Pattern.compile(
            "\\G(\\s+IF\\s+(NOT\\s+)?EXISTS)?\\s*`?\"\\s*\\+\\s*", I);

    /** The name: a Java identifier, or a call of forkName or UniqueNames.of written in place. */
    private static final Pattern NAME = Pattern.compile(
            "\\G(?:(?<call>(?:TestDatabase\\.)?forkName\\(\\s*\"[^\"\\n]*\"\\s*\\)|UniqueNames\\.of\\(\\s*\"[^\"\\n]*\"\\s*\\))"
                    + "|(?<identifier>[A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_.(\\[]))");

    /**
     * What may follow the name so that it is the whole name: the end of the call or statement, or a literal going on
     * with something that cannot continue a name (a space, {@code ;}, a quote).
     */
    private static final Pattern AFTER_NAME = Pattern.compile("\\G\\s*(\\)(?!\\s*\\+)|;|,|\\+\\s*\"[\\s;`'\\\\)])");

    /**
     * A value no other JVM makes: {@code forkName("literal")} (the name unchanged in fork 1, {@code literal_forkN} in
     * fork N; the literal must not end in a fork suffix of its own nor be the forks' database {@code test}),
     * {@code UniqueNames.of(...)} (ends in a random suffix made once per JVM), or a literal followed by
     * {@code UUID.randomUUID()} (random on each call).
     */
    private static final Pattern UNIQUE_VALUE = Pattern.compile(
            "(?:TestDatabase\\.)?forkName\\(\\s*\"(?<forked>[a-z][a-z0-9_]*)\"\\s*\\)"
                    + "|UniqueNames\\.of\\(\\s*\"[^\"\\n]*\"\\s*\\)"
                    + "|\"[a-z][a-z0-9_]*\"\\s*\\+\\s*UUID\\.randomUUID\\(\\)\\.toString\\(\\)"
                    + "(?:\\.replace\\(\\s*\"-\"\\s*,\\s*\"\"\\s*\\))?(?:\\.substring\\(\\s*0\\s*,\\s*(?<length>[0-9]+)\\s*\\))?");

    /** A for-each over a fixed list of names: {@code for (String name : List.of(A, B))}. */
    private static final Pattern FOR_EACH_NAME = Pattern.compile(
            "for\\s*\\(\\s*(?:final\\s+)?(?:String|var)\\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\\s*:\\s*(?:List|Set|Stream)\\.of\\((?<elements>[A-Za-z0-9_,\\s]+)\\)\\s*\\)");

    /**
     * Support files that hold such forms and are proven fork-safe, with why: they act on this fork's own database or
     * on names the callers make fork-specific, or only name the forms.
     */
    static final Map<String, String> PROVEN_SAFE = Map.of(
            "io/governed/jdbc/support/Fork.java", "creates this fork's own test_forkN database",
            "io/governed/jdbc/support/ServerWide.java", "names the forms in its documentation",
            "io/governed/jdbc/support/ServerWideAuditTest.java", "the audit's own patterns",
            "io/governed/jdbc/support/ForkLockExtension.java", "names the forms in its documentation",
            "io/governed/jdbc/corpus/Servers.java", "creates the database of one corpus class, used by that class alone",
            "io/governed/jdbc/corpus/PostgresCorpusDatabase.java",
            "reads pg_database only in snapshot(), which EvasionCorpusSpec alone calls: PostgresEvasionCorpusIT is @ServerWide");

    private static final Pattern CLASS_NAME = Pattern.compile("\\b(class|interface|enum|record)\\s+([A-Z][A-Za-z0-9_]*)");

    @Test
    void everyIntegrationTestThatTouchesServerWideStateRunsAlone() throws IOException {
        Map<String, String> sources = sources();
        Map<String, Set<String>> usesByFile = new TreeMap<>();
        sources.forEach((file, text) -> {
            if (!PROVEN_SAFE.containsKey(file)) {
                Set<String> uses = serverWideUses(text);
                if (!uses.isEmpty()) {
                    usesByFile.put(file, uses);
                }
            }
        });

        List<String> unmarked = new ArrayList<>();
        for (Map.Entry<String, String> it : sources.entrySet()) {
            String file = it.getKey();
            if (!file.endsWith("IT.java")) {
                continue;
            }
            Map<String, Set<String>> reached = reachedUses(file, sources, usesByFile);
            if (reached.isEmpty() || isMarked(file)) {
                continue;
            }
            unmarked.add(className(file) + " uses " + reached);
        }
        assertThat(unmarked)
                .as("integration tests that touch state their fork's own database cannot keep apart from the other test JVM;"
                        + " annotate each with @io.governed.jdbc.support.ServerWide(\"what it touches\") so it runs alone,"
                        + " or make it use only TestDatabase.DATABASE and TestDatabase.forkName(...) names")
                .isEmpty();
    }

    @Test
    void theScanFindsTheFormsItLooksFor() {
        assertThat(serverWideUses("s.execute(\"CREATE ROLE it_reader\")")).containsExactly("roles or users");
        assertThat(serverWideUses("SELECT pid FROM pg_stat_activity")).containsExactly("other sessions");
        assertThat(serverWideUses("\"SET GLOBAL max_connections = 1\"")).containsExactly("global variables");
        assertThat(serverWideUses("TestDatabase.MARIADB; \"CREATE SCHEMA vault\"")).containsExactly("MariaDB schemas (databases)");
        assertThat(serverWideUses("TestDatabase.POSTGRESQL; \"CREATE SCHEMA vault\"")).isEmpty();
        assertThat(serverWideUses("\"SELECT * FROM customers\"")).isEmpty();
        assertThat(serverWideUses("mariadb; s.execute(\"USE other_db\")")).containsExactly("MariaDB USE of another database");
        assertThat(serverWideUses("mariadb; s.execute(\"USE \" + TestDatabase.DATABASE)")).isEmpty();
        assertThat(serverWideUses("mariadb; // Test classes use RequiresDatabase")).isEmpty();
    }

    @Test
    void aSideDatabaseNamedForTheForkIsNotServerWide() {
        String forked = "private static final String DB = TestDatabase.forkName(\"cm_side\");\n";
        assertThat(serverWideUses(forked + "s.execute(\"CREATE DATABASE \" + DB);\n"
                + "s.execute(\"DROP DATABASE IF EXISTS \" + DB + \" WITH (FORCE)\");")).isEmpty();
        assertThat(serverWideUses("s.execute(\"CREATE DATABASE \" + TestDatabase.forkName(\"cm_side\"));")).isEmpty();
        assertThat(serverWideUses("private static final String DB = UniqueNames.of(\"cm_side\");\n"
                + "s.execute(\"CREATE DATABASE IF NOT EXISTS \" + DB + \";\");")).isEmpty();
        assertThat(serverWideUses("private static final String DB = \"cm_\" + UUID.randomUUID().toString()"
                + ".replace(\"-\", \"\").substring(0, 8);\ns.execute(\"ALTER DATABASE \" + DB + \" SET search_path = s\");")).isEmpty();
        String mariaDb = "TestDatabase.MARIADB; private static final String DB = forkName(\"cm_side\");\n";
        assertThat(serverWideUses(mariaDb + "s.execute(\"CREATE SCHEMA \" + DB); s.execute(\"USE \" + DB);"
                + " s.execute(\"USE `\" + DB + \"`\");")).isEmpty();
        assertThat(serverWideUses("TestDatabase.MARIADB; private static final String A = UniqueNames.of(\"cm_a\");\n"
                + "private static final String B = forkName(\"cm_b\");\n"
                + "for (String database : List.of(A, B)) { s.execute(\"CREATE DATABASE \" + database); s.execute(\"USE \" + database); }"))
                .isEmpty();
    }

    @Test
    void aSideDatabaseNotProvenSpecificToTheForkStillIsServerWide() {
        // a fixed name, written in place or held by a constant
        assertThat(serverWideUses("s.execute(\"CREATE DATABASE rt_db\");")).containsExactly("databases");
        assertThat(serverWideUses("private static final String DB = \"rt_db\";\ns.execute(\"CREATE DATABASE \" + DB);"))
                .containsExactly("databases");
        // a constant not built by forkName, UniqueNames or UUID, or built from a name that is the forks' own
        assertThat(serverWideUses("private static final String DB = Names.of(\"rt_db\");\ns.execute(\"DROP DATABASE \" + DB);"))
                .containsExactly("databases");
        assertThat(serverWideUses("private static final String DB = forkName(\"test\");\ns.execute(\"DROP DATABASE \" + DB);"))
                .containsExactly("databases");
        assertThat(serverWideUses("private static final String DB = forkName(\"cm_fork2\");\ns.execute(\"DROP DATABASE \" + DB);"))
                .containsExactly("databases");
        assertThat(serverWideUses("private static final String DB = forkName(PREFIX);\ns.execute(\"DROP DATABASE \" + DB);"))
                .containsExactly("databases");
        assertThat(serverWideUses("private static final String DB = \"cm_\" + UUID.randomUUID().toString().substring(0, 2);\n"
                + "s.execute(\"DROP DATABASE \" + DB);")).containsExactly("databases");
        // a proven constant assigned again, or a parameter of the same name beside it
        assertThat(serverWideUses("String db = forkName(\"cm_side\"); db = \"rt_db\"; s.execute(\"DROP DATABASE \" + db);"))
                .containsExactly("databases");
        assertThat(serverWideUses("static final String DB = forkName(\"cm_side\");\nvoid drop(String DB) { s.execute(\"DROP DATABASE \" + DB); }"))
                .containsExactly("databases");
        // a proven name that is not the whole name: the fork suffix of one JVM can be the other's name
        assertThat(serverWideUses("static final String DB = forkName(\"cm_side\");\ns.execute(\"DROP DATABASE \" + DB + \"_fork2\");"))
                .containsExactly("databases");
        assertThat(serverWideUses("static final String DB = forkName(\"cm_side\");\ns.execute((\"DROP DATABASE \" + DB) + \"_b\");"))
                .containsExactly("databases");
        assertThat(serverWideUses("static final String DB = forkName(\"cm_side\");\ns.execute(\"DROP DATABASE \" + DB.substring(1));"))
                .containsExactly("databases");
        assertThat(serverWideUses("static final String DB = forkName(\"cm_side\");\ns.execute(\"DROP DATABASE x\" + DB);"))
                .containsExactly("databases");
        // one proven occurrence does not cover another in the same file
        assertThat(serverWideUses("static final String DB = forkName(\"cm_side\");\n"
                + "s.execute(\"CREATE DATABASE \" + DB); s.execute(\"DROP DATABASE rt_db\");")).containsExactly("databases");
        // a list of every database is server-wide whatever the class names
        assertThat(serverWideUses("static final String DB = forkName(\"cm_side\");\n"
                + "s.executeQuery(\"SELECT datname FROM pg_database WHERE datname = '\" + DB + \"'\");")).containsExactly("databases");
        // MariaDB: USE of a fixed name, in a literal, or of an unproven element of a list
        String mariaDb = "TestDatabase.MARIADB; private static final String DB = forkName(\"cm_side\");\n";
        assertThat(serverWideUses(mariaDb + "s.execute(\"USE cm_side; SELECT 1\");")).containsExactly("MariaDB USE of another database");
        assertThat(serverWideUses(mariaDb + "s.execute(\"DROP SCHEMA \" + OTHER);")).containsExactly("MariaDB schemas (databases)");
        assertThat(serverWideUses(mariaDb + "for (String database : List.of(DB, \"rt_db\")) { s.execute(\"USE \" + database); }"))
                .containsExactly("MariaDB USE of another database");
        assertThat(serverWideUses(mariaDb + "for (String database : List.of(DB, OTHER)) { s.execute(\"USE \" + database); }"))
                .containsExactly("MariaDB USE of another database");
    }

    @Test
    void aRoleNamedForTheForkIsNotServerWideButAFixedOrRenamedOneIs() {
        String forked = "private static final String ROLE = TestDatabase.forkName(\"cm_reader\");\n";
        assertThat(serverWideUses(forked + "s.execute(\"CREATE ROLE \" + ROLE); s.execute(\"DROP ROLE IF EXISTS \" + ROLE);"))
                .isEmpty();
        assertThat(serverWideUses(forked + "s.execute(\"CREATE USER \" + ROLE + \" PASSWORD 'x'\");")).isEmpty();
        assertThat(serverWideUses("s.execute(\"CREATE ROLE cm_reader\");")).containsExactly("roles or users");
        assertThat(serverWideUses("private static final String ROLE = \"cm_reader\";\ns.execute(\"CREATE ROLE \" + ROLE);"))
                .containsExactly("roles or users");
        assertThat(serverWideUses(forked + "s.execute(\"RENAME USER \" + ROLE + \" TO cm_other\");")).containsExactly("roles or users");
        // taking the role, and what it is given, are the two tests below
    }

    @Test
    void takingARoleNamedForTheForkIsNotServerWideButAnyOtherRoleStillIs() {
        String forked = "private static final String ROLE = UniqueNames.of(\"cm_reader\");\n";
        assertThat(serverWideUses(forked + "s.execute(\"SET ROLE \" + ROLE); pool.setConnectionInitSql(\"SET LOCAL ROLE \" + ROLE);"))
                .isEmpty();
        assertThat(serverWideUses(forked + "pg.setOptions(\"-c role=\" + ROLE); p.setProperty(\"options\", \"-c role=\" + ROLE + \"\\n\");"
                + " connect(url + \"&options=-c%20role%3D\" + ROLE, p);")).isEmpty();
        // a fixed role, a name not proven whole, another form of taking a role
        assertThat(serverWideUses("s.execute(\"SET ROLE cm_reader\");")).containsExactly("SET ROLE / SESSION AUTHORIZATION");
        assertThat(serverWideUses(forked + "s.execute(\"SET ROLE \" + ROLE + \"_fork2\");")).containsExactly("SET ROLE / SESSION AUTHORIZATION");
        assertThat(serverWideUses(forked + "pg.setOptions(\"-c role=x\" + ROLE);")).containsExactly("SET ROLE / SESSION AUTHORIZATION");
        assertThat(serverWideUses("void take(String ROLE) { pg.setOptions(\"-c role=\" + ROLE); }"))
                .containsExactly("SET ROLE / SESSION AUTHORIZATION");
        assertThat(serverWideUses(forked + "s.execute(\"SET SESSION AUTHORIZATION \" + ROLE);"))
                .containsExactly("SET ROLE / SESSION AUTHORIZATION");
    }

    @Test
    void privilegesOnAnOwnObjectGivenToARoleNamedForTheForkAreNotServerWideButOtherGrantsStillAre() {
        String forked = "private static final String ROLE = forkName(\"cm_reader\");\n";
        assertThat(serverWideUses(forked + "s.execute(\"CREATE ROLE \" + ROLE + \" NOLOGIN\");"
                + " s.execute(\"GRANT CREATE, USAGE ON SCHEMA public TO \" + ROLE);"
                + " s.execute(\"REVOKE ALL ON SCHEMA public FROM \" + ROLE);"
                + " s.execute(\"GRANT SELECT ON orders TO \" + ROLE + \" WITH GRANT OPTION\");")).isEmpty();
        // a grantee not proven, PUBLIC, a list of grantees, a server object, another database's, a membership
        assertThat(serverWideUses("s.execute(\"GRANT SELECT ON orders TO cm_reader\");")).containsExactly("GRANT/REVOKE");
        assertThat(serverWideUses(forked + "s.execute(\"GRANT SELECT ON orders TO PUBLIC\");")).containsExactly("GRANT/REVOKE");
        assertThat(serverWideUses(forked + "s.execute(\"GRANT SELECT ON orders TO \" + ROLE + \", postgres\");"))
                .containsExactly("GRANT/REVOKE");
        assertThat(serverWideUses(forked + "s.execute(\"GRANT CONNECT ON DATABASE test TO \" + ROLE);")).containsExactly("GRANT/REVOKE");
        assertThat(serverWideUses(forked + "s.execute(\"GRANT SELECT ON ALL TABLES IN SCHEMA public TO \" + ROLE);"))
                .containsExactly("GRANT/REVOKE");
        assertThat(serverWideUses(forked + "s.execute(\"GRANT SELECT ON other.orders TO \" + ROLE);")).containsExactly("GRANT/REVOKE");
        assertThat(serverWideUses(forked + "s.execute(\"GRANT SELECT ON *.* TO \" + ROLE);")).containsExactly("GRANT/REVOKE");
        assertThat(serverWideUses(forked + "s.execute(\"GRANT pg_read_all_data TO \" + ROLE);")).containsExactly("GRANT/REVOKE");
        assertThat(serverWideUses(forked + "s.execute(\"GRANT \" + ROLE + \" TO CURRENT_USER\");")).containsExactly("GRANT/REVOKE");
        assertThat(serverWideUses(forked + "s.execute(\"GRANT SELECT ON \" + TABLE + \" TO \" + ROLE);")).containsExactly("GRANT/REVOKE");
        assertThat(serverWideUses(forked + "String all = \"cm_all\"; s.execute(\"GRANT SELECT ON \" + all + \" TO \" + ROLE);"))
                .containsExactly("GRANT/REVOKE");
        assertThat(serverWideUses(forked + "String all = UniqueNames.of(\"cm_all\"); s.execute(\"GRANT SELECT ON \" + all + \".* TO \" + ROLE);"))
                .containsExactly("GRANT/REVOKE");
        // an object named for the JVM between two literals
        assertThat(serverWideUses(forked + "String all = UniqueNames.of(\"cm_all\"); s.execute(\"GRANT SELECT ON \" + all + \" TO \" + ROLE);"))
                .isEmpty();
    }

    @Test
    void aSessionReadingOnlyItsOwnRowInPgStatActivityIsNotServerWide() {
        assertThat(serverWideUses("s.executeQuery(\"SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()\");"))
                .isEmpty();
        assertThat(serverWideUses("\"SELECT query FROM pg_stat_activity WHERE pid = pg_backend_pid() AND state = 'active'\"")).isEmpty();
        assertThat(serverWideUses("\"SELECT query FROM pg_stat_activity\"")).containsExactly("other sessions");
        assertThat(serverWideUses("\"SELECT query FROM pg_stat_activity WHERE state = 'active'\"")).containsExactly("other sessions");
        assertThat(serverWideUses("\"SELECT query FROM pg_stat_activity WHERE pid = pg_backend_pid() OR true\""))
                .containsExactly("other sessions");
        assertThat(serverWideUses("\"SELECT query FROM pg_stat_activity WHERE pid <> pg_backend_pid()\"")).containsExactly("other sessions");
        assertThat(serverWideUses("\"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = pg_backend_pid()\""))
                .containsExactly("other sessions");
        assertThat(serverWideUses("\"SELECT count(*) FROM pg_stat_activity WHERE pid = \" + pid")).containsExactly("other sessions");
    }

    @Test
    void theLockExtensionIsRegisteredForEveryTestClass() {
        assertThat(ForkLockExtension.holder())
                .as("ForkLockExtension must hold the lock while a test class runs: it is registered through"
                        + " META-INF/services/org.junit.jupiter.api.extension.Extension and"
                        + " junit.jupiter.extensions.autodetection.enabled=true in junit-platform.properties")
                .contains(ServerWideAuditTest.class);
        assertThat(ForkLockExtension.holdsExclusive()).as("an ordinary class holds the lock shared").isFalse();
    }

    static Set<String> serverWideUses(String text) {
        Set<String> uses = new TreeSet<>();
        SERVER_WIDE.forEach((name, pattern) -> {
            if (anyUnproven(name, pattern, text)) {
                uses.add(name);
            }
        });
        String lower = text.toLowerCase(Locale.ROOT);
        boolean mariaDb = lower.contains("mariadb") || lower.contains("mysql") || text.contains("TestDatabase.values()")
                || text.contains("EnumSource(TestDatabase.class)") || text.contains("EnumSource(value = TestDatabase.class)");
        if (mariaDb) {
            MARIADB_SERVER_WIDE.forEach((name, pattern) -> {
                if (anyUnproven(name, pattern, text)) {
                    uses.add(name);
                }
            });
        }
        return uses;
    }

    /** True when {@code text} holds an occurrence of {@code pattern} not proven fork-safe. */
    private static boolean anyUnproven(String form, Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            if (!provenForkSafe(form, m, text)) {
                return true;
            }
        }
        return false;
    }

    private static boolean provenForkSafe(String form, Matcher occurrence, String text) {
        if (form.equals("other sessions")) {
            return OWN_SESSION.matcher(text).region(occurrence.start(), text.length()).lookingAt();
        }
        if (form.equals("GRANT/REVOKE")) {
            Matcher grant = OWN_OBJECT_GRANT.matcher(text).region(occurrence.start(), text.length());
            return grant.lookingAt()
                    && (grant.group("object") == null || provenIdentifier(text, grant.group("object"), 0))
                    && !grant.group().toUpperCase(Locale.ROOT).matches("(?s).*\\bON\\s+(SCHEMA\\s+|TABLE\\s+)?(DATABASE|TABLESPACE|ALL|FUNCTION|PROCEDURE|ROUTINE|SEQUENCE|LANGUAGE|PARAMETER|FOREIGN|LARGE|TYPE|DOMAIN)\\s+(TO|FROM)$")
                    && forkSpecificName(text, grant.end());
        }
        Pattern named = NAMED_FORMS.get(form);
        if (named == null || !named.matcher(occurrence.group()).matches()) {
            return false;
        }
        if (occurrence.group().toLowerCase(Locale.ROOT).startsWith("-c")) {
            Matcher option = OPTION_BEFORE_NAME.matcher(text).region(occurrence.end(), text.length());
            return option.lookingAt() && forkSpecificName(text, option.end(), false);
        }
        return forkSpecificName(text, occurrence.end());
    }

    /**
     * True when the string literal at {@code at} ends (after {@code IF [NOT] EXISTS} at most) and is continued by a
     * name proven specific to this JVM, and that name is the whole name.
     */
    static boolean forkSpecificName(String text, int at) {
        return forkSpecificName(text, at, true);
    }

    /** {@link #forkSpecificName(String, int)}, or from {@code at} right at the name when {@code literalBefore} is false. */
    private static boolean forkSpecificName(String text, int at, boolean literalBefore) {
        int start = at;
        if (literalBefore) {
            Matcher before = BEFORE_NAME.matcher(text).region(at, text.length());
            if (!before.lookingAt()) {
                return false;
            }
            start = before.end();
        }
        Matcher name = NAME.matcher(text).region(start, text.length());
        if (!name.lookingAt()) {
            return false;
        }
        if (!AFTER_NAME.matcher(text).region(name.end(), text.length()).lookingAt()) {
            return false;
        }
        return name.group("call") != null ? uniqueValue(name.group("call")) : provenIdentifier(text, name.group("identifier"), 0);
    }

    /**
     * True when {@code identifier} is assigned once in {@code text} (no second assignment, no second declaration of
     * the same name elsewhere in the file) and that assignment is a {@link #UNIQUE_VALUE}, or it is the variable of a
     * for-each over a fixed list of such identifiers.
     */
    static boolean provenIdentifier(String text, String identifier, int depth) {
        if (depth > 3) {
            return false;
        }
        Matcher assignments = Pattern.compile("\\b" + identifier + "\\s*=(?!=)\\s*([^;]*);").matcher(text);
        List<String> values = new ArrayList<>();
        while (assignments.find()) {
            values.add(assignments.group(1).trim());
        }
        Matcher loops = FOR_EACH_NAME.matcher(text);
        List<String> lists = new ArrayList<>();
        while (loops.find()) {
            if (loops.group("name").equals(identifier)) {
                lists.add(loops.group("elements"));
            }
        }
        // a parameter or a field of another type with this name cannot be told apart: only one binding is proven
        Matcher declarations = Pattern.compile("\\b(?:String|var)\\s+" + identifier + "\\b").matcher(text);
        int declared = 0;
        while (declarations.find()) {
            declared++;
        }
        if (values.size() + lists.size() != 1 || declared != 1) {
            return false;
        }
        if (values.size() == 1) {
            return uniqueValue(values.get(0));
        }
        for (String element : lists.get(0).split(",")) {
            if (!provenIdentifier(text, element.trim(), depth + 1)) {
                return false;
            }
        }
        return true;
    }

    private static boolean uniqueValue(String value) {
        Matcher m = UNIQUE_VALUE.matcher(value);
        if (!m.matches()) {
            return false;
        }
        String forked = m.group("forked");
        if (forked != null && (forked.equals("test") || forked.matches(".*_fork[0-9]*"))) {
            return false;
        }
        String length = m.group("length");
        return length == null || Integer.parseInt(length) >= 8;
    }

    /** The server-wide uses in {@code file} and in every test source it names, transitively. */
    private static Map<String, Set<String>> reachedUses(String file, Map<String, String> sources,
                                                        Map<String, Set<String>> usesByFile) {
        Map<String, String> fileBySimpleName = new TreeMap<>();
        sources.keySet().forEach(f -> fileBySimpleName.put(simpleName(f), f));
        Map<String, Set<String>> reached = new TreeMap<>();
        Set<String> seen = new TreeSet<>();
        Deque<String> queue = new ArrayDeque<>(List.of(file));
        while (!queue.isEmpty()) {
            String current = queue.pop();
            if (!seen.add(current)) {
                continue;
            }
            if (usesByFile.containsKey(current)) {
                reached.put(simpleName(current), usesByFile.get(current));
            }
            Matcher words = Pattern.compile("\\b[A-Z][A-Za-z0-9_]*\\b").matcher(sources.get(current));
            Set<String> names = new TreeSet<>();
            while (words.find()) {
                names.add(words.group());
            }
            for (String name : names) {
                String other = fileBySimpleName.get(name);
                // another IT class is audited by itself; what it declares for its own use does not run here
                if (other != null && !other.endsWith("IT.java") && !seen.contains(other)) {
                    queue.push(other);
                }
            }
        }
        return reached;
    }

    private static boolean isMarked(String file) {
        try {
            return Class.forName(className(file)).isAnnotationPresent(ServerWide.class);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no compiled class for " + file, e);
        }
    }

    private static String className(String file) {
        return file.substring(0, file.length() - ".java".length()).replace('/', '.');
    }

    private static String simpleName(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        return name.substring(0, name.length() - ".java".length());
    }

    private static Map<String, String> sources() throws IOException {
        assertThat(SOURCES).as("the audit reads the test sources from the module directory").isDirectory();
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path path : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String relative = SOURCES.relativize(path).toString().replace('\\', '/');
                sources.put(relative, Files.readString(path));
            }
        }
        assertThat(sources).as("test sources found").hasSizeGreaterThan(100);
        return sources;
    }
}
