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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A connection reads its session again every few seconds, and after anything that may have changed it; each reading
 * looks up the relations statements name, in a catalog query that costs the server milliseconds. The names the
 * connection's statements named before are looked up with the new reading's first lookup, in one query, instead of
 * one query per statement naming another; a name not used before is looked up when a statement names it, as before.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRelationRenewalIT {
    private static final List<String> TABLES = List.of(UniqueNames.of("rr_a"), UniqueNames.of("rr_b"), UniqueNames.of("rr_c"));
    /** A view over the first table and a table inheriting from the second, so that a lookup's rows differ by kind. */
    private static final String VIEW = UniqueNames.of("rr_view");
    private static final String CHILD = UniqueNames.of("rr_child");
    /** Created after the connection's first reading. */
    private static final String LATER = UniqueNames.of("rr_later");
    /** Created after the server keeps a plan for the lookup. */
    private static final String AFTER_PLAN = UniqueNames.of("rr_after_plan");
    /** How the relation lookup's query starts. */
    private static final String RELATION_QUERY = "SELECT n.nspname, c.relname,";

    @BeforeAll
    static void tables() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                s.execute("CREATE TABLE public." + table + " (id int PRIMARY KEY, v text)");
                s.execute("INSERT INTO public." + table + " VALUES (1, '" + table + "')");
            }
            s.execute("CREATE VIEW public." + VIEW + " AS SELECT id, upper(v) AS v FROM public." + TABLES.get(0));
            s.execute("CREATE TABLE public." + CHILD + " (extra int) INHERITS (public." + TABLES.get(1) + ")");
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP VIEW IF EXISTS public." + VIEW);
            s.execute("DROP TABLE IF EXISTS public." + CHILD);
            for (String table : TABLES) {
                s.execute("DROP TABLE IF EXISTS public." + table);
            }
            s.execute("DROP TABLE IF EXISTS public." + LATER);
            s.execute("DROP TABLE IF EXISTS public." + AFTER_PLAN);
        }
    }

    @BeforeEach
    void noNamesInUseYet() {
        PostgresSessionReader.forgetNamesInUse(); // other tests' connections found names of their own
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

    @Test
    void connectionsLookUpTheNamesOtherConnectionsOfTheDatabaseFoundWithTheirOwnLookups() throws SQLException {
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).withoutAudit()
                .defaultIdentity(Identity.builder("renewal").build()).build();
        List<String> lookups = new CopyOnWriteArrayList<>();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw();
             Connection counted = new GovernedConnection(counting(raw, lookups), governance, null, Dialect.POSTGRESQL);
             Statement s = counted.createStatement();
             Connection first = new GovernedConnection(TestDatabase.POSTGRESQL.connectRaw(), governance, null, Dialect.POSTGRESQL);
             Statement f = first.createStatement()) {
            assertThat(valueOf(s, TABLES.get(1))).isEqualTo(TABLES.get(1));
            assertThat(lookups).hasSize(1);

            assertThat(valueOf(f, TABLES.get(0))).isEqualTo(TABLES.get(0)); // another connection finds two more names
            assertThat(valueOf(f, TABLES.get(2))).isEqualTo(TABLES.get(2));
            try (Connection other = TestDatabase.POSTGRESQL.connectRaw(); Statement ddl = other.createStatement()) {
                ddl.execute("DROP TABLE public." + TABLES.get(2)); // gone before the counted connection looks it up
            }
            assertThat(valueOf(s, TABLES.get(0))).isEqualTo(TABLES.get(0));
            assertThat(lookups).as("the counted connection's next lookup").hasSize(2);
            assertThatThrownBy(() -> s.executeQuery("SELECT v FROM " + TABLES.get(2) + " WHERE id = 1"))
                    .as("a table dropped since another connection found it is not there")
                    .isInstanceOf(SQLException.class).hasMessageContaining("does not exist");
            assertThat(lookups).as("looked up with the name missed before, as another connection had found it")
                    .hasSize(2);
        } finally {
            try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement ddl = raw.createStatement()) {
                ddl.execute("CREATE TABLE IF NOT EXISTS public." + TABLES.get(2) + " (id int PRIMARY KEY, v text)");
                ddl.execute("INSERT INTO public." + TABLES.get(2) + " VALUES (1, '" + TABLES.get(2) + "') ON CONFLICT DO NOTHING");
            }
        }

        lookups.clear();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw();
             Connection c = new GovernedConnection(counting(raw, lookups), governance, null, Dialect.POSTGRESQL);
             Statement s = c.createStatement()) {
            for (String table : TABLES) {
                assertThat(valueOf(s, table)).isEqualTo(table);
            }
            assertThat(lookups).as("a new connection: one lookup for the three names the database's connections use")
                    .hasSize(1);
        }
    }

    @Test
    void aRenewedReadingCarriesOnlyTheNamesItsSessionNamed() throws SQLException {
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).withoutAudit()
                .defaultIdentity(Identity.builder("renewal").build()).build();
        try (Connection first = new GovernedConnection(TestDatabase.POSTGRESQL.connectRaw(), governance, null, Dialect.POSTGRESQL);
             Statement f = first.createStatement()) {
            for (String table : TABLES) {
                assertThat(valueOf(f, table)).isEqualTo(table);
            }
        }
        List<String> lookups = new CopyOnWriteArrayList<>();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw();
             Connection c = new GovernedConnection(counting(raw, lookups), governance, null, Dialect.POSTGRESQL);
             Statement s = c.createStatement()) {
            assertThat(valueOf(s, TABLES.get(1))).isEqualTo(TABLES.get(1));
            assertThat(lookups).as("the first reading: one lookup, the other connection's names with it").hasSize(1);

            s.execute("SET search_path TO public"); // the session is read again
            assertThat(valueOf(s, TABLES.get(1))).isEqualTo(TABLES.get(1));
            assertThat(lookups).as("the renewal's first lookup").hasSize(2);
            assertThat(valueOf(s, TABLES.get(2))).isEqualTo(TABLES.get(2));
            assertThat(lookups).as("a name only looked up ahead, never named by this session, is not carried: a session "
                    + "read again at every transaction would otherwise look up every name the database's connections use")
                    .hasSize(3);
        }
    }

    @Test
    void theServerStopsPlanningTheLookupAfterAFewRenewals() throws SQLException {
        Governance governance = Governance.builder().policy(PolicyLoader.baseline()).withoutAudit()
                .defaultIdentity(Identity.builder("renewal").build()).build();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw();
             Connection c = new GovernedConnection(raw, governance, null, Dialect.POSTGRESQL);
             Statement s = c.createStatement()) {
            for (int renewal = 0; renewal < 12; renewal++) {
                s.execute("SET search_path TO public");
                for (String table : TABLES) {
                    assertThat(valueOf(s, table)).isEqualTo(table);
                }
            }
            long[] plans = lookupPlans(raw);
            assertThat(plans[0]).as("lookups answered by the plan the server keeps").isPositive();

            try (Connection other = TestDatabase.POSTGRESQL.connectRaw(); Statement ddl = other.createStatement()) {
                ddl.execute("CREATE TABLE public." + AFTER_PLAN + " (id int PRIMARY KEY, v text)");
                ddl.execute("INSERT INTO public." + AFTER_PLAN + " VALUES (1, 'later')");
            }
            s.execute("SET search_path TO public");
            assertThat(valueOf(s, AFTER_PLAN)).as("a table created since is found by the kept plan").isEqualTo("later");
            assertThat(lookupPlans(raw)[0]).as("and that lookup did not plan the statement again").isGreaterThan(plans[0]);
            assertThat(lookupPlans(raw)[1]).isEqualTo(plans[1]);
        }
    }

    @Test
    void theKeptPlanAnswersAsAPlanMadeForTheNames() throws SQLException {
        List<String> names = List.of(TABLES.get(0), TABLES.get(1), VIEW, CHILD, "rr_not_there");
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw()) {
            List<List<String>> first = lookUp(raw, names);
            assertThat(first).as("a row per relation found, none for the name not there").hasSize(4);
            for (int i = 0; i < 12; i++) {
                assertThat(lookUp(raw, names)).as("lookup " + (i + 2)).isEqualTo(first);
                assertThat(lookUp(raw, List.of(VIEW))).as("a lookup of one name")
                        .containsExactly(first.stream().filter(row -> row.get(1).equals(VIEW)).findFirst().orElseThrow());
            }
            assertThat(lookupPlans(raw)[0]).as("the later lookups ran the plan the server keeps").isPositive();
        }
    }

    /**
     * The relation lookup's rows for {@code names}, each as its columns' values (an array's as a list: pgjdbc's text of
     * an array differs once the statement is prepared on the server and its results come in binary), in the relations'
     * order.
     */
    private static List<List<String>> lookUp(Connection raw, List<String> names) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement s = raw.prepareStatement(PostgresSessionReader.RELATIONS)) {
            s.setArray(1, raw.createArrayOf("text", new Object[0]));
            s.setArray(2, raw.createArrayOf("text", names.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        row.add(String.valueOf(value instanceof Array array ? List.of((Object[]) array.getArray()) : value));
                    }
                    rows.add(row);
                }
            }
        }
        rows.sort(Comparator.comparing((List<String> row) -> row.get(1)).thenComparing(row -> row.get(0)));
        return rows;
    }

    /** The generic and custom plans the session of {@code raw} made for the relation lookup it prepared on the server. */
    private static long[] lookupPlans(Connection raw) throws SQLException {
        try (PreparedStatement s = raw.prepareStatement("SELECT generic_plans, custom_plans FROM pg_catalog.pg_prepared_statements"
                + " WHERE statement LIKE ?")) {
            s.setString(1, RELATION_QUERY + "%");
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("the lookup is prepared on the server").isTrue();
                long[] plans = {rs.getLong(1), rs.getLong(2)};
                assertThat(rs.next()).isFalse();
                return plans;
            }
        }
    }

    private static String valueOf(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT v FROM " + table + " WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    /** {@code raw}, noting each relation lookup prepared on it (alone or with the search path's query). */
    private static Connection counting(Connection raw, List<String> lookups) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    // the lookup alone, or with the search path of the reading it is the first lookup of
                    if (method.getName().equals("prepareStatement") && ((String) args[0]).contains(RELATION_QUERY)) {
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
