package io.governed.policy.load;

import io.governed.identity.IdentityKind;
import io.governed.policy.model.Approvers;
import io.governed.policy.model.OnBehalfOf;
import io.governed.policy.model.PrincipalCriteria;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the principal criteria of {@code principals} and {@code unless}, and the {@code approvers} of approvals. */
final class PrincipalReader {

    static final List<String> KEYS = List.of("names", "groups", "kinds", "on-behalf-of", "purposes", "attributes", "verified",
            "issuers");
    private static final List<String> APPROVER_KEYS = List.of("names", "groups", "require");

    private PrincipalReader() {
    }

    /**
     * The criteria in {@code node}; {@code null} when they have problems (reported).
     *
     * @param what what the criteria are, for messages: "'principals' of rule 'x'"
     */
    static PrincipalCriteria read(Node node, String what, boolean mayBeEmpty, Problems problems) {
        Fields fields = Fields.of(node, what, KEYS, problems);
        if (fields == null) {
            return null;
        }
        Set<String> names = values(fields.nonEmptyTexts("names"));
        Set<String> groups = values(fields.nonEmptyTexts("groups"));
        Set<IdentityKind> kinds = Terms.kinds(fields.nonEmptyTexts("kinds"), what, problems);
        OnBehalfOf onBehalfOf = onBehalfOf(fields, what, problems);
        Set<String> purposes = values(fields.nonEmptyTexts("purposes"));
        Map<String, Set<String>> attributes = attributes(fields, what, problems);
        Boolean verified = verified(fields, what, problems);
        Set<String> issuers = values(fields.nonEmptyTexts("issuers"));
        PrincipalCriteria criteria = new PrincipalCriteria(names, groups, kinds, onBehalfOf, purposes, attributes,
                verified, issuers);
        if (criteria.isEmpty() && !mayBeEmpty) {
            problems.add(fields.position(), what + " gives no criterion, so it would match everyone: "
                    + "name at least one of " + String.join(", ", KEYS) + ", or remove it");
            return null;
        }
        return criteria;
    }

    /** The approvers in {@code node}; {@code null} when they have problems (reported). */
    static Approvers approvers(Node node, String what, Problems problems) {
        Fields fields = Fields.of(node, what, APPROVER_KEYS, problems);
        if (fields == null) {
            return null;
        }
        Set<String> names = values(fields.nonEmptyTexts("names"));
        Set<String> groups = values(fields.nonEmptyTexts("groups"));
        if (!fields.has("names") && !fields.has("groups")) {
            problems.add(fields.position(), what + " name nobody: give 'groups' or 'names' of who may approve");
            return null;
        }
        if (names.isEmpty() && groups.isEmpty()) {
            return null;
        }
        String require = fields.text("require");
        if (require == null) {
            return fields.has("require") ? null : new Approvers(names, groups);
        }
        if (require.equals("each-group")) {
            if (groups.size() < 2) {
                problems.add(fields.valuePosition("require"), "'require: each-group' in " + what
                        + " needs at least two 'groups': one approver of each is then needed");
                return null;
            }
            return new Approvers(names, groups, 1, true);
        }
        try {
            int count = Integer.parseInt(require.trim());
            if (count >= 1 && count <= 10) {
                return new Approvers(names, groups, count, false);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(fields.valuePosition("require"), "'require' in " + what + " is '" + require
                + "': give how many different approvers must approve (1 to 10), or each-group for one of every group");
        return null;
    }

    private static OnBehalfOf onBehalfOf(Fields fields, String what, Problems problems) {
        Node node = fields.get("on-behalf-of");
        if (node == null) {
            return OnBehalfOf.ANY;
        }
        if (node instanceof Node.Scalar scalar && scalar.type() == Node.ScalarType.STRING) {
            switch (scalar.text()) {
                case "required":
                    return OnBehalfOf.REQUIRED;
                case "forbidden":
                    return OnBehalfOf.FORBIDDEN;
                default:
                    problems.add(node.position(), "'on-behalf-of' in " + what + " is '" + scalar.text()
                            + "': use required, forbidden, or a list of principals like [alice, bob]");
                    return OnBehalfOf.ANY;
            }
        }
        Set<String> principals = values(Fields.texts(node, "'on-behalf-of' in " + what, problems));
        if (principals.isEmpty()) {
            problems.add(node.position(), "'on-behalf-of' in " + what + " lists no principal: "
                    + "use required, forbidden, or a list of principals like [alice, bob]");
            return OnBehalfOf.ANY;
        }
        return OnBehalfOf.oneOf(principals);
    }

    private static Boolean verified(Fields fields, String what, Problems problems) {
        Node node = fields.get("verified");
        if (node == null) {
            return null;
        }
        if (node instanceof Node.Scalar scalar && scalar.type() == Node.ScalarType.BOOLEAN) {
            return Boolean.valueOf(scalar.text());
        }
        problems.add(node.position(), "'verified' in " + what + " is " + node.describe()
                + ": use true (the identity came from a verified token) or false (the application asserted it)");
        return null;
    }

    private static Map<String, Set<String>> attributes(Fields fields, String what, Problems problems) {
        Node node = fields.get("attributes");
        if (node == null) {
            return Map.of();
        }
        if (!(node instanceof Node.Mapping mapping)) {
            problems.add(node.position(), "'attributes' in " + what
                    + " must map attribute names to values, like { tenant: [acme] }, but is " + node.describe());
            return Map.of();
        }
        Map<String, Set<String>> attributes = new LinkedHashMap<>();
        mapping.values().forEach((name, value) ->
                attributes.put(name, values(Fields.texts(value, "attribute '" + name + "' in " + what, problems))));
        return attributes;
    }

    private static Set<String> values(List<Located<String>> located) {
        Set<String> values = new LinkedHashSet<>();
        located.forEach(l -> values.add(l.value()));
        return values;
    }
}
