package io.governed.policy.load;

import io.governed.identity.IdentityKind;
import io.governed.masking.MaskConfigurationException;
import io.governed.masking.MaskParameter;
import io.governed.masking.Masker;
import io.governed.masking.MaskerRegistry;
import io.governed.policy.model.Mask;
import io.governed.policy.model.PrincipalCriteria;
import io.governed.policy.pattern.ColumnPattern;
import io.governed.settings.DidYouMean;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one entry of {@code masks}. Its function and the function's parameters are checked by the
 * same {@link MaskerRegistry} that masks values at run time: the mask function is configured once
 * here, so that every mistake (an unknown parameter, a wrong type, a hashing key that cannot be read)
 * is reported with its file, line and column when the policy is loaded.
 */
final class MaskReader {

    static final List<String> KEYS = List.of("id", "columns", "function", "unless", "deny-inference", "deny-shaping", "enforcement");
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
    static Mask read(Node node, String context, MaskerRegistry maskers, List<Located<String>> tagReferences, Problems problems) {
        String function = functionName(node);
        Masker masker = function == null ? null : maskers.find(function).orElse(null);
        List<String> allowed = new ArrayList<>(KEYS);
        if (masker != null) {
            masker.parameters().forEach(p -> allowed.add(p.name()));
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
                : fields.requiredText("function", "name its mask function: one of " + String.join(", ", maskers.names()));
        if (functionText != null && masker == null) {
            problems.add(fields.valuePosition("function"), "unknown mask function '" + functionText + "' in "
                    + context + DidYouMean.hint(functionText, maskers.names())
                    + " (a function of your own is a " + Masker.class.getName() + " listed in META-INF/services)");
        }
        Map<String, Object> parameters = masker == null ? null : parameters(fields, masker, maskers, problems);
        PrincipalCriteria unless = fields.has("unless")
                ? PrincipalReader.read(fields.get("unless"), "'unless' of " + context, false, problems)
                : null;
        Set<IdentityKind> denyInference = fields.has("deny-inference")
                ? Terms.kinds(fields.texts("deny-inference"), "'deny-inference' of " + context, problems)
                : Mask.DEFAULT_DENY_INFERENCE;
        Set<IdentityKind> denyShaping = fields.has("deny-shaping")
                ? Terms.kinds(fields.texts("deny-shaping"), "'deny-shaping' of " + context, problems)
                : Mask.DEFAULT_DENY_SHAPING;
        if (id == null || tags.isEmpty() && patterns.isEmpty() || parameters == null
                || fields.has("unless") && unless == null) {
            return null;
        }
        return new Mask(id, tags, patterns, functionText, parameters, unless, denyInference, denyShaping);
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

    /** The function's parameters as written, once the registry configured the function with them; {@code null} after a problem. */
    private static Map<String, Object> parameters(Fields fields, Masker masker, MaskerRegistry maskers, Problems problems) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (MaskParameter p : masker.parameters()) {
            Node value = fields.get(p.name());
            if (value != null) {
                parameters.put(p.name(), scalar(value));
            }
        }
        try {
            maskers.create(masker.name(), parameters);
            return parameters;
        } catch (MaskConfigurationException e) {
            Position at = e.parameter() != null && fields.has(e.parameter()) ? fields.valuePosition(e.parameter()) : fields.position();
            problems.add(at, fields.context() + ": " + e.getMessage());
            return null;
        }
    }

    /** A parameter's value as YAML wrote it: text, a whole number, another number, true/false, or the node itself for a list or mapping. */
    private static Object scalar(Node node) {
        if (!(node instanceof Node.Scalar s)) {
            return node instanceof Node.Sequence ? List.of() : Map.of();
        }
        return switch (s.type()) {
            case BOOLEAN -> Boolean.valueOf(s.text());
            case NULL -> null;
            case STRING -> s.text();
            case NUMBER -> number(s.text());
        };
    }

    private static Object number(String text) {
        try {
            BigInteger whole = new BigInteger(text);
            return whole.bitLength() < 32 ? (Object) whole.intValue() : whole.bitLength() < 64 ? (Object) whole.longValue() : whole;
        } catch (NumberFormatException notWhole) {
            try {
                return new BigDecimal(text);
            } catch (NumberFormatException notDecimal) {
                return text;
            }
        }
    }

    private static String functionName(Node node) {
        if (node instanceof Node.Mapping mapping && mapping.values().get("function") instanceof Node.Scalar s) {
            return Node.isWrittenNull(s) ? NULL_FUNCTION : s.type() == Node.ScalarType.STRING ? s.text() : null;
        }
        return null;
    }
}
