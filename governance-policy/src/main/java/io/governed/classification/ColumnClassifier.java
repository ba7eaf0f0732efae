package io.governed.classification;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.governed.policy.pattern.ColumnPattern;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which tags a column of a database of one {@link ClassifierSettings#dialect dialect}
 * carries, and why.
 *
 * <ol>
 *   <li>Explicit tag patterns from the policy always win: a column that certainly matches any of
 *       them carries exactly those tags and is never auto-detected (the reserved tag {@link Tags#NONE}
 *       marks a column as not sensitive).</li>
 *   <li>A column whose schema or table is unknown also carries every tag one of whose patterns
 *       {@linkplain ColumnPattern#couldMatch could match} it, so masking errs toward masking; such a
 *       possible match neither exempts it from detection nor applies {@code none}.</li>
 *   <li>With auto-detection on, every other column is tagged by each detector that recognises its
 *       name, and then by each detector that recognises enough of its values (see
 *       {@link ValueSampler}).</li>
 * </ol>
 *
 * <p>Each column's classification is computed once and kept in a bounded cache, so the JDBC layer
 * can call {@link #sampler} for every result set and {@link ValueSampler#observe} for every row.
 * Thread-safe.
 */
public final class ColumnClassifier {
    private final ClassifierSettings settings;
    private final List<ExplicitTag> explicitTags;
    private final List<Detector> valueDetectors;
    private final Cache<QualifiedColumn, ValueSampler> columns;

    public ColumnClassifier(ClassifierSettings settings) {
        this.settings = settings;
        this.explicitTags = parse(settings.explicitTags());
        this.valueDetectors = settings.detectors().stream().filter(Detector::inspectsValues)
                .map(Detector.class::cast).toList();
        this.columns = Caffeine.newBuilder().maximumSize(settings.maxColumns()).executor(Runnable::run).build();
    }

    /** The column's tags with their reasons, as known now. */
    public List<Classification> classify(QualifiedColumn column) {
        return sampler(column).classifications();
    }

    /** The column's tags, as known now. */
    public Set<String> tags(QualifiedColumn column) {
        Set<String> tags = new LinkedHashSet<>();
        for (Classification c : classify(column)) {
            tags.add(c.tag());
        }
        return tags;
    }

    /** The column's sampler: hold on to it while reading a result set and show it every value. */
    public ValueSampler sampler(QualifiedColumn column) {
        return columns.get(column, this::newSampler);
    }

    /** The column's sampler when the classifier keeps one for it now; {@code null} otherwise (none is made). */
    public ValueSampler samplerIfKept(QualifiedColumn column) {
        return columns.getIfPresent(column);
    }

    /** Shows the classifier one value of a column; same as {@code sampler(column).observe(value)}. */
    public void observe(QualifiedColumn column, Object value) {
        sampler(column).observe(value);
    }

    /** How many columns' classifications are kept now; at most the settings' {@code maxColumns}. */
    public long cachedColumns() {
        columns.cleanUp();
        return columns.estimatedSize();
    }

    private ValueSampler newSampler(QualifiedColumn column) {
        List<Classification> explicit = new ArrayList<>();
        boolean explicitlyTagged = false;
        for (ExplicitTag e : explicitTags) {
            String reason;
            if (e.pattern().certainlyMatches(column.schema(), column.table(), column.column(), settings.dialect())) {
                explicitlyTagged = true;
                reason = "matched pattern " + e.pattern() + " from policy";
            } else if (e.pattern().couldMatch(column.schema(), column.table(), column.column(), settings.dialect())) {
                reason = "may match pattern " + e.pattern() + " from policy (its " + (column.table() == null ? "table" : "schema")
                        + " is not known)";
            } else {
                continue;
            }
            if (!e.tag().equals(Tags.NONE) && explicit.stream().noneMatch(c -> c.tag().equals(e.tag()))) {
                explicit.add(new Classification(e.tag(), ClassificationSource.EXPLICIT, reason));
            }
        }
        if (explicitlyTagged || !settings.autoDetect()) {
            return new ValueSampler(explicit, List.of(), settings.sampleSize(), settings.threshold());
        }
        List<Classification> tags = new ArrayList<>(explicit);
        NameWords words = NameWords.of(column.column());
        for (Detector d : settings.detectors()) {
            d.matchName(words).ifPresent(phrase -> {
                if (tags.stream().noneMatch(c -> c.tag().equals(d.tag()))) {
                    tags.add(new Classification(d.tag(), ClassificationSource.NAME,
                            "column name '" + column.column() + "' contains '" + phrase + "'"));
                }
            });
        }
        return new ValueSampler(tags, valueDetectors, settings.sampleSize(), settings.threshold());
    }

    private static List<ExplicitTag> parse(Map<String, List<ColumnPattern>> tags) {
        List<ExplicitTag> result = new ArrayList<>();
        tags.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            for (ColumnPattern pattern : entry.getValue()) {
                result.add(new ExplicitTag(entry.getKey(), pattern));
            }
        });
        return List.copyOf(result);
    }

    private record ExplicitTag(String tag, ColumnPattern pattern) {
    }
}
