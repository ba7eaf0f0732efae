package io.governed.policy.load;

import io.governed.settings.DidYouMean;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The keys of one mapping in a policy source, checked against the keys it may have, with typed
 * accessors that report wrong types as problems and return {@code null} (so validation can go on
 * and report everything).
 */
final class Fields {

    private final Node.Mapping mapping;
    private final String context;
    private final Problems problems;

    private Fields(Node.Mapping mapping, String context, Problems problems) {
        this.mapping = mapping;
        this.context = context;
        this.problems = problems;
    }

    /**
     * The fields of {@code node}, reporting every key not in {@code allowed}; {@code null} (and a
     * problem) when the node is not a mapping.
     *
     * @param context what the mapping is, for messages: "rule 'x'", "the policy"
     */
    static Fields of(Node node, String context, Collection<String> allowed, Problems problems) {
        if (!(node instanceof Node.Mapping mapping)) {
            problems.add(node.position(), context + " must be a mapping of keys to values, but is " + node.describe());
            return null;
        }
        for (Node.Key key : mapping.keys().values()) {
            if (!allowed.contains(key.name())) {
                problems.add(key.position(), "unknown key '" + key.name() + "' in " + context
                        + DidYouMean.hint(key.name(), allowed));
            }
        }
        return new Fields(mapping, context, problems);
    }

    Position position() {
        return mapping.position();
    }

    String context() {
        return context;
    }

    boolean has(String key) {
        Node value = mapping.values().get(key);
        return value != null;
    }

    /** The value of {@code key}, or {@code null} when absent. */
    Node get(String key) {
        return mapping.values().get(key);
    }

    /** Where {@code key} is written; the mapping's position when absent. */
    Position keyPosition(String key) {
        Node.Key k = mapping.keys().get(key);
        return k == null ? mapping.position() : k.position();
    }

    /** The value of a key that must be present; reports its absence ({@code hint} says what to write). */
    Node required(String key, String hint) {
        Node value = get(key);
        if (value == null) {
            problems.add(mapping.position(), context + " lacks the required key '" + key + "': " + hint);
        }
        return value;
    }

    /** A key's value as text, or {@code null} when absent or not text. */
    String text(String key) {
        Node value = get(key);
        return value == null ? null : text(value, "'" + key + "' in " + context, problems);
    }

    /** A key's value as text that must be present. */
    String requiredText(String key, String hint) {
        Node value = required(key, hint);
        return value == null ? null : text(value, "'" + key + "' in " + context, problems);
    }

    /** Where the value of {@code key} is written; where the key is when it has no value, the mapping's position when absent. */
    Position valuePosition(String key) {
        Node value = get(key);
        return value == null ? keyPosition(key) : value.position();
    }

    /**
     * A key's value as a list of texts that, when given, must name something: an empty list would
     * silently mean "anyone" or "nothing". Empty when absent.
     */
    List<Located<String>> nonEmptyTexts(String key) {
        List<Located<String>> texts = texts(key);
        if (texts.isEmpty() && get(key) instanceof Node.Sequence) {
            problems.add(keyPosition(key), "'" + key + "' in " + context + " is an empty list: name at least one, or remove the key");
        }
        return texts;
    }

    /** A key's value as a list of texts (a single text counts as a one-item list); empty when absent. */
    List<Located<String>> texts(String key) {
        Node value = get(key);
        return value == null ? List.of() : texts(value, "'" + key + "' in " + context, problems);
    }

    /** A scalar as text: a string, number or boolean; {@code null} and a problem for anything else. */
    static String text(Node node, String what, Problems problems) {
        if (node instanceof Node.Scalar scalar && scalar.type() != Node.ScalarType.NULL) {
            return scalar.text();
        }
        problems.add(node.position(), what + " must be a single value, but is " + node.describe());
        return null;
    }

    /** A list of texts, or a single text as a one-item list; non-text items are reported and skipped. */
    static List<Located<String>> texts(Node node, String what, Problems problems) {
        List<Node> items;
        if (node instanceof Node.Sequence sequence) {
            items = sequence.items();
        } else if (node instanceof Node.Scalar scalar && scalar.type() != Node.ScalarType.NULL) {
            items = List.of(node);
        } else {
            problems.add(node.position(), what + " must be a list of values, like [a, b], but is " + node.describe());
            return List.of();
        }
        List<Located<String>> texts = new ArrayList<>(items.size());
        for (Node item : items) {
            String text = text(item, "an item of " + what, problems);
            if (text != null) {
                texts.add(new Located<>(text, item.position()));
            }
        }
        return texts;
    }
}
