package io.governed.classification;

import io.governed.policy.pattern.ColumnPattern;
import io.governed.sql.Dialect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link ColumnClassifier} tags columns.
 *
 * @param dialect      how the database behind the columns folds and compares names, which patterns follow
 * @param explicitTags patterns by tag, as in the policy's {@code classification.tags}; they always win
 * @param autoDetect   whether columns without an explicit tag are tagged by detectors
 * @param detectors    the detectors, in order of precedence
 * @param sampleSize   how many non-empty values of a column are sampled before value detection decides
 * @param threshold    the fraction of sampled values (0 &lt; threshold ≤ 1) a detector must recognise
 * @param maxColumns   how many columns' classifications are kept; the least recently used are forgotten
 */
public record ClassifierSettings(Dialect dialect, Map<String, List<ColumnPattern>> explicitTags, boolean autoDetect,
                                 List<? extends Detector> detectors, int sampleSize, double threshold, long maxColumns) {
    /** Sample size used unless configured otherwise. */
    public static final int DEFAULT_SAMPLE_SIZE = 20;
    /** Threshold used unless configured otherwise. */
    public static final double DEFAULT_THRESHOLD = 0.8;
    /** Cache bound used unless configured otherwise. */
    public static final long DEFAULT_MAX_COLUMNS = 10_000;

    /**
     * @throws IllegalArgumentException when a tag is malformed ({@link Tags#requireValid}) or a setting is out of range
     */
    public ClassifierSettings {
        Objects.requireNonNull(dialect, "dialect");
        Map<String, List<ColumnPattern>> tags = new LinkedHashMap<>();
        explicitTags.forEach((tag, patterns) -> tags.put(Tags.requireValid(tag), List.copyOf(patterns)));
        explicitTags = Map.copyOf(tags);
        detectors = List.copyOf(detectors);
        if (sampleSize < 1) {
            throw new IllegalArgumentException("Sample size " + sampleSize + " is too small; sample at least 1 value per column");
        }
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("Detection threshold " + threshold
                    + " is outside (0, 1]; give the fraction of sampled values that must match, e.g. 0.8");
        }
        if (maxColumns < 1) {
            throw new IllegalArgumentException("maxColumns " + maxColumns + " is too small; keep at least 1 column");
        }
    }

    /** Explicit tags and detection with the given detectors in a database of that dialect, other settings at their defaults. */
    public static ClassifierSettings of(Dialect dialect, Map<String, List<ColumnPattern>> explicitTags, boolean autoDetect,
                                        List<? extends Detector> detectors) {
        return new ClassifierSettings(dialect, explicitTags, autoDetect, detectors, DEFAULT_SAMPLE_SIZE, DEFAULT_THRESHOLD,
                DEFAULT_MAX_COLUMNS);
    }

    /** These settings with another sample size and threshold. */
    public ClassifierSettings withSampling(int newSampleSize, double newThreshold) {
        return new ClassifierSettings(dialect, explicitTags, autoDetect, detectors, newSampleSize, newThreshold, maxColumns);
    }

    /** These settings with another cache bound. */
    public ClassifierSettings withMaxColumns(long newMaxColumns) {
        return new ClassifierSettings(dialect, explicitTags, autoDetect, detectors, sampleSize, threshold, newMaxColumns);
    }
}
