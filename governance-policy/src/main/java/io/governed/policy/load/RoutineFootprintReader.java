package io.governed.policy.load;

import io.governed.policy.model.RoutineFootprint;
import io.governed.policy.pattern.TablePattern;
import io.governed.sql.Action;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads one entry of {@code routines}: what routines whose bodies cannot be analysed do. */
final class RoutineFootprintReader {

    static final List<String> KEYS = List.of("id", "routines", "does");
    private static final List<String> EFFECT_KEYS = List.of("actions", "resources");

    private RoutineFootprintReader() {
    }

    /** The declaration, or {@code null} when it has problems (all reported). */
    static RoutineFootprint read(Node node, String context, Problems problems) {
        Fields fields = Fields.of(node, context, KEYS, problems);
        if (fields == null) {
            return null;
        }
        int before = problems.count();
        String id = fields.requiredText("id", "give the declaration an id, like 'id: place-order-does'");
        List<Located<String>> named = fields.nonEmptyTexts("routines");
        if (!fields.has("routines")) {
            problems.add(fields.position(), context + " lacks the required key 'routines': name the routines it declares,"
                    + " like 'routines: [\"app.place_order\"]'");
        }
        List<TablePattern> routines = Terms.tablePatterns(named, problems);
        Node does = fields.required("does", "list what a call does, like 'does: [{actions: [select], resources:"
                + " [\"app.customers\"]}]', or 'does: []' when it reads and writes no table");
        List<RoutineFootprint.Effect> effects = does == null ? List.of() : effects(does, context, problems);
        if (problems.count() != before || id == null || routines.isEmpty()) {
            return null;
        }
        return new RoutineFootprint(id, routines, effects);
    }

    private static List<RoutineFootprint.Effect> effects(Node does, String context, Problems problems) {
        if (!(does instanceof Node.Sequence sequence)) {
            problems.add(does.position(), "'does' of " + context + " must be a list of {actions, resources} entries (or []"
                    + " for a routine that reads and writes no table), but is " + does.describe());
            return List.of();
        }
        List<RoutineFootprint.Effect> effects = new ArrayList<>();
        int index = 0;
        for (Node item : sequence.items()) {
            index++;
            String what = "entry #" + index + " of 'does' of " + context;
            Fields fields = Fields.of(item, what, EFFECT_KEYS, problems);
            if (fields == null) {
                continue;
            }
            Set<Action> actions = Terms.requiredActions(fields, problems);
            Node resources = fields.required("resources", "name the tables, each as 'schema.table', like 'resources:"
                    + " [\"app.orders\"]', or [\"*\"] for any table");
            List<RoutineFootprint.Name> tables = resources == null ? null : tables(resources, what, problems);
            if (!actions.isEmpty() && tables != null) {
                effects.add(new RoutineFootprint.Effect(actions, tables));
            }
        }
        return effects;
    }

    /** The tables named; empty for {@code *} (any table); {@code null} when a name is not a table's (reported). */
    private static List<RoutineFootprint.Name> tables(Node resources, String what, Problems problems) {
        List<Located<String>> texts = Fields.texts(resources, "'resources' of " + what, problems);
        if (texts.isEmpty()) {
            problems.add(resources.position(), "'resources' of " + what + " is empty: name the tables, or [\"*\"] for any table");
            return null;
        }
        List<RoutineFootprint.Name> names = new ArrayList<>();
        boolean any = false;
        for (Located<String> text : texts) {
            if (text.value().equals("*")) {
                any = true;
                continue;
            }
            RoutineFootprint.Name name = name(text.value());
            if (name == null) {
                problems.add(text.position(), "'" + text.value() + "' in 'resources' of " + what + " is not one table named"
                        + " 'schema.table': a declaration says which tables a call reaches, so name each (no pattern;"
                        + " quote a name with \"…\" to keep its case), or write \"*\" for any table");
                return null;
            }
            names.add(name);
        }
        if (any && !names.isEmpty()) {
            problems.add(resources.position(), "'resources' of " + what + " names \"*\" and tables: \"*\" is any table"
                    + " already; keep one or the other");
            return null;
        }
        return names;
    }

    /** {@code schema.table}, each part a plain identifier or a double-quoted one; {@code null} for anything else. */
    static RoutineFootprint.Name name(String text) {
        int end = identifierEnd(text, 0);
        if (end <= 0 || end >= text.length() || text.charAt(end) != '.') {
            return null;
        }
        int last = identifierEnd(text, end + 1);
        if (last != text.length()) {
            return null;
        }
        return new RoutineFootprint.Name(text.substring(0, end), text.substring(end + 1));
    }

    /** Where the identifier starting at {@code from} ends; -1 when none starts there. */
    private static int identifierEnd(String text, int from) {
        if (from >= text.length()) {
            return -1;
        }
        if (text.charAt(from) == '"') {
            for (int i = from + 1; i < text.length(); i++) {
                if (text.charAt(i) == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        i++;
                        continue;
                    }
                    return i == from + 1 ? -1 : i + 1;
                }
            }
            return -1;
        }
        int i = from;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                || text.charAt(i) == '$')) {
            i++;
        }
        return i == from || Character.isDigit(text.charAt(from)) ? -1 : i;
    }
}
