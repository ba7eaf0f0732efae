package io.governed.jdbc.audit.jsonl;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.PreparingAuditSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Appends events as JSON Lines, linked by a SHA-256 hash chain ({@link HashChain}), with rotation by
 * size and age ({@link JsonlOptions}, file naming in {@link LogFiles}).
 *
 * <p><b>The chain continues across rotations and restarts.</b> On opening, the sink reads the last
 * complete line of the newest file and continues from its {@code hash}; a new log starts from
 * {@link HashChain#GENESIS}.
 *
 * <p><b>Torn lines.</b> A crash can leave the newest file ending in part of a line (bytes after the
 * last newline). On opening, the sink cuts those bytes off (no complete event is lost: an event is
 * only complete with its newline) and then writes a {@value AuditEvent#CHAIN_RECOVERED} event, chained
 * like any other, whose {@code reason} says how many bytes of which file were discarded. The chain
 * stays verifiable and the repair stays visible. A last line that is complete but not an intact
 * chained event is not repaired: that is tampering or corruption, and opening fails so that a
 * person looks at it.
 *
 * <p><b>One writer per log.</b> The sink holds an exclusive lock on {@code PATH.lock} while open;
 * a second sink on the same path, in this process or another, fails to open.
 *
 * <p><b>Encoding on the submitting threads.</b> When the writer falls behind (a quarter of its queue waits while it
 * writes), the threads that submit events encode and hash each up to its {@code prev_hash} ({@link #prepare},
 * {@link HashChain#prepare}); the writer thread then only appends the previous hash, finishes the digest and writes.
 * The lines are the same bytes as when the writer encodes everything itself.
 *
 * <p><b>Failures.</b> When a write fails, the sink drops its file handle and, at the next write,
 * reopens with the same recovery as at start; events of the failed batch that did reach the file
 * are recognised by their {@code event_id} and not written twice.
 */
public final class JsonlSink implements PreparingAuditSink {

    private static final Logger LOG = LoggerFactory.getLogger(JsonlSink.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonlOptions options;
    private final Path path;
    private final Clock clock;
    private final FileChannel lockChannel;
    /**
     * About how many bytes of lines are written at a time: a batch's lines are written as they are encoded, in pieces
     * of this size and one line more, not in one write of the whole batch. A batch of the writer's (256 events by
     * default, {@code governed.audit.batch-size}) is 150 to 350 KB of lines; written whole, it was copied from the heap
     * into a direct buffer of its size, which the JDK keeps for the writer's thread (as large as the largest batch it
     * wrote), and then by the kernel into the file, both times from memory the encoding had moved past. In pieces the
     * direct buffer stays this size and both copies read what was just encoded: at 400 mixed transactions a second the
     * writer's thread took about a quarter less CPU. Pieces of 64 KB did as well there but cost the sink alone about
     * 8% of its events a second flat out (twice the {@code write} calls); pieces of this size did not.
     */
    static final int WRITE_PIECE = 128 * 1024;

    private final ByteSink pending = new ByteSink(WRITE_PIECE + 4 * 1024);

    private FileChannel channel;
    private HashChain chain;
    private long size;
    private Instant segmentStart;
    /** After reopening from a failure: the last event found in the file, to skip in the retried batch. */
    private String persistedEventId;
    private boolean closed;
    /** What {@link #touch} read of the last batch: kept only so that its reads are not optimized away. */
    @SuppressWarnings("unused")
    private long touched;
    /** Lines were written since the last force. */
    private boolean unforced;

    private JsonlSink(JsonlOptions options, Clock clock, FileChannel lockChannel) {
        this.options = options;
        this.path = options.path();
        this.clock = clock;
        this.lockChannel = lockChannel;
    }

    /** Opens the log, recovering its chain; see the class description. */
    public static JsonlSink open(JsonlOptions options) throws IOException {
        return open(options, Clock.systemUTC());
    }

    /** As {@link #open(JsonlOptions)}, with the clock that time rotation and recovery markers use. */
    public static JsonlSink open(JsonlOptions options, Clock clock) throws IOException {
        Path path = options.path();
        FileChannel lockChannel;
        try {
            Path dir = path.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            lockChannel = FileChannel.open(lockFile(path), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("cannot open audit log " + path + " (" + e + "): make sure its directory exists"
                    + " and this process may write to it, or point governed.audit at another file", e);
        }
        JsonlSink sink = new JsonlSink(options, clock, lockChannel);
        try {
            sink.lock();
            sink.reopen(false);
            return sink;
        } catch (IOException | RuntimeException e) {
            try {
                lockChannel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static Path lockFile(Path path) {
        return path.resolveSibling(path.getFileName() + LogFiles.LOCK_SUFFIX);
    }

    private void lock() throws IOException {
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            throw new IOException("audit log " + path + " is already open in this process: share one audit"
                    + " dispatcher between connections, or give each its own jsonl path", e);
        }
        if (lock == null) {
            throw new IOException("audit log " + path + " is being written by another process (it holds "
                    + lockFile(path) + "): give each process its own jsonl path");
        }
    }

    @Override
    public String describe() {
        return "jsonl:" + path;
    }

    /** The options the sink was opened with. */
    public JsonlOptions options() {
        return options;
    }

    /** The hash of the last line written (or recovered). */
    public synchronized String lastHash() {
        return chain.lastHash();
    }

    /** Encodes the event up to its place in the chain, on the calling thread; see {@link HashChain#prepare}. */
    @Override
    public PreparedLine prepare(AuditEvent event) {
        return HashChain.prepare(event, options.format());
    }

    @Override
    public void writeItems(List<?> items) throws IOException {
        writeAll(items);
    }

    @Override
    public void write(List<AuditEvent> events) throws IOException {
        writeAll(events);
    }

    /** Writes events and prepared lines, in order. */
    private synchronized void writeAll(List<?> events) throws IOException {
        if (closed) {
            throw new IOException("audit log " + path + " is closed");
        }
        if (channel == null) {
            reopen(true);
        }
        int from = firstNotPersisted(events);
        try {
            if (options.rotateAfter() != null && size > 0
                    && !clock.instant().isBefore(segmentStart.plus(options.rotateAfter()))) {
                rotate();
            }
            pending.reset();
            touched = touch(events, from);
            for (int i = from; i < events.size(); i++) {
                int lineStart = pending.size();
                Object item = events.get(i);
                if (item instanceof PreparedLine line) {
                    chain.link(line, pending);
                } else {
                    chain.link((AuditEvent) item, pending);
                }
                long filledBefore = size + lineStart;
                if (options.maxSize() > 0 && filledBefore > 0 && size + pending.size() > options.maxSize()) {
                    writePending(lineStart);
                    rotate();
                }
                if (options.fsync() == FsyncPolicy.ALWAYS) {
                    writePending();
                    channel.force(false);
                } else if (pending.size() >= WRITE_PIECE) {
                    writePending();
                }
            }
            writePending();
        } catch (IOException | RuntimeException e) {
            abandonChannel(e);
            throw e;
        } finally {
            chain.returnDigests(); // the prepared lines' digests, for the next lines prepared
        }
    }

    /**
     * Under {@code fsync=window}, forces what was written since the last sync to the device: one
     * force per flush window. A channel dropped by a failure is reopened (with the same recovery as
     * at start) and forced, so the lines that reached the file before the failure are forced too.
     *
     * <p>The force runs outside the sink's lock, so the writer can append the next window's lines meanwhile
     * ({@link #syncsConcurrently()}): a force covers at least every line written before it began. When the
     * channel was replaced while forcing (rotated: rotation forces the file it leaves; or reopened after a failed
     * write), the force is repeated on the channel in use.
     */
    @Override
    public void sync() throws IOException {
        while (true) {
            FileChannel forcing;
            synchronized (this) {
                if (options.fsync() != FsyncPolicy.WINDOW || closed) {
                    return;
                }
                if (channel == null) {
                    reopen(true);
                    unforced = true;
                }
                if (!unforced) {
                    return;
                }
                forcing = channel;
                unforced = false;
            }
            try {
                forcing.force(false);
                return;
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    unforced = true;
                    if (closed) {
                        return; // closing forced the file
                    }
                    if (channel == forcing) {
                        abandonChannel(e);
                        throw e;
                    }
                }
                // the channel was replaced while forcing: force the one in use
            }
        }
    }

    /** Under {@code fsync=window}: the writer goes on appending while the last window's lines are forced. */
    @Override
    public boolean syncsConcurrently() {
        return options.fsync() == FsyncPolicy.WINDOW;
    }

    /**
     * Reads the first fields of every event of the batch before any is encoded. The events were made by other threads
     * and have usually left the caches by the time the writer takes them; read one at a time as each line is
     * encoded, every event costs the writer a wait for memory. These reads do not depend on each other, so the
     * processor fetches many at once. Returns a sum of what it read ({@link #touched}), so that the reads stay.
     */
    private static long touch(List<?> events, int from) {
        long sum = 0;
        for (int i = from; i < events.size(); i++) {
            Object item = events.get(i);
            AuditEvent event = eventOf(item);
            sum += event.time().getNano() + event.eventId().length();
        }
        return sum;
    }

    /** The event of {@code item}: an event, or the event a prepared line was made from. */
    private static AuditEvent eventOf(Object item) {
        return item instanceof PreparedLine line ? line.event() : (AuditEvent) item;
    }

    private int firstNotPersisted(List<?> events) {
        String persisted = persistedEventId;
        persistedEventId = null;
        if (persisted != null) {
            for (int i = 0; i < events.size(); i++) {
                Object item = events.get(i);
                AuditEvent event = eventOf(item);
                if (event.eventId().equals(persisted)) {
                    return i + 1;
                }
            }
        }
        return 0;
    }

    private void writePending() throws IOException {
        writePending(pending.size());
    }

    /** Writes the first {@code length} pending bytes to the active file and keeps the rest pending. */
    private void writePending(int length) throws IOException {
        if (length == 0) {
            return;
        }
        if (size == 0) {
            segmentStart = clock.instant();
        }
        ByteBuffer buf = pending.view(0, length);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        unforced = true;
        size += length;
        pending.keepFrom(length);
    }

    private void rotate() throws IOException {
        Path target = LogFiles.nextRotatedName(path);
        channel.force(true);
        channel.close();
        channel = null;
        Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
        channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = 0;
        LOG.debug("Audit log {} rotated to {}", path, target);
    }

    private void abandonChannel(Exception cause) {
        pending.reset();
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
            channel = null;
        }
    }

    /**
     * Finds where the chain stands on disk, repairs a torn last line, and opens the active file.
     *
     * @param afterFailure the last event on disk may belong to a batch that is about to be retried
     */
    private void reopen(boolean afterFailure) throws IOException {
        String lastHash = HashChain.GENESIS;
        String lastEventId = null;
        long tornBytes = 0;
        StringBuilder repaired = new StringBuilder();
        List<Path> files = LogFiles.inChainOrder(path);
        for (int i = files.size() - 1; i >= 0; i--) {
            Path file = files.get(i);
            LogTail tail = LogTail.read(file);
            if (tail.tornBytes() > 0) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(tail.completeBytes());
                    ch.force(true);
                }
                tornBytes += tail.tornBytes();
                repaired.append(repaired.length() == 0 ? "" : ", ").append(tail.tornBytes()).append(" bytes at the end of ").append(file.getFileName());
            }
            if (tail.lastLine() != null) {
                byte[] line = tail.lastLine();
                ChainedLine chained = ChainedLine.parse(line, line.length, HashChain.newDigest());
                if (chained == null || !chained.intact()) {
                    throw new IOException("the last line of audit log " + file + " is not an intact audit event, so its"
                            + " chain cannot be continued: check the log with 'governed-jdbc audit verify " + path
                            + "' and move its files aside to start a new chain");
                }
                lastHash = chained.statedHash();
                lastEventId = options.format().eventId(MAPPER.readTree(line));
                break;
            }
        }
        chain = new HashChain(lastHash, options.format());
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = channel.size();
        segmentStart = size > 0 ? firstEventTime() : clock.instant();
        persistedEventId = afterFailure ? lastEventId : null;
        if (tornBytes > 0) {
            String reason = "discarded an incomplete last line (" + repaired + ") left by an interrupted write";
            LOG.warn("Audit log {}: {}; the chain continues after a {} event", path, reason, AuditEvent.CHAIN_RECOVERED);
            pending.reset();
            chain.link(AuditEvent.chainRecovered(clock.instant(), reason), pending);
            writePending();
            channel.force(true);
        }
    }

    private Instant firstEventTime() {
        try {
            byte[] first = LogTail.firstLine(path);
            if (first != null) {
                return options.format().time(MAPPER.readTree(first));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Audit log {}: could not read the time of its first event ({}); its age counts from now", path, e.toString());
        }
        return clock.instant();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        if (channel != null) {
            try (FileChannel ch = channel) {
                ch.force(true);
            } catch (IOException e) {
                failure = e;
            }
            channel = null;
        }
        try {
            lockChannel.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw new IOException("could not close audit log " + path + " cleanly: " + failure.getMessage(), failure);
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
