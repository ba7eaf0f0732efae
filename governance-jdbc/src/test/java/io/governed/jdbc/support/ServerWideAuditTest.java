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
 */
class ServerWideAuditTest {
    private static final Path SOURCES = Path.of("src", "test", "java");

    private static final int I = Pattern.CASE_INSENSITIVE;

    /** Forms whose effect reaches past the fork's own database on either server. */
    static final Map<String, Pattern> SERVER_WIDE = new LinkedHashMap<>();

    /** Forms that are server-wide on MariaDB only (a schema there is a database); checked in files that use MariaDB. */
    static final Map<String, Pattern> MARIADB_SERVER_WIDE = new LinkedHashMap<>();

    static {
        SERVER_WIDE.put("roles or users", Pattern.compile("\\b(CREATE|ALTER|DROP|RENAME)\\s+(ROLE|USER)\\b", I));
        SERVER_WIDE.put("GRANT/REVOKE", Pattern.compile("\\b(GRANT|REVOKE)\\s+[A-Za-z_,\\s(]+\\b(ON|TO|FROM)\\b", I));
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
                "(?m)\"[^\"\\n]*\\bUSE\\s+(?!\"\\s*\\+\\s*TestDatabase\\.DATABASE\\b)(?!test\\b)[`\"A-Za-z_]", I));
    }

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
            if (pattern.matcher(text).find()) {
                uses.add(name);
            }
        });
        String lower = text.toLowerCase(Locale.ROOT);
        boolean mariaDb = lower.contains("mariadb") || lower.contains("mysql") || text.contains("TestDatabase.values()")
                || text.contains("EnumSource(TestDatabase.class)") || text.contains("EnumSource(value = TestDatabase.class)");
        if (mariaDb) {
            MARIADB_SERVER_WIDE.forEach((name, pattern) -> {
                if (pattern.matcher(text).find()) {
                    uses.add(name);
                }
            });
        }
        return uses;
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
