package io.governed.jdbc.it;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.sql.Dialect;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A word that is a function without parentheses, a constant or a pseudo-column in one database is an ordinary column
 * name in another ({@code session_user} and {@code current_schema} in MariaDB, {@code sysdate} and {@code current}
 * everywhere). The analysis reads a bare word as no column only where the database does; everywhere else, a table's
 * column of that name is that column. Each word is made a column of a table whose every column is masked, holding a
 * secret; the word is then selected bare (alone, labelled, inside a function, as {@code current date}) through the
 * governed driver: the secret must come back through no getter. The statement may be refused (42501: the analysis
 * cannot read it, or the policy does not allow it), or fail in the database where it reserves the word (it fails
 * there run raw too). Every word the analysis reads as no column in a dialect is among those tried.
 */
class NonColumnWordsIT {
    private static final String SECRET = "k7secret0042";
    /** The words tried: pseudo-columns, functions without parentheses and constants of any of the databases. */
    private static final List<String> WORDS = List.of("current_user", "user", "session_user", "system_user",
            "current_role", "current_schema", "current_catalog", "current_path", "current_date", "current_time",
            "current_timestamp", "localtime", "localtimestamp", "sysdate", "systimestamp", "systime", "today", "current",
            "rownum", "rowid", "_rowid", "_rowid_", "oid", "ctid", "xmin", "tableoid", "level", "uid", "database",
            "schema", "unknown", "true", "false", "null");

    @TempDir
    Path dir;

    private Path policy(String table) throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: read, effect: permit, actions: [select] }
                masks:
                  - { id: hide-all, columns: { patterns: ["%s.*"] }, function: redact }
                """.formatted(table));
        return policy;
    }

    private static Dialect dialect(TestDatabase database) {
        return switch (database) {
            case H2 -> Dialect.H2;
            case POSTGRESQL -> Dialect.POSTGRESQL;
            default -> Dialect.MARIADB;
        };
    }

    @SuppressWarnings("unchecked")
    private static Set<String> nonColumnWords(Dialect dialect) throws Exception {
        Method method = Class.forName("io.governed.sql.ColumnResolver").getDeclaredMethod("nonColumnWords", Dialect.class);
        method.setAccessible(true);
        return (Set<String>) method.invoke(null, dialect);
    }

    /** Whether the database runs the statement itself (else it reserves the word, and refuses it anyway). */
    private static boolean runsRaw(TestDatabase database, String sql) throws SQLException {
        try (Connection raw = database.connectRaw(); Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** The word as a quoted column name that the bare word names in the database. */
    private static String quoted(TestDatabase database, String word) {
        return switch (database) {
            case H2 -> "\"" + word.toUpperCase(Locale.ROOT) + "\"";
            case MARIADB -> "`" + word + "`";
            default -> "\"" + word + "\"";
        };
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL", "MARIADB"})
    void aBareWordThatIsAColumnInTheDatabaseIsThatColumn(TestDatabase database) throws Exception {
        database.requireReachable();
        assertThat(WORDS).as("every word the analysis reads as no column is tried")
                .containsAll(nonColumnWords(dialect(database)));
        String table = UniqueNames.of("kw_names");
        List<String> leaks = new ArrayList<>();
        int answered = 0;
        List<String> failedOtherwise = new ArrayList<>();
        try (Connection raw = database.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT)");
            s.execute("INSERT INTO " + table + " (id) VALUES (1)");
            for (String word : WORDS) {
                try {
                    s.execute("ALTER TABLE " + table + " ADD COLUMN " + quoted(database, word) + " VARCHAR(20)");
                } catch (SQLException e) {
                    continue; // a name the database keeps for its own column (PostgreSQL's ctid, xmin, tableoid)
                }
                s.execute("UPDATE " + table + " SET " + quoted(database, word) + " = '" + SECRET + "'");
            }
        }
        try (Connection c = database.connectGoverned(policy(table), null, "analysts"); Statement s = c.createStatement()) {
            for (String word : WORDS) {
                for (String sql : List.of("SELECT " + word + " FROM " + table,
                        "SELECT " + word + " AS x FROM " + table,
                        "SELECT concat(" + word + ", '') FROM " + table,
                        "SELECT id FROM " + table + " ORDER BY " + word,
                        "SELECT " + word + " date FROM " + table)) {
                    List<String> values;
                    try (ResultSet rs = s.executeQuery(sql)) {
                        values = EveryGetter.ofAllRows(rs);
                    } catch (SQLException e) {
                        if (!"42501".equals(e.getSQLState()) && runsRaw(database, sql)) {
                            failedOtherwise.add(sql + " (" + e.getSQLState() + ")");
                        }
                        continue; // refused, or the database reserves the word
                    }
                    answered++;
                    if (values.stream().anyMatch(v -> v.contains(SECRET))) {
                        leaks.add(sql);
                    }
                }
            }
            for (String sql : List.of("SELECT current date FROM " + table, "SELECT current   time AS x FROM " + table,
                    "SELECT current timestamp FROM " + table)) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    if (EveryGetter.ofAllRows(rs).stream().anyMatch(v -> v.contains(SECRET))) {
                        leaks.add(sql);
                    }
                } catch (SQLException e) {
                    // refused, or the database reads no such form
                }
            }
        } finally {
            try (Connection raw = database.connectRaw(); Statement s = raw.createStatement()) {
                s.execute("DROP TABLE " + table);
            }
        }
        assertThat(answered).as("statements the database answered").isGreaterThan(WORDS.size());
        assertThat(failedOtherwise).as("statements the database runs that failed otherwise than by a refusal").isEmpty();
        assertThat(leaks).as("statements that returned a masked column's value in clear").isEmpty();
    }
}
