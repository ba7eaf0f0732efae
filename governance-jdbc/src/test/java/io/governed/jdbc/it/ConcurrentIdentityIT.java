package io.governed.jdbc.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.gate.DecisionFunction;
import io.governed.jdbc.gate.GateRequest;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.policy.Decision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * Proves identities never cross threads or outlive their scope on pooled connections: 16 threads in
 * runAs scopes of 4 identities share a HikariCP pool of 4 connections behind GovernedDataSource and
 * run 160,000 statements; every statement reaches the gate as its own thread's identity. Afterwards,
 * statements outside any scope, on the same pooled connections and the same worker threads, are
 * checked as the default identity, never as a leftover scoped or connection identity.
 */
class ConcurrentIdentityIT {
    private static final int THREADS = 16;
    private static final int STATEMENTS_PER_THREAD = 10_000;
    private static final int STATEMENTS_PER_BORROWING = 25;
    private static final Identity DEFAULT = Identity.builder("app-default").kind(IdentityKind.SERVICE).build();
    private static final List<Identity> IDENTITIES = List.of(
            Identity.builder("alice").kind(IdentityKind.HUMAN).groups("analysts").build(),
            Identity.builder("bob").kind(IdentityKind.HUMAN).groups("dba").build(),
            Identity.builder("billing").kind(IdentityKind.SERVICE).build(),
            Identity.builder("report-agent").kind(IdentityKind.AGENT)
                    .onBehalfOf(Identity.human("carol")).purpose("monthly report").build());

    private final IdentityTally tally = new IdentityTally();
    private ExecutorService workers;
    private GovernedDataSource dataSource;

    /** The identity that thread number {@code thread} runs as: four threads per identity. */
    private static Identity identityOf(int thread) {
        return IDENTITIES.get(thread % IDENTITIES.size());
    }

    @BeforeEach
    void openPool() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("governed-it-concurrent");
        config.setJdbcUrl("jdbc:h2:mem:concurrent_identity;DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(4);
        Governance governance = Governance.builder().decisionFunction(tally).defaultIdentity(DEFAULT).build();
        dataSource = new GovernedDataSource(new HikariDataSource(config), governance);
        workers = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void closePool() throws Exception {
        workers.shutdownNow();
        dataSource.close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyStatementReachesTheGateAsItsOwnThreadsIdentityAndNoScopeOutlivesItself() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> scoped = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            scoped.add(workers.submit(() -> {
                start.await();
                return IdentityContext.runAs(identityOf(thread), () -> runMarkedStatements(thread));
            }));
        }
        start.countDown();
        for (Future<Integer> done : scoped) {
            assertThat(done.get()).isEqualTo(STATEMENTS_PER_THREAD);
        }

        assertThat(tally.total.sum()).isEqualTo((long) THREADS * STATEMENTS_PER_THREAD);
        assertThat(tally.mismatches).as("statements checked as another thread's identity").isEmpty();
        assertThat(tally.unmarked).isEmpty();
        for (int t = 0; t < THREADS; t++) {
            assertThat(tally.perThread[t].sum()).as("statements of thread %d", t).isEqualTo(STATEMENTS_PER_THREAD);
        }

        assertThat(unscopedIdentitiesOnTheSameWorkerThreads()).containsOnly(DEFAULT.principal()).hasSize(THREADS);
        assertThat(unscopedIdentitiesOnEveryPooledConnection()).containsExactly(
                DEFAULT.principal(), DEFAULT.principal(), DEFAULT.principal(), DEFAULT.principal());
    }

    /** Runs this thread's statements, a new borrowing every few, each embedding the thread's marker. */
    private int runMarkedStatements(int thread) throws SQLException {
        int run = 0;
        while (run < STATEMENTS_PER_THREAD) {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                for (int i = 0; i < STATEMENTS_PER_BORROWING && run < STATEMENTS_PER_THREAD; i++, run++) {
                    try (ResultSet rs = st.executeQuery("SELECT 17 /* t" + thread + "-" + run + " */")) {
                        rs.next();
                        if (rs.getInt(1) != 17) {
                            throw new AssertionError("thread " + thread + " read " + rs.getInt(1));
                        }
                    }
                }
            }
        }
        return run;
    }

    /** The identity each worker thread's first statement outside any scope is checked as. */
    private List<String> unscopedIdentitiesOnTheSameWorkerThreads() throws Exception {
        List<Callable<String>> tasks = new ArrayList<>();
        CountDownLatch allThreadsBusy = new CountDownLatch(THREADS);
        for (int t = 0; t < THREADS; t++) {
            tasks.add(() -> {
                allThreadsBusy.countDown();
                allThreadsBusy.await(); // one task per worker thread, so every scoped thread is reused
                return principalOfOneStatement();
            });
        }
        List<String> principals = new ArrayList<>();
        for (Future<String> f : workers.invokeAll(tasks)) {
            principals.add(f.get());
        }
        return principals;
    }

    /**
     * Gives one borrowing a connection identity and a scoped statement and returns it to the pool,
     * then borrows all four pooled connections at once and checks what each one's next unscoped
     * statement runs as.
     */
    private List<String> unscopedIdentitiesOnEveryPooledConnection() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.unwrap(GovernedConnection.class).setIdentity(IDENTITIES.get(1));
            assertThat(principalOfOneStatement(c)).as("the connection's identity").isEqualTo("bob");
            assertThat(IdentityContext.runAs(IDENTITIES.get(0), () -> principalOfOneStatement(c)))
                    .as("a scoped identity wins over the connection's").isEqualTo("alice");
        }
        List<Connection> all = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                all.add(dataSource.getConnection());
            }
            List<String> principals = new ArrayList<>();
            for (Connection c : all) {
                principals.add(principalOfOneStatement(c));
            }
            return principals;
        } finally {
            for (Connection c : all) {
                c.close();
            }
        }
    }

    private String principalOfOneStatement() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return principalOfOneStatement(c);
        }
    }

    private String principalOfOneStatement(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1 /* outside */")) {
            rs.next();
        }
        return tally.outside.poll();
    }

    /**
     * Counts, per statement at the gate, whether its identity is the one expected for the thread whose
     * marker the SQL carries; statements marked "outside" have their principal queued instead.
     */
    private static final class IdentityTally implements DecisionFunction {
        private static final Pattern MARKER = Pattern.compile("/\\* t(\\d+)-\\d+ \\*/");

        final LongAdder total = new LongAdder();
        final LongAdder[] perThread = new LongAdder[THREADS];
        final Queue<String> mismatches = new ConcurrentLinkedQueue<>();
        final Queue<String> unmarked = new ConcurrentLinkedQueue<>();
        final Queue<String> outside = new ConcurrentLinkedQueue<>();

        IdentityTally() {
            for (int t = 0; t < THREADS; t++) {
                perThread[t] = new LongAdder();
            }
        }

        @Override
        public Decision decide(GateRequest request) {
            String sql = request.sql().sql();
            if (sql.endsWith("/* outside */")) {
                outside.add(request.identity().principal());
                return Decision.allowUnconditionally();
            }
            Matcher marker = MARKER.matcher(sql);
            if (!marker.find()) {
                unmarked.add(sql);
                return Decision.allowUnconditionally();
            }
            int thread = Integer.parseInt(marker.group(1));
            total.increment();
            perThread[thread].increment();
            if (!request.identity().equals(identityOf(thread))) {
                mismatches.add(sql + " as " + request.identity().principal());
            }
            return Decision.allowUnconditionally();
        }
    }
}
