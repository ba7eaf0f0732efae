package io.governed.policy.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML or JSON text into a {@link Node} tree that keeps every value's line and column, using
 * Jackson's streaming parser. Syntax errors and repeated keys become problems.
 */
final class NodeReader {

    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = new YAMLFactory();

    private final String source;
    private final Problems problems;

    private NodeReader(String source, Problems problems) {
        this.source = source;
        this.problems = problems;
    }

    /** The tree of a source's text, or {@code null} when it cannot be read (a problem says why). */
    static Node read(PolicySource policySource, Problems problems) {
        return new NodeReader(policySource.name(), problems).read(policySource.text(), policySource.isJson());
    }

    private Node read(String text, boolean json) {
        try (JsonParser parser = (json ? JSON : YAML).createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                problems.add(Position.of(source), "the policy is empty: it needs at least 'version: 1'");
                return null;
            }
            Node root = readValue(parser);
            if (parser.nextToken() != null) {
                problems.add(position(parser.currentTokenLocation()),
                        "unexpected content after the policy: a source holds one policy document; put others in files of their own");
            }
            return root;
        } catch (JsonProcessingException e) {
            problems.add(syntaxErrorPosition(e), "not valid " + (json ? "JSON" : "YAML") + ": " + firstLines(e.getOriginalMessage())
                    + "; fix the syntax at this line");
            return null;
        } catch (IOException e) {
            problems.add(Position.of(source), "could not be read: " + e.getMessage());
            return null;
        }
    }

    private Node readValue(JsonParser parser) throws IOException {
        Position at = position(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> readMapping(parser, at);
            case START_ARRAY -> readSequence(parser, at);
            case VALUE_STRING -> new Node.Scalar(at, Node.ScalarType.STRING, parser.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Node.Scalar(at, Node.ScalarType.NUMBER, parser.getText());
            // YAML also writes booleans as yes/no/on/off: keep the value, not the spelling.
            case VALUE_TRUE -> new Node.Scalar(at, Node.ScalarType.BOOLEAN, "true");
            case VALUE_FALSE -> new Node.Scalar(at, Node.ScalarType.BOOLEAN, "false");
            case VALUE_NULL -> new Node.Scalar(at, Node.ScalarType.NULL, parser.getText());
            default -> {
                problems.add(at, "unsupported value (" + token + "): use text, numbers, booleans, lists and mappings");
                parser.skipChildren();
                yield new Node.Scalar(at, Node.ScalarType.NULL, "");
            }
        };
    }

    private Node readMapping(JsonParser parser, Position at) throws IOException {
        Map<String, Node.Key> keys = new LinkedHashMap<>();
        Map<String, Node> values = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            Position keyAt = position(parser.currentTokenLocation());
            parser.nextToken();
            Node value = readValue(parser);
            Node.Key earlier = keys.get(name);
            if (earlier != null) {
                problems.add(keyAt, "key '" + name + "' appears twice in the same mapping (first at line "
                        + earlier.position().line() + "): keep one");
                continue;
            }
            keys.put(name, new Node.Key(name, keyAt));
            values.put(name, value);
        }
        return new Node.Mapping(at, keys, values);
    }

    private Node readSequence(JsonParser parser, Position at) throws IOException {
        List<Node> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(readValue(parser));
        }
        return new Node.Sequence(at, items);
    }

    /** Where the parser found the problem: for YAML, the problem's own mark rather than the start of its context. */
    private Position syntaxErrorPosition(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            Mark mark = marked.getProblemMark();
            return new Position(source, mark.getLine() + 1, mark.getColumn() + 1);
        }
        JsonLocation location = e.getLocation();
        return location == null ? Position.of(source) : position(location);
    }

    /** A parser message without the excerpts of the text it quotes: its unindented lines, joined. */
    private static String firstLines(String message) {
        List<String> lines = new ArrayList<>();
        for (String line : message.split("\\R")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                lines.add(line.trim());
            }
        }
        return String.join(": ", lines);
    }

    private Position position(JsonLocation location) {
        return new Position(source, location.getLineNr(), location.getColumnNr());
    }
}
