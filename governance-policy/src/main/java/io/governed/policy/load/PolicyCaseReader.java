package io.governed.policy.load;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.identity.IdentityProvenance;
import io.governed.policy.Decision;
import io.governed.policy.testing.PolicyCase;
import io.governed.policy.testing.PolicyCaseException;
import io.governed.sql.Dialect;
import io.governed.settings.DidYouMean;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads policy test files: YAML (or JSON) holding {@code cases:}, a list of cases, each an identity, a
 * statement and what the policy is expected to decide (see {@link PolicyCase}). Every problem of a file is
 * reported at once, with its line and column and what to write instead.
 *
 * <pre>
 * cases:
 *   - name: an analyst reads customers, e-mail masked
 *     identity: { principal: alice, groups: [analysts] }
 *     sql: SELECT id, email FROM public.customers
 *     expect:
 *       decision: allow
 *       rules: [analysts-read]
 *       masked: { email: mask-email }
 * </pre>
 */
public final class PolicyCaseReader {

    private static final List<String> FILE_KEYS = List.of("cases");
    private static final List<String> CASE_KEYS = List.of("name", "identity", "sql", "dialect", "schema", "tables", "expect");
    private static final List<String> IDENTITY_KEYS = List.of("principal", "kind", "groups", "purpose", "attributes",
            "on-behalf-of", "verified-by");
    private static final List<String> EXPECT_KEYS = List.of("decision", "rules", "masked", "row-filters", "reason", "would-deny");
    private static final Map<String, Decision.Effect> DECISIONS = Map.of(
            "allow", Decision.Effect.ALLOW, "deny", Decision.Effect.DENY,
            "pending_approval", Decision.Effect.PENDING_APPROVAL, "pending-approval", Decision.Effect.PENDING_APPROVAL);
    private static final List<String> DECISION_NAMES = List.of("allow", "deny", "pending_approval");

    private final Problems problems = new Problems();

    private PolicyCaseReader() {
    }

    /**
     * The cases of one source.
     *
     * @throws PolicyCaseException listing every problem of the source, when it has any
     */
    public static List<PolicyCase> read(PolicySource source) {
        PolicyCaseReader reader = new PolicyCaseReader();
        List<PolicyCase> cases = reader.cases(source);
        if (reader.problems.any()) {
            throw new PolicyCaseException(reader.problems.inSourceOrder());
        }
        return cases;
    }

    private List<PolicyCase> cases(PolicySource source) {
        if (source.text().isBlank()) {
            problems.add(Position.of(source.name()), "the file is empty: write 'cases:' and a list of cases under it");
            return List.of();
        }
        Node root = NodeReader.read(source, problems);
        if (root == null) {
            return List.of();
        }
        Fields file = Fields.of(root, "a policy test file", FILE_KEYS, problems);
        if (file == null) {
            return List.of();
        }
        Node list = file.required("cases", "list the cases under it, each with 'identity', 'sql' and 'expect'");
        if (list == null) {
            return List.of();
        }
        if (!(list instanceof Node.Sequence sequence) || sequence.items().isEmpty()) {
            problems.add(list.position(), "'cases' must be a list of cases (- identity: …, sql: …, expect: …), but is "
                    + (list instanceof Node.Sequence ? "an empty list" : list.describe()));
            return List.of();
        }
        List<PolicyCase> cases = new ArrayList<>();
        for (int i = 0; i < sequence.items().size(); i++) {
            PolicyCase c = readCase(source.name(), sequence.items().get(i), i + 1);
            if (c != null) {
                cases.add(c);
            }
        }
        return cases;
    }

