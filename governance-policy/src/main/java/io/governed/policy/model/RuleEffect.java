package io.governed.policy.model;

import java.util.Locale;

/** What a rule does when it matches: {@code permit} or {@code forbid}. A matching forbid always wins. */
public enum RuleEffect {
    PERMIT, FORBID;

    /** The lower-case name used in policy files. */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
