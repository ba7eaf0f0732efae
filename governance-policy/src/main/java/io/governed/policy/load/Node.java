package io.governed.policy.load;

import java.util.List;
import java.util.Map;

/**
 * A value read from a policy source, with where it stands: the positioned tree the validation
 * works on, so that every problem can name its line and column.
 */
sealed interface Node permits Node.Mapping, Node.Sequence, Node.Scalar {

    Position position();

    /** What sort of value this is, for "expected …, found …" messages. */
    String describe();

    /** A key in a mapping, with where the key stands. */
    record Key(String name, Position position) {
    }

    /** A mapping, its keys in the order written. */
    record Mapping(Position position, Map<String, Key> keys, Map<String, Node> values) implements Node {
        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** A list. */
    record Sequence(Position position, List<Node> items) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A single value; for {@link ScalarType#NULL}, {@code text} is the null as written ({@code null}, {@code ~}) or empty. */
    record Scalar(Position position, ScalarType type, String text) implements Node {
        @Override
        public String describe() {
            return switch (type) {
                case STRING -> "the text '" + text + "'";
                case NUMBER -> "the number " + text;
                case BOOLEAN -> "the boolean " + text;
                case NULL -> text == null || text.isEmpty() ? "an empty value" : "null";
            };
        }
    }

    /** True for a null written out ({@code null}, {@code ~}) rather than left empty. */
    static boolean isWrittenNull(Node node) {
        return node instanceof Scalar s && s.type() == ScalarType.NULL && s.text() != null && !s.text().isEmpty();
    }

    /** The type of a scalar as the parser saw it. */
    enum ScalarType {
        STRING, NUMBER, BOOLEAN, NULL
    }
}
