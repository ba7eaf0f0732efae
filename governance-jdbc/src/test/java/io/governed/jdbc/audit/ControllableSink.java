package io.governed.jdbc.audit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sink a test steers: make it fail (with a checked or an unchecked exception), make it hold a
 * write until released, and read what it stored.
 */
final class ControllableSink implements AuditSink {

    private final List<AuditEvent> stored = new ArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile Exception failure;
    private volatile Semaphore gate;
    private final CountDownLatch firstWriteEntered = new CountDownLatch(1);
    private volatile boolean closed;
    private final AtomicInteger syncs = new AtomicInteger();
    private volatile Exception syncFailure;
    private volatile boolean accepting = true;
    private final boolean concurrentSync;
    private volatile Semaphore syncGate;
    private final AtomicInteger syncsEntered = new AtomicInteger();
    /** Events stored when the last sync began: what that sync makes durable. */
    private volatile int storedAtSync;
    private volatile String lastSyncThread;

    /** A sink whose sync runs on the writer's thread. */
    ControllableSink() {
        this(false);
    }

    /** With {@code concurrentSync}, a sink whose sync the dispatcher runs on a thread of its own ({@link #syncsConcurrently()}). */
    ControllableSink(boolean concurrentSync) {
        this.concurrentSync = concurrentSync;
    }

    @Override
    public boolean syncsConcurrently() {
        return concurrentSync;
    }

    @Override
    public String describe() {
        return "controllable";
    }

    @Override
    public void write(List<AuditEvent> events) throws IOException {
        attempts.incrementAndGet();
        firstWriteEntered.countDown();
        Semaphore g = gate;
        if (g != null) {
            g.acquireUninterruptibly();
        }
        Exception f = failure;
        if (f instanceof IOException io) {
            throw io;
        }
        if (f instanceof RuntimeException re) {
            throw re;
        }
        synchronized (stored) {
            stored.addAll(events);
        }
    }

    @Override
    public void sync() throws IOException {
        syncsEntered.incrementAndGet();
        lastSyncThread = Thread.currentThread().getName();
        synchronized (stored) {
            storedAtSync = stored.size();
        }
        Semaphore g = syncGate;
        if (g != null) {
            g.acquireUninterruptibly();
        }
        Exception f = syncFailure;
        if (f instanceof IOException io) {
            throw io;
        }
        syncs.incrementAndGet();
    }

    @Override
    public boolean accepting() {
        return accepting;
    }

    /** Makes {@link #sync()} fail until {@link #heal()}. */
    void failSyncWith(IOException e) {
        syncFailure = e;
    }

    /** Makes the sink say it would discard events ({@link #accepting()} false). */
    void discardEverything() {
        accepting = false;
    }

    /** Makes syncs wait until {@link #releaseSyncs()}. */
    void holdSyncs() {
        syncGate = new Semaphore(0);
    }

    void releaseSyncs() {
        Semaphore g = syncGate;
        syncGate = null;
        if (g != null) {
            g.release(Integer.MAX_VALUE / 2);
        }
    }

    /** Syncs begun so far, successful or not, held or not. */
    int syncsEntered() {
        return syncsEntered.get();
    }

    /** The name of the thread that ran the last sync. */
    String lastSyncThread() {
        return lastSyncThread;
    }

    /** How many events had been stored when the last sync began. */
    int storedAtLastSync() {
        return storedAtSync;
    }

    /** Successful syncs so far. */
    int syncs() {
        return syncs.get();
    }

    void failWith(Exception e) {
        failure = e;
    }

    void heal() {
        failure = null;
        syncFailure = null;
    }

    /** Makes writes wait until {@link #open()} (or {@link #release}). */
    void hold() {
        gate = new Semaphore(0);
    }

    void open() {
        Semaphore g = gate;
        gate = null;
        if (g != null) {
            g.release(Integer.MAX_VALUE / 2);
        }
    }

    boolean awaitFirstWrite() throws InterruptedException {
        return firstWriteEntered.await(10, TimeUnit.SECONDS);
    }

    int attempts() {
        return attempts.get();
    }

    List<AuditEvent> stored() {
        synchronized (stored) {
            return List.copyOf(stored);
        }
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
