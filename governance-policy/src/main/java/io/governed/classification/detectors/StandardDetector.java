package io.governed.classification.detectors;

import io.governed.classification.Detector;
import io.governed.classification.NameRule;
import io.governed.classification.NameWords;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A detector made of a name rule and, optionally, a value check; what every built-in detector is.
 *
 * @see BuiltInDetectors
 */
public final class StandardDetector implements Detector {
    private final String id;
    private final String tag;
    private final NameRule nameRule;
    private final Predicate<String> valueCheck;
    private final String valueDescription;

    /**
     * @param id               a short name for messages and tests ({@code email})
     * @param tag              the tag recognised columns carry
     * @param nameRule         how names are recognised
     * @param valueCheck       how values are recognised, or {@code null} when this detector ignores values
     * @param valueDescription what matching values are, in the plural
     */
    public StandardDetector(String id, String tag, NameRule nameRule, Predicate<String> valueCheck, String valueDescription) {
        this.id = Objects.requireNonNull(id, "id");
        this.tag = Objects.requireNonNull(tag, "tag");
        this.nameRule = Objects.requireNonNull(nameRule, "nameRule");
        this.valueCheck = valueCheck;
        this.valueDescription = valueDescription;
    }

    /** The detector's short name. */
    public String id() {
        return id;
    }

    @Override
    public String tag() {
        return tag;
    }

    @Override
    public Optional<String> matchName(NameWords name) {
        return nameRule.match(name);
    }

    @Override
    public boolean inspectsValues() {
        return valueCheck != null;
    }

    @Override
    public boolean matchesValue(String value) {
        return valueCheck != null && valueCheck.test(value);
    }

    @Override
    public String valueDescription() {
        return valueDescription == null ? Detector.super.valueDescription() : valueDescription;
    }

    @Override
    public String toString() {
        return "Detector[" + id + " -> " + tag + "]";
    }
}
