package io.governed.identity;

import java.util.Locale;

/** What sort of caller an {@link Identity} is. */
public enum IdentityKind {
    /** A person, signed in to the application. */
    HUMAN,
    /** A service account: a batch job, a backend, a scheduled task. */
    SERVICE,
    /** An AI agent; usually acting on behalf of a human, for a stated purpose. */
    AGENT;

    private final String externalName = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used in settings and policy files: {@code human}, {@code service}, {@code agent}. */
    public String externalName() {
        return externalName; // one string: audit writers encode it once
    }

    /**
     * Parses {@code human}, {@code service} or {@code agent} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values when {@code text} is none of them
     */
    public static IdentityKind parse(String text) {
        if (text != null) {
            for (IdentityKind kind : values()) {
                if (kind.name().equalsIgnoreCase(text.trim())) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("unknown identity kind '" + text + "': use human, service or agent");
    }
}
