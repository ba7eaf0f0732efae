package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * Work handed from inside IdentityContext.runAs to other threads runs as the submitter's identity
 * when the executor or the task is wrapped (or Micrometer's context propagation carries it), and as
 * the connection's identity when not. Each case reads, at the gate, which identity every statement
 * was checked as; worker threads are left without any scope afterwards.
 */
class IdentityPropagationTest {
    private static final Identity ALICE = Identity.builder("alice").groups("analysts").build();
    private static final Identity BOB = Identity.human("bob");

    private final GateWitness gate = new GateWitness();
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** The scope the pool's threads have now, seen by a task that is not wrapped. */
    private List<Optional<Identity>> scopesLeftOnThePool() throws Exception {
        List<Optional<Identity>> left = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            left.add(pool.submit(IdentityContext::scoped).get());
        }
        return left;
    }

    @Test
    void aWrappedThreadPoolExecutorRunsEachTaskAsItsSubmitterAndAnUnwrappedOneAsTheConnection() throws Exception {
        ExecutorService scoped = IdentityContext.wrap(pool);
        Future<String> byAlice = IdentityContext.runAs(ALICE, () -> scoped.submit(() -> gate.run("pool-alice")));
        Future<String> byBob = IdentityContext.runAs(BOB, () -> scoped.submit(() -> gate.run("pool-bob")));
        Future<String> unscoped = scoped.submit(() -> gate.run("pool-none"));
        Future<String> aliceUnwrapped = IdentityContext.runAs(ALICE, () -> pool.submit(() -> gate.run("pool-alice-unwrapped")));

        assertThat(gate.ranAs(byAlice.get())).isEqualTo("alice");
        assertThat(gate.ranAs(byBob.get())).isEqualTo("bob");
        assertThat(gate.ranAs(unscoped.get())).as("submitted outside any scope").isEqualTo("app-default");
        assertThat(gate.ranAs(aliceUnwrapped.get())).as("the scope does not cross an unwrapped executor")
                .isEqualTo("app-default");
        assertThat(scopesLeftOnThePool()).containsOnly(Optional.empty());
    }

    @Test
    void supplyAsyncOnAWrappedExecutorRunsAsTheCallersScope() throws Exception {
        Executor asyncPool = IdentityContext.wrap((Executor) pool);
        CompletableFuture<String> future = IdentityContext.runAs(ALICE,
                () -> CompletableFuture.supplyAsync(() -> sneaky(() -> gate.run("async-alice")), asyncPool)
                        .thenApplyAsync(marker -> sneaky(() -> gate.run(marker + "-then")), asyncPool));
        String marker = future.get(10, TimeUnit.SECONDS);
        assertThat(gate.ranAs("async-alice")).isEqualTo("alice");
        assertThat(gate.ranAs(marker)).as("a stage added inside the scope").isEqualTo("alice");
        assertThat(scopesLeftOnThePool()).containsOnly(Optional.empty());
    }

    @Test
    void tasksFromManyScopesInterleavedOnOnePoolEachRunAsTheirOwnSubmitter() throws Exception {
        ExecutorService scoped = IdentityContext.wrap(pool);
        List<Identity> submitters = List.of(ALICE, BOB, Identity.human("carol"), Identity.human("dave"));
        ExecutorService submitting = Executors.newFixedThreadPool(submitters.size());
        try {
            List<Future<List<String>>> batches = new ArrayList<>();
            for (Identity submitter : submitters) {
                batches.add(submitting.submit(() -> IdentityContext.runAs(submitter, () -> {
                    List<Callable<String>> tasks = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        String marker = submitter.principal() + "-" + i;
                        tasks.add(() -> gate.run(marker));
                    }
                    List<String> markers = new ArrayList<>();
                    for (Future<String> done : scoped.invokeAll(tasks)) {
                        markers.add(done.get());
                    }
                    return markers;
                })));
            }
            for (int s = 0; s < submitters.size(); s++) {
                String principal = submitters.get(s).principal();
                assertThat(batches.get(s).get(30, TimeUnit.SECONDS)).hasSize(25)
                        .allSatisfy(marker -> assertThat(gate.ranAs(marker)).isEqualTo(principal));
            }
        } finally {
            submitting.shutdownNow();
        }
        assertThat(scopesLeftOnThePool()).containsOnly(Optional.empty());
    }

    @Test
    void aWrappedTaskOnAThreadWithItsOwnScopeRunsAsTheSubmitterAndTheThreadsScopeIsBackAfterwards() throws Exception {
        Runnable work = () -> sneaky(() -> gate.run("thread-alice"));
        Runnable forAlice = IdentityContext.runAs(ALICE, () -> IdentityContext.wrap(work));
        AtomicReference<Optional<Identity>> after = new AtomicReference<>();
        Thread worker = new Thread(() -> IdentityContext.runAs(BOB, () -> {
            forAlice.run();
            sneaky(() -> gate.run("thread-bob"));
            after.set(IdentityContext.scoped());
        }));
        worker.start();
        worker.join(10_000);
        assertThat(gate.ranAs("thread-alice")).isEqualTo("alice");
        assertThat(gate.ranAs("thread-bob")).isEqualTo("bob");
        assertThat(after.get()).contains(BOB);
        Thread plain = new Thread(() -> sneaky(() -> gate.run("thread-none")));
        IdentityContext.runAs(ALICE, () -> {
            plain.start();
            plain.join(10_000);
        });
        assertThat(gate.ranAs("thread-none")).as("a new thread does not inherit the scope").isEqualTo("app-default");
    }

    @Test
    void micrometerContextSnapshotAndContextExecutorServiceCarryTheScope() throws Exception {
        assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
                .as("registered through META-INF/services").anyMatch(a -> a instanceof IdentityAccessor);
        ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();
        ContextSnapshot captured = IdentityContext.runAs(ALICE, () -> snapshots.captureAll());
        pool.submit(captured.wrap(() -> sneaky(() -> gate.run("snapshot-alice")))).get();
        assertThat(gate.ranAs("snapshot-alice")).isEqualTo("alice");

        ExecutorService contextual = ContextExecutorService.wrap(pool, () -> snapshots.captureAll());
        Future<String> byBob = IdentityContext.runAs(BOB, () -> contextual.submit(() -> gate.run("context-executor-bob")));
        assertThat(gate.ranAs(byBob.get())).isEqualTo("bob");
        AtomicReference<Optional<Identity>> inScope = new AtomicReference<>();
        pool.submit(() -> {
            try (ContextSnapshot.Scope scope = captured.setThreadLocals()) {
                inScope.set(IdentityContext.scoped());
            }
        }).get();
        assertThat(inScope.get()).contains(ALICE);
        assertThat(scopesLeftOnThePool()).containsOnly(Optional.empty());
    }

    @Test
    void supplyAsAndCallAsScopeWorkWithoutForcingACheckedException() throws Exception {
        String supplied = IdentityContext.supplyAs(ALICE, () -> sneaky(() -> gate.run("supplied")));
        String called = IdentityContext.callAs(BOB, () -> gate.run("called"));
        assertThat(gate.ranAs(supplied)).isEqualTo("alice");
        assertThat(gate.ranAs(called)).isEqualTo("bob");
        assertThat(IdentityContext.scoped()).isEmpty();
    }

    /** A statement in code that may not throw a checked exception (a supplier, a runnable). */
    @FunctionalInterface
    interface SqlWork {
        String run() throws SQLException;
    }

    private static String sneaky(SqlWork work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
