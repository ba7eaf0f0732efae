package io.governed.jdbc.gate;

import io.governed.identity.Identity;
import io.governed.policy.Decision;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * The SQL of one statement as it travels through the gate, with a memo slot that a
 * {@link DecisionFunction} may fill with what it computed from the text (an analysis, say), and a
 * slot for the last decision made on it, when that decision may be reused.
 *
 * <p>A {@code PreparedStatement} keeps its {@code SqlText} for life, so work memoised at prepare
 * time is reused by every execution; a plain {@code Statement} makes a new one per call.
 */
public final class SqlText {
    private final String sql;
    private volatile Memo memo;
    private volatile RememberedDecision decision;
    private volatile RememberedResolution resolution;
    private volatile RememberedTraits traits;
    /** {@link #stringsReadAlike}'s answer: 0 when not worked out yet, else the dialect's ordinal times 2 plus 1 or 2. */
    private volatile int stringReadings;

    private record Memo(Object key, Object value) {
    }

    /** A decision made for {@code identity} with {@code names} resolving unqualified names, by {@code decider}. */
    private record RememberedDecision(Object decider, Identity identity, Object names, Object routines,
                                      Decision decision) {
    }

    /** What {@code resolver} made of {@code analysis} under the name resolution {@code names}. */
    private record RememberedResolution(Object resolver, Object analysis, Object names, Object resolved) {
    }

    /** What was worked out from this text's {@code analysis} alone. */
    private record RememberedTraits(Object analysis, Object traits) {
    }

    /**
     * A name resolution (a session's reading) that may prove it answers every question an earlier one was asked as the
     * earlier one answered it: a reading renewed by age with nothing changed that the answers depend on. What a text
     * remembered under the earlier one then holds under it, and is kept; anything not proven so is worked out again.
     */
    public interface Continuing {
        /**
         * Whether everything worked out under {@code earlier} holds under this one, proven from what both read (this
         * one read first when it was not, in its renewal's own round trip); {@code false} when not proven.
         */
        boolean continues(Object earlier);
    }

    /** Whether what was remembered under {@code remembered} holds under {@code names}: the same object, or one continuing it. */
    private static boolean sameNames(Object remembered, Object names) {
        return remembered == names || names instanceof Continuing c && remembered != null && c.continues(remembered);
    }

    /** {@link #userCodeReach()}'s answer, once worked out. */
    private volatile io.governed.sql.UserCodeReach userCodeReach;

    public SqlText(String sql) {
        this.sql = Objects.requireNonNull(sql, "sql");
    }

    public String sql() {
        return sql;
    }

    /**
     * Whether the text means the same however a session of {@code dialect} reads backslashes in plain strings
     * ({@link io.governed.sql.SqlAnalyzer#stringsReadAlikeEitherWay}); worked out once per text and dialect.
     */
    public boolean stringsReadAlike(io.governed.sql.Dialect dialect) {
        int known = stringReadings;
        int base = dialect.ordinal() * 2;
        if (known == base + 1) {
            return true;
        }
        if (known == base + 2) {
            return false;
        }
        boolean alike = io.governed.sql.SqlAnalyzer.stringsReadAlikeEitherWay(sql, dialect);
        stringReadings = base + (alike ? 1 : 2);
        return alike;
    }

    /**
     * What this very text's tokens tell of the user code it may reach on PostgreSQL without naming a relation or routine
     * ({@link io.governed.sql.UserCodeReach}): worked out once per text and kept, as it depends on the text alone.
     */
    public io.governed.sql.UserCodeReach userCodeReach() {
        io.governed.sql.UserCodeReach known = userCodeReach;
        if (known == null) {
            known = io.governed.sql.UserCodeReach.of(sql);
            userCodeReach = known;
        }
        return known;
    }

    /**
     * The value memoised under {@code key}, computing and keeping it when the slot is empty or holds
     * another key's value. The slot holds one value: a second key displaces the first.
     */
    @SuppressWarnings("unchecked")
    public <T> T memoize(Object key, Function<String, T> compute) {
        Memo m = memo;
        if (m != null && m.key == key) {
            return (T) m.value;
        }
        T value = compute.apply(sql);
        memo = new Memo(key, value);
        return value;
    }