    private PolicyCase readCase(String source, Node node, int number) {
        int before = problems.count();
        String name = node instanceof Node.Mapping mapping && mapping.values().get("name") instanceof Node.Scalar scalar
                && scalar.type() != Node.ScalarType.NULL ? scalar.text() : null;
        String what = name == null ? "case " + number : "case '" + name + "'";
        Fields fields = Fields.of(node, what, CASE_KEYS, problems);
        if (fields == null) {
            return null;
        }
        fields.text("name"); // a name that is not text is a problem
        Node identityNode = fields.required("identity", "who runs the statement, e.g. identity: { principal: alice, groups: [analysts] }");
        Identity identity = identityNode == null ? null : identity(identityNode, "'identity' of " + what, true);
        String sql = fields.requiredText("sql", "the statement the identity runs, e.g. sql: SELECT id FROM public.orders");
        if (sql != null && sql.isBlank()) {
            problems.add(fields.valuePosition("sql"), "'sql' of " + what + " is empty: write the statement the identity runs");
        }
        Dialect dialect = Dialect.POSTGRESQL;
        String dialectText = fields.text("dialect");
        if (dialectText != null) {
            dialect = choice(dialectText, Dialect.values(), fields.valuePosition("dialect"), "dialect", what);
        }
        String schema = fields.text("schema");
        Map<String, List<String>> tables = fields.has("tables") ? tables(fields.get("tables"), "'tables' of " + what) : Map.of();
        Node expectNode = fields.required("expect", "what the policy should decide, e.g. expect: { decision: allow, rules: [analysts-read] }");
        PolicyCase.Expected expected = expectNode == null ? null : expected(expectNode, "'expect' of " + what);
        if (problems.count() > before || identity == null || sql == null || dialect == null || expected == null) {
            return null;
        }
        return new PolicyCase(source, node.position().line(), name == null ? sql.strip() : name, identity, sql, dialect,
                schema, tables, expected);
    }

    /** {@code { payments: [id, amount], app.refunds: [id, payment_id] }}: each relation's columns. */
    private Map<String, List<String>> tables(Node node, String what) {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        if (!(node instanceof Node.Mapping mapping)) {
            problems.add(node.position(), what + " must map each table (name or schema.name) to the names of its columns,"
                    + " like { payments: [id, amount] }, but is " + node.describe());
            return tables;
        }
        mapping.values().forEach((table, columns) -> {
            if (columns instanceof Node.Sequence) {
                tables.put(table, values(Fields.texts(columns, "the columns of table '" + table + "' in " + what, problems)));
            } else {
                problems.add(columns.position(), "the columns of table '" + table + "' in " + what + " must be a list of"
                        + " names, like [id, amount], but are " + columns.describe());
            }
        });
        return tables;
    }

    private Identity identity(Node node, String what, boolean mayActForOthers) {
        List<String> keys = mayActForOthers ? IDENTITY_KEYS
                : IDENTITY_KEYS.stream().filter(k -> !k.equals("on-behalf-of")).toList();
        Fields fields = Fields.of(node, what, keys, problems);
        if (fields == null) {
            return null;
        }
        String principal = fields.requiredText("principal", "the caller's name, e.g. principal: alice");
        if (principal == null) {
            return null;
        }
        Identity.Builder b = Identity.builder(principal);
        String kind = fields.text("kind");
        if (kind != null) {
            IdentityKind k = choice(kind, IdentityKind.values(), fields.valuePosition("kind"), "kind", what);
            if (k != null) {
                b.kind(k);
            }
        }
        List<String> groups = values(fields.nonEmptyTexts("groups"));
        if (!groups.isEmpty()) {
            b.groups(groups);
        }
        b.purpose(fields.text("purpose"));
        Node attributes = fields.get("attributes");
        if (attributes != null) {
            if (attributes instanceof Node.Mapping mapping) {
                mapping.values().forEach((attribute, value) -> {
                    String text = Fields.text(value, "attribute '" + attribute + "' of " + what, problems);
                    if (text != null) {
                        b.attribute(attribute, text);
                    }
                });
            } else {
                problems.add(attributes.position(), "'attributes' of " + what + " must be a mapping of names to values,"
                        + " like { tenant: acme }, but is " + attributes.describe());
            }
        }
        String verifiedBy = fields.text("verified-by");
        IdentityProvenance provenance = verifiedBy == null ? IdentityProvenance.ASSERTED
                : IdentityProvenance.verified(verifiedBy, null, null, Instant.now().plusSeconds(3600));
        b.provenance(provenance);
        Node onBehalfOf = fields.get("on-behalf-of");
        if (onBehalfOf != null) {
            Identity human = onBehalfOf instanceof Node.Scalar scalar && scalar.type() != Node.ScalarType.NULL
                    ? Identity.builder(scalar.text()).provenance(provenance).build()
                    : identity(onBehalfOf, "'on-behalf-of' of " + what, false);
            if (human != null) {
                b.onBehalfOf(human);
            }
        }
        return b.build();
    }

