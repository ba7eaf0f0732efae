package io.governed.policy.load;

import io.governed.policy.model.Conditions;
import io.governed.policy.model.PrincipalCriteria;
import io.governed.policy.model.Rule;
import io.governed.policy.model.RuleEffect;
import io.governed.policy.model.WhereCondition;
import io.governed.policy.pattern.TablePattern;
import io.governed.sql.Action;
import io.governed.sql.Trait;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads one entry of {@code rules}. */
final class RuleReader {

    static final List<String> KEYS =
            List.of("id", "effect", "principals", "actions", "resources", "when", "unless", "message", "enforcement");
    private static final List<String> WHEN_KEYS = List.of("where", "multi-statement", "traits", "purposes");
    private static final Map<String, RuleEffect> EFFECTS = Map.of("permit", RuleEffect.PERMIT, "forbid", RuleEffect.FORBID);
    private static final Map<String, WhereCondition> WHERE = Map.of("absent", WhereCondition.ABSENT, "present", WhereCondition.PRESENT);

    private RuleReader() {
    }

    /** The rule, or {@code null} when it has problems (all reported). */
    static Rule read(Node node, String context, Problems problems) {
        Fields fields = Fields.of(node, context, KEYS, problems);
        if (fields == null) {
            return null;
        }
        String id = fields.requiredText("id", "give the rule an id, like 'id: analysts-read'");
        RuleEffect effect = effect(fields, problems);
        PrincipalCriteria principals = fields.has("principals")
                ? PrincipalReader.read(fields.get("principals"), "'principals' of " + context, true, problems)
                : PrincipalCriteria.ANYONE;
        Set<Action> actions = Terms.requiredActions(fields, problems);
        List<TablePattern> resources = Terms.tablePatterns(fields, "resources", problems);
        Conditions when = fields.has("when") ? conditions(fields.get("when"), "'when' of " + context, problems) : Conditions.ALWAYS;
        PrincipalCriteria unless = fields.has("unless")
                ? PrincipalReader.read(fields.get("unless"), "'unless' of " + context, false, problems)
                : null;
        String message = fields.text("message");
        if (id == null || effect == null || principals == null || actions.isEmpty() || resources == null || when == null
                || fields.has("unless") && unless == null || problemsIn(fields, "message", message)) {
            return null;
        }
        return new Rule(id, effect, principals, actions, resources, when, unless, message);
    }

    private static RuleEffect effect(Fields fields, Problems problems) {
        String text = fields.requiredText("effect", "add 'effect: permit' or 'effect: forbid'");
        if (text == null) {
            return null;
        }
        return Terms.choice(new Located<>(text, fields.valuePosition("effect")), EFFECTS, "effect", fields.context(), problems);
    }

    private static Conditions conditions(Node node, String what, Problems problems) {
        Fields fields = Fields.of(node, what, WHEN_KEYS, problems);
        if (fields == null) {
            return null;
        }
        WhereCondition where = null;
        String whereText = fields.text("where");
        if (whereText != null) {
            where = Terms.choice(new Located<>(whereText, fields.valuePosition("where")), WHERE, "'where' condition", what, problems);
        }
        Boolean multiStatement = null;
        Node multi = fields.get("multi-statement");
        if (multi != null) {
            if (multi instanceof Node.Scalar scalar && scalar.type() == Node.ScalarType.BOOLEAN) {
                multiStatement = Boolean.valueOf(scalar.text());
            } else {
                problems.add(multi.position(), "'multi-statement' in " + what + " must be true or false, but is " + multi.describe());
            }
        }
        Set<Trait> traits = Terms.traits(fields.nonEmptyTexts("traits"), what, problems);
        Set<String> purposes = new LinkedHashSet<>();
        fields.nonEmptyTexts("purposes").forEach(p -> purposes.add(p.value()));
        return new Conditions(where, multiStatement, traits, purposes);
    }

    private static boolean problemsIn(Fields fields, String key, String text) {
        return fields.has(key) && text == null;
    }
}
