package io.governed.jdbc.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the test JVMs that share the database servers out of each other's way. Every top-level test class holds a
 * lock on the file {@code governed-jdbc-it.lock} in {@code java.io.tmpdir} from before its {@code @BeforeAll} (or its
 * constructor, for a per-class instance) to after its {@code @AfterAll}: shared for an ordinary class, exclusive for
 * a {@link ServerWide} class, so that a server-wide class never runs while any class runs in another JVM. A class
 * waiting for the exclusive lock first takes a turnstile ({@code governed-jdbc-it.turnstile}) that new classes pass
 * through, so a stream of ordinary classes in the other JVM cannot starve it.
 *
 * <p>Registered for every test class through {@code META-INF/services/org.junit.jupiter.api.extension.Extension}
 * and {@code junit.jupiter.extensions.autodetection.enabled} in {@code junit-platform.properties}.
 */
public final class ForkLockExtension implements BeforeAllCallback, AfterAllCallback, TestInstancePreConstructCallback {
    private static final Logger LOG = LoggerFactory.getLogger(ForkLockExtension.class);

    static final Path LOCK_FILE = Path.of(System.getProperty("java.io.tmpdir"), "governed-jdbc-it.lock");
    static final Path TURNSTILE_FILE = Path.of(System.getProperty("java.io.tmpdir"), "governed-jdbc-it.turnstile");

    private static final Object MONITOR = new Object();
    private static Held held;

    private record Held(Class<?> testClass, boolean exclusive, FileChannel channel, FileLock lock) {
    }

    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        Class<?> testClass = factoryContext.getTestClass();
        if (testClass.getEnclosingClass() == null) {
            acquire(testClass);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        topLevel(context).ifPresent(ForkLockExtension::acquire);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        topLevel(context).ifPresent(ForkLockExtension::release);
    }

    /**
     * Creates this JVM's fork databases unless done: under the exclusive lock when this JVM holds none yet (a class's
     * conditions, such as {@code @RequiresDatabase}, are evaluated before its lock is taken).
     */
    static void ensureForkDatabases() {
        synchronized (MONITOR) {
            if (Fork.databasesEnsured()) {
                return;
            }
            if (held != null) {
                Fork.ensureDatabases();
                return;
            }
            Held creating = lock(ForkLockExtension.class, true);
            try {
                Fork.ensureDatabases();
            } finally {
                held = creating;
                releaseHeld();
            }
        }
    }

    /** The class whose lock this JVM holds now, if any: what tests of this extension check. */
    public static Optional<Class<?>> holder() {
        synchronized (MONITOR) {
            return Optional.ofNullable(held).map(Held::testClass);
        }
    }

    /** Whether the lock this JVM holds now is the exclusive one. */
    public static boolean holdsExclusive() {
        synchronized (MONITOR) {
            return held != null && held.exclusive();
        }
    }

    private static Optional<Class<?>> topLevel(ExtensionContext context) {
        return context.getTestClass().filter(c -> c.getEnclosingClass() == null);
    }

    private static void acquire(Class<?> testClass) {
        synchronized (MONITOR) {
            if (held != null) {
                if (held.testClass() == testClass) {
                    return;
                }
                // classes run one after another in a JVM; a lock left over means its class never reached afterAll
                releaseHeld();
            }
            boolean exclusive = testClass.isAnnotationPresent(ServerWide.class);
            // creating a database is server-wide: done once per JVM, while no class runs in the other
            ensureForkDatabases();
            held = lock(testClass, exclusive);
        }
    }

    private static Held lock(Class<?> testClass, boolean exclusive) {
        try {
            FileChannel channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try (FileChannel turnstile = FileChannel.open(TURNSTILE_FILE, StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock ignored = turnstile.lock()) {
                long start = System.nanoTime();
                FileLock lock = channel.lock(0, Long.MAX_VALUE, !exclusive);
                long waitedMs = (System.nanoTime() - start) / 1_000_000;
                if (waitedMs > 1000) {
                    LOG.info("{} waited {} ms for the {} test lock", testClass.getSimpleName(), waitedMs,
                            exclusive ? "exclusive" : "shared");
                }
                return new Held(testClass, exclusive, channel, lock);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + LOCK_FILE + " to keep test JVMs apart; check that"
                    + " java.io.tmpdir is writable", e);
        }
    }

    private static void release(Class<?> testClass) {
        synchronized (MONITOR) {
            if (held != null && held.testClass() == testClass) {
                releaseHeld();
            }
        }
    }

    private static void releaseHeld() {
        try {
            held.lock().release();
            held.channel().close();
        } catch (IOException e) {
            LOG.warn("cannot release the test lock on {}: {}", LOCK_FILE, e.toString());
        } finally {
            held = null;
        }
    }
}
