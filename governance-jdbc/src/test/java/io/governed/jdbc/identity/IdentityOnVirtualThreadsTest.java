package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * The identity scope carried to virtual threads: a virtual-thread-per-task executor wrapped with
 * IdentityContext.wrap, and a wrapped task started on Thread.ofVirtual(). Runs on Java 21 or later
 * (its own Surefire execution, on Java 25); compiled for Java 17, so the virtual-thread API is
 * reached by reflection.
 */
@Tag("java21")
class IdentityOnVirtualThreadsTest {
    private final GateWitness gate = new GateWitness();

    private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
        return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    }

    private static ExecutorService virtualThreadPerTask() throws ReflectiveOperationException {
        assertThat(Runtime.version().feature()).as("this test runs on Java 21 or later").isGreaterThanOrEqualTo(21);
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    @Test
    void aWrappedVirtualThreadPerTaskExecutorRunsEachTaskAsItsSubmitter() throws Exception {
        List<Identity> submitters = List.of(Identity.human("alice"), Identity.human("bob"), Identity.human("carol"));
        ExecutorService virtual = virtualThreadPerTask();
        try {
            ExecutorService scoped = IdentityContext.wrap(virtual);
            AtomicBoolean allVirtual = new AtomicBoolean(true);
            List<Future<String>> done = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                Identity submitter = submitters.get(i % submitters.size());
                String marker = "virtual-" + submitter.principal() + "-" + i;
                done.add(IdentityContext.runAs(submitter, () -> scoped.submit(() -> {
                    allVirtual.compareAndSet(true, isVirtual(Thread.currentThread()));
                    return gate.run(marker);
                })));
            }
            for (Future<String> f : done) {
                String marker = f.get(30, TimeUnit.SECONDS);
                assertThat(gate.ranAs(marker)).isEqualTo(marker.split("-")[1]);
            }
            assertThat(allVirtual).isTrue();
            Future<String> unwrapped = IdentityContext.runAs(submitters.get(0), () -> virtual.submit(() -> gate.run("virtual-unwrapped")));
            assertThat(gate.ranAs(unwrapped.get(30, TimeUnit.SECONDS))).isEqualTo(GateWitness.DEFAULT.principal());
        } finally {
            virtual.shutdownNow();
        }
    }

    @Test
    void aWrappedTaskStartedOnAVirtualThreadRunsAsTheScope() throws Exception {
        assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(21);
        AtomicReference<Optional<Identity>> seen = new AtomicReference<>();
        Runnable task = () -> {
            try {
                seen.set(IdentityContext.scoped());
                gate.run("ofvirtual-alice");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        Runnable wrapped = IdentityContext.runAs(Identity.human("alice"), () -> IdentityContext.wrap(task));
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        Thread thread = (Thread) start.invoke(builder, wrapped);
        thread.join(30_000);
        assertThat(isVirtual(thread)).isTrue();
        assertThat(seen.get()).map(Identity::principal).contains("alice");
        assertThat(gate.ranAs("ofvirtual-alice")).isEqualTo("alice");
    }
}
