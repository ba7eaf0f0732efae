package io.governed.classification;

import java.util.Optional;

/**
 * Recognises one kind of sensitive data, by a column's name, by the values flowing through it, or
 * both, and names the tag such columns carry.
 *
 * <p>Detectors beyond the built-in ones are found with {@link java.util.ServiceLoader}: list the
 * implementing class (public, with a public no-argument constructor) in
 * {@code META-INF/services/io.governed.classification.Detector} of a policy jar. Implementations
 * must be thread-safe and must never log or keep the values they are shown.
 */
public interface Detector {

    /** The tag a recognised column carries (see {@link Tags}). */
    String tag();

    /**
     * The phrase that makes this name one of this detector's columns (for the explanation
     * "column name 'customer_email' contains 'email'"), or empty.
     */
    default Optional<String> matchName(NameWords name) {
        return Optional.empty();
    }

    /** Whether this detector looks at values at all. */
    default boolean inspectsValues() {
        return false;
    }

    /** Whether one value is of this detector's kind; only called when {@link #inspectsValues()}. */
    default boolean matchesValue(String value) {
        return false;
    }

    /**
     * What matching values are, in the plural, for the explanation
     * "7 of 8 sampled values are <em>valid card numbers (Luhn)</em>".
     */
    default String valueDescription() {
        return "values tagged " + tag();
    }
}
