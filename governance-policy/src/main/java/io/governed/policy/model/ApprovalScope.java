package io.governed.policy.model;

import java.util.Locale;

/** What one approval allows: one execution of exactly the approved statement, or of any statement with its fingerprint. */
public enum ApprovalScope {
    /** The same statement text with the same bound parameter values (the default). */
    EXACT,
    /** Any statement with the same literal-free fingerprint: other literals and parameter values too. */
    FINGERPRINT;

    /** The name written in policy files and the store: {@code exact}, {@code fingerprint}. */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope named {@code text}, in any case. */
    public static ApprovalScope parse(String text) {
        for (ApprovalScope scope : values()) {
            if (scope.externalName().equalsIgnoreCase(text.trim())) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown approval scope '" + text + "': use exact or fingerprint");
    }
}