    /**
     * The analysis of this text by {@code analyzer} in {@code dialect}, memoised under {@code analyzer} as
     * {@link #memoize} does, with no function made for it: asked of every execution of a kept statement.
     */
    public io.governed.sql.SqlAnalysis analysis(io.governed.sql.SqlAnalyzer analyzer, io.governed.sql.Dialect dialect) {
        Memo m = memo;
        if (m != null && m.key == analyzer) {
            return (io.governed.sql.SqlAnalysis) m.value;
        }
        io.governed.sql.SqlAnalysis value = analyzer.analyze(sql, dialect);
        memo = new Memo(analyzer, value);
        return value;
    }

    /**
     * The decision {@code decider} remembered for this very identity object, name resolution
     * (a session's state: equal when nothing changed, or a renewal of it {@linkplain Continuing continuing} it) and
     * routine catalog object, or {@code null}. Identities are compared by
     * reference: a scoped or connection identity is one object for as long as it is in force, and
     * comparing by reference costs nothing.
     */
    public Decision rememberedDecision(Object decider, Identity identity, Object names, Object routines) {
        RememberedDecision d = decision;
        if (d == null || d.decider != decider || d.identity != identity || d.routines != routines) {
            return null;
        }
        if (Objects.equals(d.names, names)) {
            return d.decision;
        }
        if (!sameNames(d.names, names)) {
            return null;
        }
        decision = new RememberedDecision(decider, identity, names, routines, d.decision); // found by reference next time
        return d.decision;
    }

    /**
     * Remembers a decision that may be reused for the same identity, name resolution and routine catalog (the
     * connection's, compared by reference) (one is kept).
     */
    public void rememberDecision(Object decider, Identity identity, Object names, Object routines, Decision decided) {
        decision = new RememberedDecision(decider, identity, names, routines, decided);
    }

    /**
     * What {@code resolver} made of this very {@code analysis} under this very {@code names} object (a
     * session's snapshot, one object for as long as the session is unchanged, or a renewal of it
     * {@linkplain Continuing continuing} it), or {@code null}. All three are compared by reference: a kept prepared
     * statement finds its last resolution without hashing.
     */
    @SuppressWarnings("unchecked")
    public <T> T rememberedResolution(Object resolver, Object analysis, Object names) {
        RememberedResolution r = resolution;
        if (r == null || r.resolver != resolver || r.analysis != analysis) {
            return null;
        }
        if (r.names == names) {
            return (T) r.resolved;
        }
        if (!sameNames(r.names, names)) {
            return null;
        }
        resolution = new RememberedResolution(resolver, analysis, names, r.resolved); // found by reference next time
        return (T) r.resolved;
    }

    /** Remembers what {@code resolver} made of {@code analysis} under {@code names} (one is kept). */
    public void rememberResolution(Object resolver, Object analysis, Object names, Object resolved) {
        resolution = new RememberedResolution(resolver, analysis, names, resolved);
    }

    /**
     * What a stage worked out from this text and this very {@code analysis} object alone, or {@code null}: compared by
     * reference, so that the text analysed again (another analysis object) finds nothing. One is kept.
     */
    @SuppressWarnings("unchecked")
    public <T> T rememberedTraits(Object analysis) {
        RememberedTraits t = traits;
        return t != null && t.analysis == analysis ? (T) t.traits : null;
    }

    /** Remembers what was worked out from this text and {@code analysis} alone (one is kept). */
    public void rememberTraits(Object analysis, Object worked) {
        traits = new RememberedTraits(Objects.requireNonNull(analysis, "analysis"), worked);
    }

    @Override
    public String toString() {
        return sql;
    }

    /**
     * The words of a text that is one short statement, lower case and one space apart, a closing semicolon left out;
     * {@code null} when, so stripped, it is longer than {@code maxLength} or holds a semicolon (several statements).
     */
    public static String words(String sql, int maxLength) {
        String text = sql.strip();
        if (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        if (text.length() > maxLength || text.indexOf(';') >= 0) {
            return null;
        }
        return String.join(" ", text.toLowerCase(Locale.ROOT).split("\\s+"));
    }
}
