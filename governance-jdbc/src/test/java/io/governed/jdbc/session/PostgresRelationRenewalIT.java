package io.governed.jdbc.session;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.sql.Dialect;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection reads its session again every few seconds, and after anything that may have changed it; each reading
 * looks up the relations statements name, in a catalog query that costs the server milliseconds. The names the
 * connection's statements named before are looked up with the new reading's first lookup, in one query, instead of
 * one query per statement naming another; a name not used before is looked up when a statement names it, as before.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRelationRenewalIT {
    private static final List<String> TABLES = List.of(UniqueNames.of("rr_a"), UniqueNames.of("rr_b"), UniqueNames.of("rr_c"));
    /** Created after the connection's first reading. */
    private static final String LATER = UniqueNames.of("rr_later");
    /** How the relation lookup's query starts. */
    private static final String RELATION_QUERY = "SELECT n.nspname, c.relname,";

    @BeforeAll
    static void tables() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                s.execute("CREATE TABLE public." + table + " (id int PRIMARY KEY, v text)");
                s.execute("INSERT INTO public." + table + " VALUES (1, '" + table + "')");
            }
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                s.execute("DROP TABLE IF EXISTS public." + table);
            }
            s.execute("DROP TABLE IF EXISTS public." + LATER);
        }
    }

    @Test
    void aRenewedReadingLooksUpTheNamesUsedBeforeInOneQuery() throws SQLException {
        List<String> lookups = new CopyOnWriteArrayList<>();
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).withoutAudit()
                .defaultIdentity(Identity.builder("renewal").build()).build();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw();
             Connection c = new GovernedConnection(counting(raw, lookups), governance, null, Dialect.POSTGRESQL);
             Statement s = c.createStatement()) {
            for (String table : TABLES) {
                assertThat(valueOf(s, table)).isEqualTo(table);
            }
            assertThat(lookups).as("the first reading looks each name up as a statement names it").hasSize(3);

            try (Connection other = TestDatabase.POSTGRESQL.connectRaw(); Statement ddl = other.createStatement()) {
                ddl.execute("CREATE TABLE public." + LATER + " (id int PRIMARY KEY, v text)");
                ddl.execute("INSERT INTO public." + LATER + " VALUES (1, 'later')");
            }
            lookups.clear();
            s.execute("SET search_path TO public"); // may change how names resolve: the session is read again
            for (String table : TABLES) {
                assertThat(valueOf(s, table)).isEqualTo(table);
            }
            assertThat(lookups).as("the renewed reading looks up the names used before with its first lookup, in one query")
                    .hasSize(1);
            assertThat(valueOf(s, LATER)).isEqualTo("later");
            assertThat(lookups).as("a name not used before is looked up when a statement names it").hasSize(2);
        }
    }

    private static String valueOf(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT v FROM " + table + " WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    /** {@code raw}, noting each relation lookup prepared on it. */
    private static Connection counting(Connection raw, List<String> lookups) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && ((String) args[0]).startsWith(RELATION_QUERY)) {
                        lookups.add(RELATION_QUERY);
                    }
                    try {
                        return method.invoke(raw, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
