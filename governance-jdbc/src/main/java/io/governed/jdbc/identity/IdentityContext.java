package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.jdbc.identity.token.VerifiedToken;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Scoped identities: every statement run on this thread inside {@code runAs(identity, work)} is
 * checked as {@code identity}, whatever connection it runs on. Scopes nest; the innermost wins,
 * and the previous identity is back when a scope ends, normally or by an exception.
 *
 * <pre>{@code
 * List<Order> orders = IdentityContext.runAs(alice, () -> orderDao.findAll());
 * }</pre>
 *
 * <p>The scope is the calling thread's. Work handed to other threads runs there without it, as the
 * connection's identity, unless the scope goes along: submit it through {@link #wrap(ExecutorService)}
 * (or {@link #wrap(Executor)}, or wrap the task itself with {@link #wrap(Runnable)}), or let
 * Micrometer's context propagation carry it (Reactor, {@code ContextExecutorService}, {@code
 * ContextSnapshot}: the {@link IdentityAccessor} is registered for it). With
 * {@code governed.identity.require-scoped=true}, a statement without a scope is refused instead of
 * running as the connection's identity.
 */
public final class IdentityContext {
    /**
     * The thread's innermost open scope, each frame linked to the one it was opened in. A frame that ends ends every
     * frame opened inside it that is still open (closed out of order, or left open by the work of a {@code runAs}): closing
     * one of those later restores nothing, so no identity outlives the scope it was opened in.
     */
    private static final ThreadLocal<Frame> INNERMOST = new ThreadLocal<>();
    /**
     * Whether a scope was ever opened in this process. Until one is, no thread has one, and {@link #scopedOrNull} (asked
     * by every getter of a result set) looks nothing up. A thread sets it before it opens its first scope, so it always
     * sees its own scopes; another thread's scopes are not its business.
     */
    private static volatile boolean anyScope;

    /** One scope on one thread: its identity ({@code null}: no scope, as a task bound to none runs), and the frame it is in. */
    private static final class Frame {
        final Identity identity;
        final Frame outer;
        boolean ended;

        Frame(Identity identity, Frame outer) {
            this.identity = identity;
            this.outer = outer;
        }
    }

    private IdentityContext() {
    }

    /** Work that returns a value and may throw a checked exception (a {@code SQLException}, say). */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** Work that returns nothing and may throw a checked exception. */
    @FunctionalInterface
    public interface VoidWork<E extends Exception> {
        void run() throws E;
    }

    /** Runs {@code work} with {@code identity} as the scoped identity, and returns its result. */
    public static <T, E extends Exception> T runAs(Identity identity, Work<T, E> work) throws E {
        Objects.requireNonNull(identity, "identity");
        return within(identity, work);
    }

