package io.governed.policy.load;

import io.governed.policy.model.Limit;
import io.governed.policy.model.PrincipalCriteria;
import io.governed.settings.Quantities;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Reads one entry of {@code limits}. */
final class LimitReader {

    static final List<String> KEYS = List.of("id", "principals", "max-rows", "on-max-rows", "max-statements", "statement-timeout");
    private static final Map<String, Limit.OnMaxRows> ON_MAX_ROWS =
            Map.of("truncate", Limit.OnMaxRows.TRUNCATE, "refuse", Limit.OnMaxRows.REFUSE);

    private LimitReader() {
    }

    /** The limit, or {@code null} when it has problems (all reported). */
    static Limit read(Node node, String context, Problems problems) {
        Fields fields = Fields.of(node, context, KEYS, problems);
        if (fields == null) {
            return null;
        }
        int before = problems.count();
        String id = fields.requiredText("id", "give the limit an id, like 'id: agent-bounds'");
        PrincipalCriteria principals = fields.has("principals")
                ? PrincipalReader.read(fields.get("principals"), "'principals' of " + context, true, problems)
                : PrincipalCriteria.ANYONE;
        long maxRows = count(fields, "max-rows", Long.MAX_VALUE, problems);
        int maxStatements = (int) count(fields, "max-statements", Limit.MAX_STATEMENTS, problems);
        Duration timeout = timeout(fields, problems);
        Limit.OnMaxRows onMaxRows = Limit.OnMaxRows.TRUNCATE;
        String on = fields.text("on-max-rows");
        if (on != null) {
            onMaxRows = Terms.choice(new Located<>(on, fields.valuePosition("on-max-rows")), ON_MAX_ROWS, "value",
                    "'on-max-rows' of " + context + " (truncate or refuse)", problems);
            if (onMaxRows != null && !fields.has("max-rows")) {
                problems.add(fields.keyPosition("on-max-rows"), "'on-max-rows' in " + context
                        + " has no 'max-rows' to act on: add 'max-rows', or remove it");
            }
        }
        if (problems.count() == before && maxRows == 0 && maxStatements == 0 && timeout == null) {
            problems.add(fields.position(), context + " sets no bound: give at least one of max-rows, max-statements "
                    + "(a minute) or statement-timeout");
        }
        if (problems.count() != before || id == null || principals == null || onMaxRows == null) {
            return null;
        }
        return new Limit(id, principals, maxRows, onMaxRows, maxStatements, timeout);
    }

    /** A positive whole number of {@code key}, or 0 when absent (or wrong, reported). */
    private static long count(Fields fields, String key, long max, Problems problems) {
        Node node = fields.get(key);
        if (node == null) {
            return 0;
        }
        String text = node instanceof Node.Scalar s && s.type() == Node.ScalarType.NUMBER ? s.text() : null;
        long value = 0;
        try {
            value = text == null ? 0 : Long.parseLong(text);
        } catch (NumberFormatException notWhole) {
            value = 0;
        }
        if (value < 1 || value > max) {
            problems.add(node.position(), "'" + key + "' in " + fields.context() + " must be a whole number from 1 to " + max
                    + ", like '" + key + ": 100', but is " + node.describe());
            return 0;
        }
        return value;
    }

    private static Duration timeout(Fields fields, Problems problems) {
        String text = fields.text("statement-timeout");
        if (text == null) {
            return null;
        }
        Position at = fields.valuePosition("statement-timeout");
        try {
            Duration timeout = Quantities.parseDuration("'statement-timeout' in " + fields.context(), text);
            if (timeout.isZero() || timeout.toNanos() % 1_000_000_000L != 0) {
                problems.add(at, "'statement-timeout' in " + fields.context() + " must be a whole number of seconds of at "
                        + "least 1s (JDBC query timeouts count seconds), like '30s' or '2m'");
                return null;
            }
            return timeout;
        } catch (IllegalArgumentException e) {
            problems.add(at, e.getMessage());
            return null;
        }
    }
}
