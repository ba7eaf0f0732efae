package io.governed.jdbc.session;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.PgWireRecorder;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the driver's own catalog reads cost a connection, counted on the wire (pgjdbc's frontend messages): round trips
 * and statements for opening a governed connection and running its first statement, for the first statement naming a
 * table the connection has not seen, and for a kept point select, for a masked agent and an unmasked service.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresConnectionCostIT {
    private static final String ORDERS = UniqueNames.of("cc_orders");
    private static final String ITEMS = UniqueNames.of("cc_items");
    private static final String VIEW = UniqueNames.of("cc_view");
    private static final String POLICY = """
            version: 1
            default: deny
            classification: { tags: { pii.email: ["*.email"] } }
            rules:
              - { id: read, effect: permit, actions: [select], resources: ["public.cc_*"] }
              - { id: by-name, effect: permit, actions: [select, execute], resources: ["public.cc_*"], when: { traits: [dynamic-sql] } }
              - { id: define, effect: permit, principals: { kinds: [service] }, actions: [alter], resources: ["public.cc_*"] }
            masks:
              - { id: mask-email, columns: { tags: [pii.email] }, function: partial, keep-last: 4, unless: { groups: [services] } }
            """;
    private static final Identity AGENT = Identity.builder("cc-agent").kind(IdentityKind.AGENT).build();
    private static final Identity SERVICE = Identity.builder("cc-service").kind(IdentityKind.SERVICE).groups("services").build();

    @BeforeAll
    static void tables() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            for (String table : new String[] {ORDERS, ITEMS}) {
                s.execute("CREATE TABLE public." + table + " (id int PRIMARY KEY, email text, note text)");
                s.execute("INSERT INTO public." + table + " VALUES (1, 'ann@example.com', 'one')");
            }
            s.execute("CREATE VIEW public." + VIEW + " AS SELECT id, email FROM public." + ORDERS);
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP VIEW IF EXISTS public." + VIEW);
            s.execute("DROP TABLE IF EXISTS public." + ORDERS + ", public." + ITEMS);
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger POOLS = new java.util.concurrent.atomic.AtomicInteger();

    /** Each pool's physical data source. */
    private static final java.util.Map<GovernedDataSource, PGSimpleDataSource> RAW =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    /** A pool's data source: a URL of its own, so that what the process shares per database starts empty. */
    private static GovernedDataSource pool(Identity identity) {
        PGSimpleDataSource raw = new PGSimpleDataSource();
        raw.setUrl(TestDatabase.POSTGRESQL.rawUrl() + "&ApplicationName=cc_pool_" + POOLS.incrementAndGet() + "_"
                + UniqueNames.of("cc"));
        raw.setUser(TestDatabase.POSTGRESQL.user());
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("cc.yaml", POLICY)).withoutAudit()
                .defaultIdentity(identity).build();
        GovernedDataSource governed = new GovernedDataSource(raw, governance);
        RAW.put(governed, raw);
        return governed;
    }

    private static String select(String table) {
        return "SELECT email FROM public." + table + " WHERE id = ?";
    }

    private static String email(PreparedStatement s) throws SQLException {
        s.setInt(1, 1);
        try (ResultSet rs = s.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    /** Prints a measurement (the counts in the test's output, for the benchmarks' record). */
    private static void report(String format, Object... values) {
        String line = format;
        for (Object value : values) {
            line = line.replaceFirst("\\{\\}", java.util.regex.Matcher.quoteReplacement(String.valueOf(value)));
        }
        System.out.println(line);
        if (Boolean.getBoolean("governed.measure.texts") && values[values.length - 1] instanceof PgWireRecorder.Trips trips) {
            trips.statements().forEach(s -> System.out.println("    " + s.roundTrip() + ": " + s.text()));
        }
    }

    /** How long a measurement may take before what the driver reads by age may be due within it (a second). */
    private static final long WITHIN_A_SECOND = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(900);
    /** Measurements made void by a loaded machine (one taking longer than {@link #WITHIN_A_SECOND}) are made again. */
    private static final int ATTEMPTS = 5;

    /**
     * A masked caller's {@code EXECUTE} of a statement kept by name, outside a transaction block: the reading made as it
     * runs (the search path and the relations its text names, one round trip) is what its names are compared on,
     * with no lookup of where they are now besides; the database's user code read since too (one round trip, as for any
     * {@code EXECUTE} of such a caller); then the statement.
     */
    @Test
    void aMaskedCallersExecuteOfAKeptNameReadsTheSessionOnce() throws Exception {
        try (Connection c = pool(AGENT).getConnection(); Statement st = c.createStatement();
             PgWireRecorder wire = PgWireRecorder.start()) {
            // the name goes with the session, which closing the connection ends (a DEALLOCATE is not permitted)
            st.execute("PREPARE cc_kept AS SELECT email FROM public." + ORDERS + " WHERE id = 1");
            {
                PgWireRecorder.Trips trips = null;
                for (int attempt = 0; attempt < ATTEMPTS && trips == null; attempt++) {
                    assertThat(executed(st)).isEqualTo("***********.com");
                    wire.take();
                    long start = System.nanoTime();
                    assertThat(executed(st)).isEqualTo("***********.com");
                    trips = System.nanoTime() - start < WITHIN_A_SECOND ? wire.takeTrips() : null;
                }
                assertThat(trips).as("a measurement within a second").isNotNull();
                assertThat(texts(trips)).as("" + trips).noneMatch(t -> t.contains("to_regclass"))
                        .last().isEqualTo("EXECUTE cc_kept");
                assertThat(trips.roundTrips()).as("" + trips).isEqualTo(3);
            }
        }
    }

    private static String executed(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("EXECUTE cc_kept")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    /**
     * A kept prepared statement's point select, run again while nothing the driver reads by age is due: the
     * application's statement alone, in one round trip, for the unmasked service; the masked agent's run is judged on a
     * reading of the database's user code and one of the session, both made as it runs, one round trip each more (its
     * {@code =} may be an operator of user code made a moment ago, and its table may hold a value of a type a cast of
     * user code converts).
     */
    @Test
    void aKeptPointSelectSendsTheApplicationsStatementAloneInOneRoundTrip() throws Exception {
        for (Identity identity : new Identity[] {SERVICE, AGENT}) {
            try (Connection c = pool(identity).getConnection();
                 PreparedStatement kept = c.prepareStatement(select(ORDERS));
                 PgWireRecorder wire = PgWireRecorder.start()) {
                PgWireRecorder.Trips trips = null;
                for (int attempt = 0; attempt < ATTEMPTS && trips == null; attempt++) {
                    email(kept); // the connection's reading, its lookups, and what is due by age now done
                    wire.take();
                    long start = System.nanoTime();
                    email(kept);
                    trips = System.nanoTime() - start < WITHIN_A_SECOND ? wire.takeTrips() : null;
                }
                assertThat(trips).as("a measurement within a second").isNotNull();
                if (identity == AGENT) {
                    // a masked caller's statement is judged on readings made as it runs: the search path, the
                    // relation's lookup and the user code in one round trip, then the statement
                    assertThat(trips.roundTrips()).as(identity.principal() + ": " + trips).isEqualTo(2);
                    assertThat(texts(trips)).as(identity.principal() + ": " + trips).hasSize(4)
                            .last().isEqualTo(select(ORDERS).replace("?", "$1"));
                    assertThat(trips.statements().get(0).roundTrip()).isEqualTo(trips.statements().get(2).roundTrip());
                    assertThat(texts(trips).get(0)).contains("current_schemas");
                    assertThat(texts(trips).get(2)).startsWith("SELECT 'f'::pg_catalog.text");
                    continue;
                }
                assertThat(trips.statements()).as(identity.principal() + ": " + trips).extracting(PgWireRecorder.Sent::text)
                        .containsExactly(select(ORDERS).replace("?", "$1"));
                assertThat(trips.roundTrips()).as(identity.principal() + ": " + trips).isEqualTo(1);
            }
        }
    }

    /**
     * The masked agent's kept point select inside a transaction: after the transaction's isolation (one round trip), the
     * readings made as it runs (the search path, the relation's lookup and the user code) go under the savepoint that
     * keeps a failed catalog query from aborting the application's transaction, the savepoint set and released in the
     * readings' own round trip; then the statement.
     */
    @Test
    void aMaskedCallersKeptPointSelectInATransactionReadsInOneRoundTrip() throws Exception {
        try (Connection c = pool(AGENT).getConnection(); PreparedStatement kept = c.prepareStatement(select(ORDERS));
             PgWireRecorder wire = PgWireRecorder.start()) {
            c.setAutoCommit(false);
            PgWireRecorder.Trips trips = null;
            for (int attempt = 0; attempt < ATTEMPTS && trips == null; attempt++) {
                assertThat(email(kept)).isEqualTo("***********.com"); // the transaction begun
                wire.take();
                long start = System.nanoTime();
                assertThat(email(kept)).isEqualTo("***********.com");
                trips = System.nanoTime() - start < WITHIN_A_SECOND ? wire.takeTrips() : null;
                c.commit();
            }
            assertThat(trips).as("a measurement within a second").isNotNull();
            // the transaction's isolation first (a REPEATABLE READ one's snapshot may be older than the statement), with
            // what a reading beside such a transaction needs of the session, under the savepoint in its round trip
            List<String> texts = texts(trips);
            assertThat(texts).as("" + trips).containsExactly("SAVEPOINT governed_catalog_reading", texts.get(1),
                    "RELEASE SAVEPOINT governed_catalog_reading",
                    "SAVEPOINT governed_catalog_reading", texts.get(4), texts.get(5), texts.get(6),
                    "RELEASE SAVEPOINT governed_catalog_reading", select(ORDERS).replace("?", "$1"));
            assertThat(texts.get(1)).startsWith("SELECT pg_catalog.current_setting('transaction_isolation')");
            assertThat(texts.get(4)).contains("current_schemas");
            assertThat(texts.get(6)).startsWith("SELECT 'f'::pg_catalog.text");
            assertThat(trips.statements().get(0).roundTrip()).isEqualTo(trips.statements().get(2).roundTrip());
            assertThat(trips.statements().get(3).roundTrip()).isEqualTo(trips.statements().get(7).roundTrip());
            assertThat(trips.roundTrips()).as("" + trips).isEqualTo(3);
        }
    }

    /**
     * The unmasked service's definition ({@code ALTER TABLE … SET DEFAULT}), its session's reading in force: judged on a
     * reading of the database's user code made as it runs (a domain with a CHECK made a moment ago, which the statement
     * may reach), one round trip more than before it was, beside the reading of the event triggers any definition takes;
     * inside a transaction each reading runs under a savepoint, set and released in the reading's own round trip.
     */
    @Test
    void anUnmaskedCallersDefinitionReadsTheUserCodeAsItRuns() throws Exception {
        String alter = "ALTER TABLE public." + ITEMS + " ALTER COLUMN note SET DEFAULT 'n'";
        for (boolean autoCommit : new boolean[] {true, false}) {
            try (Connection c = pool(SERVICE).getConnection(); Statement st = c.createStatement();
                 PreparedStatement kept = c.prepareStatement(select(ORDERS));
                 PgWireRecorder wire = PgWireRecorder.start()) {
                c.setAutoCommit(autoCommit);
                PgWireRecorder.Trips trips = null;
                for (int attempt = 0; attempt < ATTEMPTS && trips == null; attempt++) {
                    st.execute(alter); // the first: what it reads for the first time read
                    email(kept); // the session read again after the definition
                    wire.take();
                    long start = System.nanoTime();
                    st.execute(alter);
                    trips = System.nanoTime() - start < WITHIN_A_SECOND ? wire.takeTrips() : null;
                    if (!autoCommit) {
                        c.commit();
                    }
                }
                assertThat(trips).as("a measurement within a second").isNotNull();
                String who = (autoCommit ? "auto-commit: " : "in a transaction: ") + trips;
                assertThat(texts(trips)).as(who).filteredOn(t -> t.startsWith("SELECT 'f'::pg_catalog.text")).hasSize(1);
                assertThat(texts(trips)).as(who).last().isEqualTo(alter);
                assertThat(trips.roundTrips()).as(who).isEqualTo(3);
            }
        }
    }

    /**
     * A new connection's first statement: the driver reads the session's search path and looks up the relation the
     * statement names in one round trip, before the application's statement (one more); what a view adds (the views it
     * reads, as deep as followed) is not asked for a table. The masked agent sees the email masked: the reading still
     * tells what the statement reads.
     */
    @Test
    void aNewConnectionsFirstStatementReadsTheSessionInOneRoundTrip() throws Exception {
        for (Identity identity : new Identity[] {SERVICE, AGENT}) {
            PgWireRecorder.Trips trips = null;
            String email = null;
            for (int attempt = 0; attempt < ATTEMPTS && trips == null; attempt++) {
                try (PgWireRecorder wire = PgWireRecorder.start()) {
                    long start = System.nanoTime();
                    try (Connection c = pool(identity).getConnection()) {
                        wire.take(); // the opening's own readings (built-ins, shadowing)
                        try (PreparedStatement s = c.prepareStatement(select(ORDERS))) {
                            email = email(s);
                        }
                        PgWireRecorder.Trips taken = wire.takeTrips();
                        trips = System.nanoTime() - start < WITHIN_A_SECOND ? taken : null;
                    }
                }
            }
            assertThat(trips).as("a measurement within a second").isNotNull();
            String who = identity.principal() + ": " + trips;
            assertThat(email).as(who).isEqualTo(identity == AGENT ? "***********.com" : "ann@example.com");
            // the masked agent's run is judged on a reading of its own, made after the one prepareStatement's check took,
            // and on a reading of user code made as it runs (one round trip more)
            assertThat(trips.roundTrips()).as(who).isEqualTo(identity == AGENT ? 3 : 2);
            assertThat(texts(trips)).as(who).filteredOn(t -> t.contains("current_schemas"))
                    .hasSize(identity == AGENT ? 4 : 2);
            assertThat(texts(trips)).as(who).noneSatisfy(t -> assertThat(t).contains("WITH RECURSIVE v("));
            assertThat(texts(trips)).as(who).last().isEqualTo(select(ORDERS).replace("?", "$1"));
        }
    }

    /**
     * A new connection's first statement reading a view: the view's own reading (the views it reads, its definitions) is
     * one round trip of its own, asked only because the statement names a view, and the table its definition reads is
     * looked up in one more: the search path with the view's lookup, the view, the table, the application's statement.
     * The view's masked column stays masked for the agent and clear for the service.
     */
    @Test
    void aNewConnectionsFirstStatementReadingAViewReadsTheViewInOneRoundTripMore() throws Exception {
        for (Identity identity : new Identity[] {SERVICE, AGENT}) {
            PgWireRecorder.Trips trips = null;
            String email = null;
            for (int attempt = 0; attempt < ATTEMPTS && trips == null; attempt++) {
                try (PgWireRecorder wire = PgWireRecorder.start()) {
                    long start = System.nanoTime();
                    try (Connection c = pool(identity).getConnection()) {
                        wire.take();
                        try (PreparedStatement s = c.prepareStatement(select(VIEW))) {
                            email = email(s);
                        }
                        PgWireRecorder.Trips taken = wire.takeTrips();
                        trips = System.nanoTime() - start < WITHIN_A_SECOND ? taken : null;
                    }
                }
            }
            assertThat(trips).as("a measurement within a second").isNotNull();
            String who = identity.principal() + ": " + trips;
            assertThat(email).as(who).isEqualTo(identity == AGENT ? "***********.com" : "ann@example.com");
            // the masked agent's run reads the session and the view again (prepareStatement's check read them first),
            // and the user code (one round trip more)
            assertThat(trips.roundTrips()).as(who).isEqualTo(identity == AGENT ? 6 : 4);
            assertThat(texts(trips)).as(who).filteredOn(t -> t.contains("WITH RECURSIVE v("))
                    .hasSize(identity == AGENT ? 2 : 1);
            assertThat(texts(trips)).as(who).last().isEqualTo(select(VIEW).replace("?", "$1"));
        }
    }

    /**
     * A pool's second connection, opened while the first one's reading of what user code shadows is young, takes that
     * reading: it sends nothing more than the physical connection does (pgjdbc's own set-up).
     */
    @Test
    void aSecondConnectionOfAPoolTakesTheFirstOnesYoungShadowingReading() throws Exception {
        GovernedDataSource pool = pool(SERVICE);
        int setUp = setUpTrips(pool);
        boolean measured = false;
        for (int attempt = 0; attempt < ATTEMPTS && !measured; attempt++) {
            try (PgWireRecorder wire = PgWireRecorder.start()) {
                long start = System.nanoTime();
                try (Connection first = pool.getConnection()) {
                    PgWireRecorder.Trips opening = wire.takeTrips();
                    try (Connection second = pool.getConnection()) {
                        PgWireRecorder.Trips trips = wire.takeTrips();
                        if (System.nanoTime() - start >= WITHIN_A_SECOND) {
                            continue; // the first one's reading may be due by now: measured again
                        }
                        measured = true;
                        assertThat(texts(opening)).as("the first connection: " + opening)
                                .anySatisfy(t -> assertThat(t).contains("pg_catalog.pg_proc"));
                        assertThat(trips.roundTrips()).as("the second connection: " + trips).isEqualTo(setUp);
                        assertThat(texts(trips)).as("the second connection: " + trips)
                                .noneSatisfy(t -> assertThat(t).contains("pg_catalog."));
                    }
                }
            }
            Thread.sleep(1_100); // the shared reading due again for the next attempt's first connection
        }
        assertThat(measured).as("a measurement within a second").isTrue();
    }

    /**
     * The reading of what user code shadows, once due (a second old), is one catalog query in one round trip, whether a
     * new connection reads it or a kept one before its next statement; its age is unchanged (at most a second).
     */
    @Test
    void aDueShadowingReadingIsOneRoundTrip() throws Exception {
        GovernedDataSource pool = pool(SERVICE);
        int setUp = setUpTrips(pool);
        try (Connection c = pool.getConnection(); PreparedStatement kept = c.prepareStatement(select(ORDERS));
             PgWireRecorder wire = PgWireRecorder.start()) {
            email(kept);
            email(kept);
            Thread.sleep(1_100);
            wire.take();
            email(kept);
            PgWireRecorder.Trips trips = wire.takeTrips();
            assertThat(texts(trips)).as("a kept connection's statement after a second: " + trips)
                    .filteredOn(t -> t.contains("pg_catalog.pg_proc")).hasSize(1);
            assertThat(trips.roundTrips()).as("a kept connection's statement after a second: " + trips).isEqualTo(2);

            Thread.sleep(1_100);
            wire.take();
            try (Connection opened = pool.getConnection()) {
                PgWireRecorder.Trips opening = wire.takeTrips();
                assertThat(texts(opening)).as("a new connection after a second: " + opening)
                        .filteredOn(t -> t.contains("pg_catalog.pg_proc")).hasSize(1);
                assertThat(opening.roundTrips()).as("a new connection after a second: " + opening).isEqualTo(setUp + 1);
            }
        }
    }

    /** The round trips pgjdbc's own set-up of a physical connection of {@code pool} takes (its URL's settings). */
    private static int setUpTrips(GovernedDataSource pool) throws SQLException {
        try (PgWireRecorder wire = PgWireRecorder.start()) {
            try (Connection raw = RAW.get(pool).getConnection()) {
                return wire.takeTrips().roundTrips();
            }
        }
    }

    private static java.util.List<String> texts(PgWireRecorder.Trips trips) {
        return trips.statements().stream().map(PgWireRecorder.Sent::text).map(String::valueOf).toList();
    }

    /** Prints what each case sends (run with -Dgoverned.measure=true): the counts in benchmarks/README.md. */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "governed.measure", matches = "true")
    void measure() throws Exception {
        for (Identity identity : new Identity[] {AGENT, SERVICE}) {
            String who = identity.principal();
            GovernedDataSource pool = pool(identity);
            try (PgWireRecorder wire = PgWireRecorder.start()) {
                Connection c = pool.getConnection();
                report("[{}] (a) open, first connection of the process: {}", who, wire.takeTrips());
                PreparedStatement kept = c.prepareStatement(select(ORDERS));
                String first = email(kept);
                report("[{}] (a) first statement: {}", who, wire.takeTrips());
                PreparedStatement items = c.prepareStatement(select(ITEMS));
                email(items);
                report("[{}] (b) first statement naming another table: {}", who, wire.takeTrips());
                email(kept);
                email(kept);
                wire.take();
                email(kept);
                report("[{}] (c) kept point select ({}): {}", who, first, wire.takeTrips());
                try (Connection second = pool.getConnection()) {
                    report("[{}] (a) open, second connection within a second: {}", who, wire.takeTrips());
                    try (PreparedStatement s = second.prepareStatement(select(ORDERS))) {
                        email(s);
                    }
                    report("[{}] (a) its first statement: {}", who, wire.takeTrips());
                }
                Thread.sleep(1_100);
                wire.take();
                try (Connection third = pool.getConnection()) {
                    report("[{}] (a) open, a connection after the shared reading's age: {}", who, wire.takeTrips());
                    try (PreparedStatement s = third.prepareStatement(select(ORDERS))) {
                        email(s);
                    }
                    report("[{}] (a) its first statement: {}", who, wire.takeTrips());
                }
                Thread.sleep(1_100);
                wire.take();
                email(kept);
                report("[{}] (c) kept point select after a second idle: {}", who, wire.takeTrips());
                Thread.sleep(SessionState.MAXIMUM_AGE_SECONDS * 1_000 + 100);
                wire.take();
                email(kept);
                report("[{}] (c) kept point select after the session reading's age: {}", who, wire.takeTrips());
                kept.close();
                items.close();
                c.close();
            }
        }
    }
}