    /** Runs {@code work} with {@code identity} as the scoped identity. */
    public static <E extends Exception> void runAs(Identity identity, VoidWork<E> work) throws E {
        runAs(identity, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs {@code work} as the identity a verified token vouches for (an agent acting for a person, when
     * the token says so), and returns its result. Its statements are refused once the token expires.
     */
    public static <T, E extends Exception> T runAs(VerifiedToken token, Work<T, E> work) throws E {
        return runAs(Objects.requireNonNull(token, "token").identity(), work);
    }

    /** Runs {@code work} as the identity a verified token vouches for; see {@link #runAs(VerifiedToken, Work)}. */
    public static <E extends Exception> void runAs(VerifiedToken token, VoidWork<E> work) throws E {
        runAs(Objects.requireNonNull(token, "token").identity(), work);
    }

    /**
     * Runs {@code work} with {@code identity} as the scoped identity, and returns its result: for
     * callers without checked exceptions (Kotlin, reactive operators, {@code CompletableFuture}).
     */
    public static <T> T supplyAs(Identity identity, Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        return runAs(identity, work::get);
    }

    /** Runs {@code work} with {@code identity} as the scoped identity, and returns its result or its exception. */
    public static <T> T callAs(Identity identity, Callable<T> work) throws Exception {
        Objects.requireNonNull(work, "work");
        return runAs(identity, work::call);
    }

    /** The identity of the innermost scope on this thread, if any. */
    public static Optional<Identity> scoped() {
        return Optional.ofNullable(scopedOrNull());
    }

    /** The scoped identity, or {@code null}: for the statement path, without an {@code Optional}. */
    public static Identity scopedOrNull() {
        if (!anyScope) {
            return null;
        }
        Frame innermost = INNERMOST.get();
        return innermost == null ? null : innermost.identity;
    }

    /**
     * {@code task} bound to the scope current now: wherever it runs, it runs as this scope's identity
     * (or with no scope, when there is none now), and the running thread's own scope is back afterwards.
     */
    public static Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        Identity captured = scopedOrNull();
        return () -> within(captured, () -> {
            task.run();
            return null;
        });
    }

    /** {@code task} bound to the scope current now; see {@link #wrap(Runnable)}. */
    public static <T> Callable<T> wrap(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Identity captured = scopedOrNull();
        return () -> within(captured, task::call);
    }

    /** {@code task} bound to the scope current now; see {@link #wrap(Runnable)}. */
    public static <T> Supplier<T> wrapSupplier(Supplier<T> task) {
        Objects.requireNonNull(task, "task");
        Identity captured = scopedOrNull();
        return () -> within(captured, task::get);
    }

    /**
     * An executor that runs each task as the scope current when the task was handed to it
     * ({@code CompletableFuture.supplyAsync(work, IdentityContext.wrap(executor))}, say).
     */
    public static Executor wrap(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return task -> executor.execute(wrap(task));
    }

    /**
     * An executor service whose every task ({@code execute}, {@code submit}, {@code invokeAll},
     * {@code invokeAny}) runs as the scope current when it was submitted. Shutting it down shuts
     * {@code executor} down.
     */
    public static ExecutorService wrap(ExecutorService executor) {
        return new ScopedExecutorService(executor);
    }

    /** Runs {@code work} with {@code identity} as the scope ({@code null}: none), then restores the previous one. */
    /**
     * Makes {@code identity} this thread's scoped identity until the returned scope is closed, which
     * restores the one before. For frameworks whose work starts and ends in separate callbacks on one
     * thread (Kotlin's {@code open(identity).use { … }} too); prefer {@link #runAs} where the work is one call.
     */
    public static Scope open(Identity identity) {
        Objects.requireNonNull(identity, "identity");
        return new Scope(enter(identity), Thread.currentThread());
    }

    /**
     * A scope {@link #open opened} on one thread; closing it (once, on that thread) restores the identity before, and ends
     * the scopes opened inside it that are still open. A scope that an outer scope's end has ended already restores
     * nothing when it is closed.
     */
    public static final class Scope implements AutoCloseable {
        private final Frame frame;
        private final Thread owner;
        private boolean closed;

        private Scope(Frame frame, Thread owner) {
            this.frame = frame;
            this.owner = owner;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("An identity scope must be closed on the thread that opened it ("
                        + owner.getName() + "), not on " + Thread.currentThread().getName());
            }
            closed = true;
            leave(frame);
        }
    }

    private static <T, E extends Exception> T within(Identity identity, Work<T, E> work) throws E {
        Frame frame = enter(identity);
        try {
            return work.run();
        } finally {
            leave(frame);
        }
    }

    /** Opens a frame of {@code identity} inside the thread's innermost one. */
    private static Frame enter(Identity identity) {
        scopesOpen();
        Frame frame = new Frame(identity, INNERMOST.get());
        INNERMOST.set(frame);
        return frame;
    }

    /**
     * Ends {@code frame} and every frame opened inside it that is still open; the innermost frame is then the one it was
     * opened in (or, past frames that ended meanwhile, the nearest still open). Nothing when it has ended already.
     */
    private static void leave(Frame frame) {
        if (frame.ended) {
            return;
        }
        for (Frame f = INNERMOST.get(); f != null && f != frame; f = f.outer) {
            f.ended = true; // opened inside the frame that ends (or set in its place): it ends too
        }
        frame.ended = true;
        Frame back = frame.outer;
        while (back != null && back.ended) {
            back = back.outer;
        }
        if (back == null) {
            INNERMOST.remove();
        } else {
            INNERMOST.set(back);
        }
    }

    /**
     * Makes {@code identity} this thread's scope ({@code null}: none), in place of the open frames, as context
     * propagation sets and restores it; a scope opened before and closed after ends what is in effect then, and
     * restores the identity it was opened over. For {@link IdentityAccessor}.
     */
    static void set(Identity identity) {
        if (identity == null) {
            INNERMOST.remove();
        } else {
            scopesOpen();
            INNERMOST.set(new Frame(identity, null));
        }
    }

    /** A scope is about to be opened on this thread: from now on {@link #scopedOrNull} looks. */
    private static void scopesOpen() {
        if (!anyScope) {
            anyScope = true;
        }
    }
}
