/**
 * Data classification: which columns hold sensitive data, and why.
 *
 * <p>Start at {@link io.governed.classification.ColumnClassifier}: it applies the policy's explicit
 * tag patterns ({@link io.governed.policy.pattern.ColumnPattern}), then the
 * {@link io.governed.classification.Detector}s, by column name ({@link io.governed.classification.NameRule})
 * and by sampled values ({@link io.governed.classification.ValueSampler}). Every tag comes as a
 * {@link io.governed.classification.Classification} with its reason. The tag vocabulary is in
 * {@link io.governed.classification.Tags}; the built-in detectors are in the {@code detectors}
 * sub-package.
 */
package io.governed.classification;
