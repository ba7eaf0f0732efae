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
    /**
     * fsync once per flush window (the default): the events the dispatcher gathered in one window
     * ({@code governed.audit.flush-interval}, 100ms by default) are written and then forced together,
     * so a crash of the machine loses at most the window being written. {@code batch}, its former
     * name, is still accepted.
     */
    WINDOW,
    /** Never fsync; the operating system writes back when it likes. */
    NEVER;

    /**
     * Parses {@code always}, {@code window} or {@code never} (any case); {@code batch} means {@code window}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static FsyncPolicy parse(String text) {
        if ("batch".equalsIgnoreCase(text.trim())) {
            return WINDOW;
        }
        for (FsyncPolicy p : values()) {
            if (p.name().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("fsync '" + text + "' is not a policy: use always, window or never");
    }

    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
