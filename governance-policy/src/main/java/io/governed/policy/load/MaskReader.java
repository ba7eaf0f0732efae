package io.governed.policy.load;

import io.governed.policy.model.Mask;
import io.governed.policy.model.PrincipalCriteria;
import io.governed.policy.pattern.ColumnPattern;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads one entry of {@code masks}, checking its function and the function's parameters. */
final class MaskReader {

    static final List<String> KEYS = List.of("id", "columns", "function", "unless");
    private static final List<String> COLUMN_KEYS = List.of("tags", "patterns");
    /** The mask function that shows NULL; YAML reads an unquoted {@code function: null} as a null, not as text. */
    private static final String NULL_FUNCTION = "null";

    private MaskReader() {
    }

    /**
     * The mask, or {@code null} when it has problems (all reported).
     *
     * @param tagReferences collects the tags the mask names, to be checked once every source is read
     */
    static Mask read(Node node, String context, MaskFunctions functions, List<Located<String>> tagReferences, Problems problems) {
        String function = functionName(node);
        List<String> allowed = new ArrayList<>(KEYS);
        if (function != null && functions.known(function)) {
            allowed.addAll(functions.parametersOf(function));
        }
        Fields fields = Fields.of(node, context, allowed, problems);
        if (fields == null) {
            return null;
        }
        String id = fields.requiredText("id", "give the mask an id, like 'id: mask-email'");
        Node columns = fields.required("columns", "say which columns it masks, like 'columns: { tags: [pii.email] }'");
        Set<String> tags = new LinkedHashSet<>();
        List<ColumnPattern> patterns = new ArrayList<>();
        if (columns != null) {
            readColumns(columns, "'columns' of " + context, tags, patterns, tagReferences, problems);
        }
        String functionText = Node.isWrittenNull(fields.get("function")) ? NULL_FUNCTION
                : fields.requiredText("function", "name its mask function: one of " + String.join(", ", functions.names()));
        if (functionText != null && !functions.known(functionText)) {
            problems.add(fields.valuePosition("function"), "unknown mask function '" + functionText + "' in "
                    + context + DidYouMean.hint(functionText, functions.names())
                    + " (a function of your own must be registered through a MaskFunctionCatalog)");
        }
        Map<String, String> parameters = parameters(fields, functionText, functions, problems);
        PrincipalCriteria unless = fields.has("unless")
                ? PrincipalReader.read(fields.get("unless"), "'unless' of " + context, false, problems)
                : null;
        if (id == null || tags.isEmpty() && patterns.isEmpty() || functionText == null || !functions.known(functionText)
                || parameters == null || fields.has("unless") && unless == null) {
            return null;
        }
        return new Mask(id, tags, patterns, functionText, parameters, unless);
    }

    private static void readColumns(Node node, String what, Set<String> tags, List<ColumnPattern> patterns,
                                    List<Located<String>> tagReferences, Problems problems) {
        Fields fields = Fields.of(node, what, COLUMN_KEYS, problems);
        if (fields == null) {
            return;
        }
        for (Located<String> tag : fields.nonEmptyTexts("tags")) {
            tags.add(tag.value());
            tagReferences.add(tag);
        }
        patterns.addAll(Terms.columnPatterns(fields.nonEmptyTexts("patterns"), problems));
        if (!fields.has("tags") && !fields.has("patterns")) {
            problems.add(fields.position(), what + " selects no column: give 'tags', 'patterns', or both");
        }
    }

    private static Map<String, String> parameters(Fields fields, String function, MaskFunctions functions, Problems problems) {
        if (function == null || !functions.known(function)) {
            return Map.of();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        boolean valid = true;
        for (String name : functions.parametersOf(function)) {
            Node value = fields.get(name);
            if (value == null) {
                continue;
            }
            String text = Fields.text(value, "'" + name + "' in " + fields.context(), problems);
            if (text == null || !validParameter(name, value, text, fields.context(), problems)) {
                valid = false;
                continue;
            }
            parameters.put(name, text);
        }
        valid &= requiredParameters(function, fields, problems);
        return valid ? parameters : null;
    }

    private static boolean validParameter(String name, Node value, String text, String context, Problems problems) {
        boolean count = name.equals("keep-first") || name.equals("keep-last");
        if (!count && !name.equals("size")) {
            return true;
        }
        boolean number = value instanceof Node.Scalar s && s.type() == Node.ScalarType.NUMBER && text.matches("[0-9]{1,6}");
        if (!number || !count && Integer.parseInt(text) == 0) {
            problems.add(value.position(), "'" + name + "' in " + context + " must be a whole number"
                    + (count ? " of characters, 0 or more" : " greater than 0") + ", but is " + value.describe());
            return false;
        }
        return true;
    }

    /** Reports a built-in function's missing required parameter; a parameter given but invalid was reported already. */
    private static boolean requiredParameters(String function, Fields fields, Problems problems) {
        String missing = switch (function) {
            case "partial" -> anyGiven(fields, "keep-first", "keep-last") ? null
                    : "'partial' needs 'keep-last' or 'keep-first' (or both), like 'keep-last: 4'";
            case "bucket" -> anyGiven(fields, "size") ? null : "'bucket' needs 'size', like 'size: 10'";
            case "default" -> anyGiven(fields, "value") ? null : "'default' needs 'value', the value shown instead";
            default -> null;
        };
        if (missing != null) {
            problems.add(fields.position(), fields.context() + ": mask function " + missing);
            return false;
        }
        return true;
    }

    private static boolean anyGiven(Fields fields, String... keys) {
        for (String key : keys) {
            if (fields.has(key)) {
                return true;
            }
        }
        return false;
    }

    private static String functionName(Node node) {
        if (node instanceof Node.Mapping mapping && mapping.values().get("function") instanceof Node.Scalar s) {
            return Node.isWrittenNull(s) ? NULL_FUNCTION : s.type() == Node.ScalarType.STRING ? s.text() : null;
        }
        return null;
    }
}
