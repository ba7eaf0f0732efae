package io.governed.jdbc.audit.jsonl;

import java.util.Locale;

/**
 * When a jsonl sink forces written lines to the storage device. Every policy hands each batch to
 * the operating system before the write returns, so a crash of the process loses nothing that was
 * written; the policies differ in what survives a crash of the machine or a power cut.
 */
public enum FsyncPolicy {
    /** fsync after every event: slowest, loses at most the event being written. */
    ALWAYS,
    /** fsync once per batch the dispatcher hands over (the default). */
    BATCH,
    /** Never fsync; the operating system writes back when it likes. */
    NEVER;

    /**
     * Parses {@code always}, {@code batch} or {@code never} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static FsyncPolicy parse(String text) {
        for (FsyncPolicy p : values()) {
            if (p.name().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("fsync '" + text + "' is not a policy: use always, batch or never");
    }

    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
