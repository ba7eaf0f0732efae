package io.governed.classification;

import java.util.ArrayList;
import java.util.List;

/**
 * One column's classification, and the sampling of its values that may add tags to it.
 *
 * <p>The first {@code sampleSize} non-empty values shown to {@link #observe} are checked by every
 * value-inspecting detector; then the sampler settles: each detector that recognised at least
 * {@code threshold} of them adds its tag, and later values are ignored at the cost of one volatile
 * read. Every value that may hold text is sampled as its text ({@link DetectableText}), and counts for a detector that
 * recognises it whole or a piece of it (an address inside a JSON document); nulls, blank text, booleans, fractions,
 * dates and times are not counted.
 * Columns with an explicit tag, or classified with detection off, are settled from the start.
 *
 * <p>Thread-safe: rows of the same column may be observed from many threads at once.
 */
public final class ValueSampler {
    private final List<Classification> fixed;
    private final List<? extends Detector> valueDetectors;
    private final int sampleSize;
    private final int required;
    private final int[] hits;
    /** By detector: how many sampled values it recognised as a whole (the others of {@link #hits} inside other text). */
    private final int[] wholeHits;
    private int sampled;
    private volatile boolean settled;
    private volatile List<Classification> classifications;

    ValueSampler(List<Classification> fixed, List<? extends Detector> valueDetectors, int sampleSize, double threshold) {
        this.fixed = List.copyOf(fixed);
        this.valueDetectors = valueDetectors;
        this.sampleSize = sampleSize;
        this.required = (int) Math.ceil(threshold * sampleSize - 1e-9);
        this.hits = new int[valueDetectors.size()];
        this.wholeHits = new int[valueDetectors.size()];
        this.classifications = this.fixed;
        this.settled = valueDetectors.isEmpty();
    }

    /** The column's tags with their reasons, as known now; explicit tags first, then name, then value tags. */
    public List<Classification> classifications() {
        return classifications;
    }

    /** How many non-empty values settle the column. */
    public int sampleSize() {
        return sampleSize;
    }

    /** Whether sampling is over, so that further values are not looked at. */
    public boolean isSettled() {
        return settled;
    }

    /** Shows the sampler one of the column's values. */
    public void observe(Object value) {
        if (settled) {
            return;
        }
        String text = DetectableText.of(value);
        if (text == null) {
            return;
        }
        synchronized (this) {
            if (settled) {
                return;
            }
            for (int i = 0; i < hits.length; i++) {
                DetectableText.Recognised found = DetectableText.recognise(valueDetectors.get(i), text);
                if (found != DetectableText.Recognised.NONE) {
                    hits[i]++;
                }
                if (found == DetectableText.Recognised.WHOLE) {
                    wholeHits[i]++;
                }
            }
            if (++sampled == sampleSize) {
                settle();
            }
        }
    }

    private void settle() {
        List<Classification> result = new ArrayList<>(fixed);
        for (int i = 0; i < hits.length; i++) {
            Detector d = valueDetectors.get(i);
            if (hits[i] >= required && result.stream().noneMatch(c -> c.tag().equals(d.tag()))) {
                result.add(wholeHits[i] >= required
                        ? new Classification(d.tag(), ClassificationSource.VALUE,
                                wholeHits[i] + " of " + sampled + " sampled values are " + d.valueDescription())
                        : new Classification(d.tag(), ClassificationSource.VALUE_INSIDE,
                                hits[i] + " of " + sampled + " sampled values hold " + d.valueDescription()
                                        + " inside other text"));
            }
        }
        classifications = List.copyOf(result);
        settled = true;
    }
}
