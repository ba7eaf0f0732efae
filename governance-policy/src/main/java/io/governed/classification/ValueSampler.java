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
 * dates and times are not counted. A column the driver reads itself ({@link #readOut}) and finds holding only values
 * of types that hold no text (dates, times, booleans, UUIDs, floating-point numbers; fractions once a whole sample of
 * them is read, as a decimal column may hold whole numbers too) settles with no tag from its values: its type holds
 * none a detector could recognise. Bytes that are not UTF-8 text do not settle it: they may be text in another encoding.
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
    /** What the last read of the column's values by the driver itself found ({@link #readOut}), and when. */
    private volatile Read lastRead;
    private volatile long lastReadAt;
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

    /** What values of the column read by the driver itself ({@link #readOut}) say of it. */
    public enum Read {
        /** The column is settled (by these values or before). */
        SETTLED,
        /** Fewer values than a sample, the whole column: none recognised. Values computed from it may be handed out now. */
        FEW_NONE_RECOGNISED,
        /** Fewer values than a sample, the whole column: some recognised, too few to settle it. */
        FEW_RECOGNISED,
        /** As many values as were asked for, too many of them blank or of types not sampled to settle it. */
        NOT_SETTLED,
        /** The values could not be read. */
        UNREADABLE,
        /**
         * The table has no column of that name ({@link #notAColumn}): a name a query's analysis could not place, counted
         * as a column of each table it could be of, and it is not this one's. It holds nothing.
         */
        NOT_A_COLUMN
    }

    /**
     * Shows the sampler values of the column the driver read itself, in the table's own order and under no condition
     * of a caller's (so no query chose them), {@code null} when they could not be read, and tells what they say of it.
     *
     * @param values the values read, at most {@code asked}; fewer when the column holds no more
     * @param asked  how many values were asked for
     * @param nanos  when, as {@link System#nanoTime()} tells it, for {@link #readSince}
     */
    public Read readOut(List<?> values, int asked, long nanos) {
        Read outcome;
        if (values == null) {
            outcome = settled ? Read.SETTLED : Read.UNREADABLE;
        } else {
            for (Object value : values) {
                observe(value);
            }
            if (!settled && !values.isEmpty() && allHoldNoText(values) && (values.size() >= asked || typeAlone(values))) {
                settleAsTyped();
            }
            outcome = settled ? Read.SETTLED : values.size() >= asked ? Read.NOT_SETTLED
                    : recognisesAny(values) ? Read.FEW_RECOGNISED : Read.FEW_NONE_RECOGNISED;
        }
        lastReadAt = nanos;
        lastRead = outcome;
        return outcome;
    }

    /** Tells the sampler that its table has no such column, as the database's catalog lists the table's columns. */
    public void notAColumn(long nanos) {
        lastReadAt = nanos;
        lastRead = Read.NOT_A_COLUMN;
    }

    /** What the driver's last read of the column found, when it was made at or after {@code sinceNanos}; else {@code null}. */
    public Read readSince(long sinceNanos) {
        Read read = lastRead;
        return read != null && lastReadAt - sinceNanos >= 0 ? read : null;
    }

    /**
     * Whether every value read is of a type that holds no text ({@link DetectableText#holdsNoText}): dates, booleans,
     * fractions. Such values are not sampled, so a column of them would never settle, and every value computed from it
     * ({@code created + 1}, {@code NOT paid}) would stay unproven for good.
     */
    private static boolean allHoldNoText(List<?> values) {
        for (Object value : values) {
            if (!DetectableText.holdsNoText(value)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether values that hold no text say so of their column by their type alone, however few: a date, a boolean, a
     * UUID, a floating-point number; not a fraction (a decimal column may hold whole numbers too).
     */
    private static boolean typeAlone(List<?> values) {
        for (Object value : values) {
            if (value instanceof java.math.BigDecimal) {
                return false;
            }
        }
        return true;
    }

    /** Settles a column whose values hold no text: with the tags it has, none from its values. */
    private synchronized void settleAsTyped() {
        if (!settled) {
            settle();
        }
    }

    /**
     * Whether a detector has recognised a value of the column, whole or inside other text, while it is not settled: a
     * column that shows such values before it settles may be one to mask.
     */
    public synchronized boolean recognisedSome() {
        for (int hit : hits) {
            if (hit > 0) {
                return true;
            }
        }
        return false;
    }

    /** What the driver's last read of the column found ({@link #readOut}, {@link #notAColumn}), however long ago; {@code null} before any. */
    public Read lastRead() {
        return lastRead;
    }

    private boolean recognisesAny(List<?> values) {
        for (Object value : values) {
            String text = DetectableText.of(value);
            if (text == null) {
                continue;
            }
            for (Detector detector : valueDetectors) {
                if (DetectableText.recognise(detector, text) != DetectableText.Recognised.NONE) {
                    return true;
                }
            }
        }
        return false;
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
