package io.governed.jdbc.identity;

import io.governed.identity.Identity;

import java.util.Objects;
import java.util.Optional;

/**
 * Scoped identities: every statement run on this thread inside {@code runAs(identity, work)} is
 * checked as {@code identity}, whatever connection it runs on. Scopes nest; the innermost wins,
 * and the previous identity is back when a scope ends, normally or by an exception.
 *
 * <pre>{@code
 * List<Order> orders = IdentityContext.runAs(alice, () -> orderDao.findAll());
 * }</pre>
 *
 * <p>The scope is the calling thread's. Work handed to other threads (an executor, a parallel
 * stream) runs there without it unless it is scoped again; an unscoped statement falls back to the
 * connection's identity, never to another thread's.
 */
public final class IdentityContext {
    private static final ThreadLocal<Identity> SCOPED = new ThreadLocal<>();

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
        Identity previous = SCOPED.get();
        SCOPED.set(identity);
        try {
            return work.run();
        } finally {
            if (previous == null) {
                SCOPED.remove();
            } else {
                SCOPED.set(previous);
            }
        }
    }

    /** Runs {@code work} with {@code identity} as the scoped identity. */
    public static <E extends Exception> void runAs(Identity identity, VoidWork<E> work) throws E {
        runAs(identity, () -> {
            work.run();
            return null;
        });
    }

    /** The identity of the innermost scope on this thread, if any. */
    public static Optional<Identity> scoped() {
        return Optional.ofNullable(SCOPED.get());
    }

    /** The scoped identity, or {@code null}: for the statement path, without an {@code Optional}. */
    public static Identity scopedOrNull() {
        return SCOPED.get();
    }
}
