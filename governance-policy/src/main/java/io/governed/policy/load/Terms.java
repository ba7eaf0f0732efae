package io.governed.policy.load;

import io.governed.identity.IdentityKind;
import io.governed.policy.pattern.ColumnPattern;
import io.governed.policy.pattern.InvalidPatternException;
import io.governed.policy.pattern.TablePattern;
import io.governed.settings.DidYouMean;
import io.governed.sql.Action;
import io.governed.sql.Trait;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Parses the words and patterns of the policy language, reporting unknown ones with a suggestion. */
final class Terms {

    private static final Map<String, Action> ACTIONS = byExternalName(Action.values(), Action::externalName);
    private static final Map<String, IdentityKind> KINDS = byExternalName(IdentityKind.values(), IdentityKind::externalName);
    private static final Map<String, Trait> TRAITS =
            byExternalName(Trait.values(), t -> t.name().toLowerCase(Locale.ROOT).replace('_', '-'));

    static {
        // Unparseable statements are governed by 'on-unparseable', never by rules.
        ACTIONS.remove(Action.UNKNOWN.externalName());
    }

    private Terms() {
    }

    /** Action names, or {@code "*"} for every action. */
    static Set<Action> actions(List<Located<String>> names, String what, Problems problems) {
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (Located<String> name : names) {
            if (name.value().equals("*")) {
                actions.addAll(ACTIONS.values());
            } else {
                Action action = choice(name, ACTIONS, "action", what, problems);
                if (action != null) {
                    actions.add(action);
                }
            }
        }
        return actions;
    }

    /** Actions of a rule or an approval: required, non-empty. */
    static Set<Action> requiredActions(Fields fields, Problems problems) {
        Node node = fields.required("actions", "list the statement kinds it covers, like 'actions: [select]', or [\"*\"] for all");
        if (node == null) {
            return Set.of();
        }
        List<Located<String>> names = Fields.texts(node, "'actions' in " + fields.context(), problems);
        if (names.isEmpty() && node instanceof Node.Sequence) {
            problems.add(node.position(), "'actions' in " + fields.context() + " is empty: name at least one action, or \"*\" for all");
        }
        return actions(names, fields.context(), problems);
    }

    /**
     * Table patterns under {@code key}; every table ({@code *}) when absent, {@code null} when they
     * have problems.
     */
    static List<TablePattern> tablePatterns(Fields fields, String key, Problems problems) {
        if (!fields.has(key)) {
            return List.of(TablePattern.ANY);
        }
        List<Located<String>> texts = fields.nonEmptyTexts(key);
        List<TablePattern> patterns = tablePatterns(texts, problems);
        return patterns.isEmpty() || patterns.size() != texts.size() ? null : patterns;
    }

    static Set<IdentityKind> kinds(List<Located<String>> names, String what, Problems problems) {
        return choices(names, IdentityKind.class, KINDS, "kind", what, problems);
    }

    static Set<Trait> traits(List<Located<String>> names, String what, Problems problems) {
        return choices(names, Trait.class, TRAITS, "trait", what, problems);
    }

    /** The {@linkplain #choice choices} that are known; a problem for each that is not. */
    private static <E extends Enum<E>> Set<E> choices(List<Located<String>> names, Class<E> type, Map<String, E> choices,
                                                      String noun, String what, Problems problems) {
        Set<E> chosen = EnumSet.noneOf(type);
        for (Located<String> name : names) {
            E value = choice(name, choices, noun, what, problems);
            if (value != null) {
                chosen.add(value);
            }
        }
        return chosen;
    }

    static List<TablePattern> tablePatterns(List<Located<String>> texts, Problems problems) {
        return patterns(texts, TablePattern::parse, problems);
    }

    static List<ColumnPattern> columnPatterns(List<Located<String>> texts, Problems problems) {
        return patterns(texts, ColumnPattern::parse, problems);
    }

    /** The patterns that parse; a problem at its position for each that does not. */
    private static <P> List<P> patterns(List<Located<String>> texts, Function<String, P> parser, Problems problems) {
        List<P> patterns = new ArrayList<>(texts.size());
        for (Located<String> text : texts) {
            try {
                patterns.add(parser.apply(text.value()));
            } catch (InvalidPatternException e) {
                problems.add(text.position(), e.getMessage());
            }
        }
        return patterns;
    }

    /**
     * One of a fixed set of words, compared ignoring case; {@code null} and a problem with a
     * suggestion for anything else.
     */
    static <T> T choice(Located<String> written, Map<String, T> choices, String noun, String what, Problems problems) {
        T value = choices.get(written.value().trim().toLowerCase(Locale.ROOT));
        if (value == null) {
            problems.add(written.position(), "unknown " + noun + " '" + written.value() + "' in " + what
                    + DidYouMean.hint(written.value(), choices.keySet()));
        }
        return value;
    }

    private static <T> Map<String, T> byExternalName(T[] values, Function<T, String> name) {
        Map<String, T> map = new LinkedHashMap<>();
        for (T value : values) {
            map.put(name.apply(value), value);
        }
        return map;
    }
}
