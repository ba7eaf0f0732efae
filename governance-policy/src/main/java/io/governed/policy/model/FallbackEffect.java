package io.governed.policy.model;

import java.util.Locale;

/**
 * What happens when no rule decides: the policy's {@code default} (no permit matched) and its
 * {@code on-unparseable} (the statement could not be analysed).
 */
public enum FallbackEffect {
    ALLOW, DENY;

    /** The lower-case name used in policy files. */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
