package io.governed.policy.load;

import io.governed.classification.Tags;
import io.governed.masking.MaskerRegistry;
import io.governed.policy.model.FallbackEffect;

import java.util.List;
import java.util.Map;

/** Validates the tree of one policy source into a {@link PolicyFragment}, reporting every problem found. */
final class PolicyFileReader {

    static final List<String> KEYS =
            List.of("version", "default", "on-unparseable", "classification", "rules", "masks", "row-filters", "approvals",
                    "limits", "routines", "enforcement");
    private static final List<String> CLASSIFICATION_KEYS = List.of("auto-detect", "tags");
    private static final Map<String, FallbackEffect> FALLBACKS = Map.of("allow", FallbackEffect.ALLOW, "deny", FallbackEffect.DENY);
    private static final String SUPPORTED_VERSION = "1";
    private static final Map<String, Boolean> ENFORCEMENT = Map.of("enforce", Boolean.FALSE, "observe", Boolean.TRUE);

    private final Problems problems;
    private final MaskerRegistry maskers;
    private final PolicyFragment fragment = new PolicyFragment();

    private PolicyFileReader(Problems problems, MaskerRegistry maskers) {
        this.problems = problems;
        this.maskers = maskers;
    }

    /** The fragment of one source's tree. */
    static PolicyFragment read(Node root, Problems problems, MaskerRegistry maskers) {
        PolicyFileReader reader = new PolicyFileReader(problems, maskers);
        reader.readRoot(root);
        return reader.fragment;
    }

    private void readRoot(Node root) {
        Fields fields = Fields.of(root, "the policy", KEYS, problems);
        if (fields == null) {
            return;
        }
        version(fields);
        fragment.defaultEffect = fallback(fields, "default");
        fragment.onUnparseable = fallback(fields, "on-unparseable");
        fragment.observeOnly = observes(fields.get("enforcement"), "the policy");
        if (fields.has("classification")) {
            classification(fields.get("classification"));
        }
        eachEntry(fields, "rules", "rule", (node, context) -> add(fragment.rules, RuleReader.read(node, context, problems),
                node, context));
        eachEntry(fields, "masks", "mask", (node, context) ->
                add(fragment.masks, MaskReader.read(node, context, maskers, fragment.tagReferences, problems), node, context));
        eachEntry(fields, "row-filters", "row filter", (node, context) ->
                add(fragment.rowFilters, RowFilterReader.read(node, context, problems), node, context));
        eachEntry(fields, "approvals", "approval", (node, context) ->
                add(fragment.approvals, ApprovalReader.read(node, context, problems)));
        eachEntry(fields, "limits", "limit", (node, context) -> add(fragment.limits, LimitReader.read(node, context, problems)));
        eachEntry(fields, "routines", "routine declaration", (node, context) ->
                add(fragment.routines, RoutineFootprintReader.read(node, context, problems)));
    }

    private void version(Fields fields) {
        Node node = fields.required("version", "add 'version: " + SUPPORTED_VERSION + "' at the top");
        if (node == null) {
            return;
        }
        String text = Fields.text(node, "'version'", problems);
        if (text != null && !text.equals(SUPPORTED_VERSION)) {
            problems.add(node.position(), "unsupported policy version '" + text + "': this library reads version "
                    + SUPPORTED_VERSION + "; write 'version: " + SUPPORTED_VERSION + "'");
        }
    }

    private Located<FallbackEffect> fallback(Fields fields, String key) {
        String text = fields.text(key);
        if (text == null) {
            return null;
        }
        Position at = fields.valuePosition(key);
        FallbackEffect effect = Terms.choice(new Located<>(text, at), FALLBACKS, "value", "'" + key + "'", problems);
        return effect == null ? null : new Located<>(effect, at);
    }

    private void classification(Node node) {
        Fields fields = Fields.of(node, "'classification'", CLASSIFICATION_KEYS, problems);
        if (fields == null) {
            return;
        }
        Node autoDetect = fields.get("auto-detect");
        if (autoDetect instanceof Node.Scalar s && s.type() == Node.ScalarType.BOOLEAN) {
            fragment.autoDetect = new Located<>(Boolean.valueOf(s.text()), s.position());
        } else if (autoDetect != null) {
            problems.add(autoDetect.position(), "'auto-detect' must be true or false, but is " + autoDetect.describe());
        }
        Node tags = fields.get("tags");
        if (tags == null) {
            return;
        }
        if (!(tags instanceof Node.Mapping mapping)) {
            problems.add(tags.position(), "'tags' must map each tag to column patterns, like 'pii.email: [\"*.email\"]', but is "
                    + tags.describe());
            return;
        }
        mapping.values().forEach((tag, patterns) -> {
            try {
                Tags.requireValid(tag);
            } catch (IllegalArgumentException e) {
                problems.add(mapping.keys().get(tag).position(), e.getMessage());
            }
            List<Located<String>> texts = Fields.texts(patterns, "the patterns of tag '" + tag + "'", problems);
            if (texts.isEmpty() && patterns instanceof Node.Sequence) {
                problems.add(patterns.position(), "tag '" + tag + "' has no column pattern: give at least one, or remove the tag");
            }
            fragment.tags.put(tag, Terms.columnPatterns(texts, problems));
        });
    }

    /** Reads every entry of a section, naming each by its id (or its position in the list) in messages. */
    private void eachEntry(Fields fields, String key, String noun, EntryReader reader) {
        Node section = fields.get(key);
        if (section == null) {
            return;
        }
        if (!(section instanceof Node.Sequence sequence)) {
            if (!(section instanceof Node.Scalar s && s.type() == Node.ScalarType.NULL)) {
                problems.add(section.position(), "'" + key + "' must be a list of " + noun + "s (each item starting with '- '), but is "
                        + section.describe());
            }
            return;
        }
        int index = 0;
        for (Node item : sequence.items()) {
            index++;
            String id = idOf(item);
            reader.read(item, id == null ? noun + " #" + index + " of '" + key + "'" : noun + " '" + id + "'");
        }
    }

    private String idOf(Node item) {
        if (item instanceof Node.Mapping mapping && mapping.values().get("id") instanceof Node.Scalar s
                && s.type() != Node.ScalarType.NULL) {
            fragment.ids.add(new Located<>(s.text(), s.position()));
            return s.text();
        }
        return null;
    }

    /** Adds a rule, mask or row filter, noting it as observed when it or its whole source is in observe mode. */
    private <T> void add(List<T> list, T value, Node node, String context) {
        add(list, value);
        if (value != null && node instanceof Node.Mapping mapping && mapping.values().get("id") instanceof Node.Scalar id
                && (observes(mapping.values().get("enforcement"), context) || fragment.observeOnly)) {
            fragment.observed.add(id.text());
        }
    }

    /** Whether {@code enforcement} (a key's value, or {@code null}) says observe; a problem when it says neither that nor enforce. */
    private boolean observes(Node enforcement, String context) {
        if (enforcement == null) {
            return false;
        }
        String text = Fields.text(enforcement, "'enforcement' of " + context, problems);
        Boolean observe = text == null ? null : Terms.choice(new Located<>(text, enforcement.position()), ENFORCEMENT,
                "value", "'enforcement' of " + context + " (enforce or observe)", problems);
        return Boolean.TRUE.equals(observe);
    }

    private static <T> void add(List<T> list, T value) {
        if (value != null) {
            list.add(value);
        }
    }

    @FunctionalInterface
    private interface EntryReader {
        void read(Node item, String context);
    }
}
