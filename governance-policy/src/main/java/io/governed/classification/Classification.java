package io.governed.classification;

import java.util.Objects;

/**
 * One tag on a column, with the reason it is there, so that a person can see why a column is
 * masked ("matched pattern *.email from policy", "column name 'customer_email' contains 'email'",
 * "7 of 8 sampled values are valid card numbers (Luhn)").
 *
 * @param tag    the tag, e.g. {@code pii.email} (see {@link Tags})
 * @param source where the tag came from
 * @param reason a sentence explaining the tag, without any of the column's values
 */
public record Classification(String tag, ClassificationSource source, String reason) {
    public Classification {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
    }
}