    private PolicyCase.Expected expected(Node node, String what) {
        Fields fields = Fields.of(node, what, EXPECT_KEYS, problems);
        if (fields == null) {
            return null;
        }
        String decisionText = fields.requiredText("decision", "one of " + String.join(", ", DECISION_NAMES)
                + ", e.g. decision: deny");
        Decision.Effect decision = null;
        if (decisionText != null) {
            decision = DECISIONS.get(decisionText.trim().toLowerCase(Locale.ROOT));
            if (decision == null) {
                problems.add(fields.valuePosition("decision"), "unknown decision '" + decisionText + "' in " + what
                        + DidYouMean.hint(decisionText, DECISION_NAMES));
            }
        }
        List<String> rules = fields.has("rules") ? ids(fields, "rules") : null;
        List<String> rowFilters = fields.has("row-filters") ? ids(fields, "row-filters") : null;
        List<String> wouldDeny = fields.has("would-deny") ? ids(fields, "would-deny") : null;
        Map<String, String> masked = fields.has("masked") ? masked(fields.get("masked"), "'masked' in " + what) : null;
        String reason = fields.text("reason");
        return decision == null ? null : new PolicyCase.Expected(decision, rules, masked, rowFilters, reason, wouldDeny);
    }

    /** A list of ids; {@code []} is allowed and means none. */
    private List<String> ids(Fields fields, String key) {
        Node node = fields.get(key);
        if (Node.isWrittenNull(node) || node instanceof Node.Scalar s && s.type() == Node.ScalarType.NULL) {
            problems.add(node.position(), "'" + key + "' in " + fields.context() + " has no value: list the ids, or write [] for none");
            return List.of();
        }
        return values(fields.texts(key));
    }

    /** {@code [label, …]} (any mask) or {@code { label: mask-id, … }}. */
    private Map<String, String> masked(Node node, String what) {
        Map<String, String> masked = new LinkedHashMap<>();
        if (node instanceof Node.Mapping mapping) {
            mapping.values().forEach((label, mask) -> {
                String id = Fields.text(mask, "the mask of column '" + label + "' in " + what, problems);
                if (id != null) {
                    masked.put(label, id);
                }
            });
        } else if (node instanceof Node.Sequence || node instanceof Node.Scalar s && s.type() != Node.ScalarType.NULL) {
            for (Located<String> label : Fields.texts(node, what, problems)) {
                masked.put(label.value(), null);
            }
        } else {
            problems.add(node.position(), what + " must list the masked result columns, as [email, phone] or with their"
                    + " masks as { email: mask-email }, or be [] for none, but is " + node.describe());
        }
        return masked;
    }

    private <E extends Enum<E>> E choice(String written, E[] values, Position at, String noun, String what) {
        for (E value : values) {
            if (value.name().equalsIgnoreCase(written.trim())) {
                return value;
            }
        }
        List<String> names = Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
        problems.add(at, "unknown " + noun + " '" + written + "' in " + what + DidYouMean.hint(written, names));
        return null;
    }

    private static List<String> values(List<Located<String>> located) {
        return located.stream().map(Located::value).toList();
    }
}
