package io.governed.jdbc.channels;

import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.wrapper.GovernedConnection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.Provide;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail's error is value-free for every caller. A subclass plants a generated marker where the database reads
 * it (a row of a table whose column a mask covers, and, for some probes, a literal of the statement), then runs its
 * corpus (casts, duplicate keys, constraint details, too-long values, user code that composes its message or SQLState
 * from the value) through two governed connections: one of a caller the mask applies to, one of a caller it exempts,
 * who reads the database's messages as they are. No fragment of the marker may appear in any field of any audit event,
 * as the in-memory sink holds it and as the {@code jsonl} sink writes it.
 */
abstract class AuditTrailErrorsSpec extends ErrorChannelsSpec {
    static final String POLICY = """
            version: 1
            default: deny
            classification:
              tags:
                pii.secret: ["*.val"]
            rules:
              - { id: analysts-all, effect: permit, principals: { groups: [analysts] }, actions: ["*"], resources: ["*"] }
            masks:
              - { id: hide-val, columns: { tags: [pii.secret] }, function: redact, unless: { groups: [pii-readers] } }
            """;

    /** One governed connection with its own memory sink and jsonl file. */
    record Caller(String who, Connection connection, String sink, Path trail) {
        static Caller open(String who, String url, String user, String password, String policyYaml, String groups,
                           String sink) throws IOException, SQLException {
            Path policy = Files.createTempFile("gs-aerr-policy", ".yaml");
            Files.writeString(policy, policyYaml);
            Path trail = Files.createTempFile("gs-aerr-trail", ".jsonl");
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("password", password);
            p.setProperty("governed.policy", policy.toString());
            p.setProperty("governed.principal", who);
            p.setProperty("governed.groups", groups);
            p.setProperty("governed.audit", "memory:" + sink + ",jsonl:" + trail);
            return new Caller(who, DriverManager.getConnection(url, p), sink, trail);
        }

        void close() throws SQLException {
            connection.close();
        }
    }

    /** The caller a mask applies to. */
    abstract Caller masked();

    /** The caller the mask exempts. */
    abstract Caller unmasked();

    abstract Connection raw();

    /** Puts {@code marker} where the corpus's probes make the database read it. */
    abstract void plant(String marker) throws SQLException;

    /** The probes for {@code marker} (those with it as a literal of the statement included). */
    abstract List<String> probes(String marker);

    /** Runs every probe as both callers and returns what of the marker reached the audit trail. */
    List<Leak> trailLeaks(String marker) throws SQLException, IOException {
        plant(marker);
        List<Leak> leaks = new ArrayList<>();
        for (Caller caller : List.of(masked(), unmasked())) {
            long linesBefore = lines(caller.trail()).size();
            MemorySink.named(caller.sink()).clear();
            for (String probe : probes(marker)) {
                probe(caller.connection(), marker, probe, new ArrayList<>()); // what the caller sees is not this test's
            }
            caller.connection().unwrap(GovernedConnection.class).governance().flushAudit();
            List<AuditEvent> events = MemorySink.named(caller.sink()).events();
            assertThat(events).as("the probes are audited").hasSizeGreaterThanOrEqualTo(probes(marker).size());
            for (AuditEvent event : events) {
                checkFolded(marker, event.statement(), caller.who() + ": memory event" + (event.error() == null ? "" : " (error)"),
                        List.of(valueBearing(event)), leaks);
            }
            List<String> written = lines(caller.trail());
            assertThat(written.size() - linesBefore).as("the jsonl sink wrote the events").isGreaterThanOrEqualTo(events.size());
            for (String line : written.subList((int) linesBefore, written.size())) {
                ObjectNode fields = (ObjectNode) JSON.readTree(line);
                String statement = fields.path("statement").asText();
                fields.remove(GENERATED);
                if (fields.get("error") instanceof ObjectNode error && error.hasNonNull("message")) {
                    error.put("message", withoutListedVendorCode(new io.governed.jdbc.audit.AuditError(
                            error.path("sql_state").isNull() ? null : error.path("sql_state").asText(null),
                            error.get("message").asText())));
                }
                if (fields.get("error") instanceof ObjectNode error && error.hasNonNull("sql_state")) {
                    error.put("sql_state", unlistedState(error.get("sql_state").asText()));
                }
                checkFolded(marker, statement, caller.who() + ": jsonl line" + (fields.has("error") ? " (error)" : ""),
                        texts(fields, new ArrayList<>()), leaks);
            }
            MemorySink.named(caller.sink()).clear();
        }
        return leaks;
    }

    /**
     * As {@link ErrorChannelsSpec#check}, ignoring case: databases fold unquoted names ({@code qzxjvk} for
     * {@code Qzxjvk}), and a folded value is still the value.
     */
    static void checkFolded(String marker, String probe, String channel, List<String> texts, List<Leak> leaks) {
        for (String text : texts) {
            if (text == null) {
                continue;
            }
            String folded = withoutListedStates(text).toLowerCase(java.util.Locale.ROOT);
            for (String f : fragments(marker)) {
                if (folded.contains(f.toLowerCase(java.util.Locale.ROOT))) {
                    leaks.add(new Leak(probe, channel, f, text));
                    return;
                }
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The fields the driver generates (times, identifiers, hashes, digests, the policy file's temporary name), which no
     * statement can put a value in and whose random digits and hex letters a marker's fragment may match by chance.
     */
    private static final List<String> GENERATED = List.of("time", "event_id", "connection_id", "fingerprint",
            "duration_us", "rows", "policy", "prev_hash", "hash", "trace_id", "span_id");

    /** Every field of {@code event} a value could reach, as text: all but {@link #GENERATED}. */
    private static String valueBearing(AuditEvent e) {
        return String.join(" | ", String.valueOf(e.principal()), String.valueOf(e.kind()), String.valueOf(e.groups()), String.valueOf(e.onBehalfOf()),
                String.valueOf(e.purpose()), String.valueOf(e.action()), String.valueOf(e.statement()),
                String.valueOf(e.tables()), String.valueOf(e.columns()), String.valueOf(e.decision()),
                String.valueOf(e.rules()), String.valueOf(e.reason()), String.valueOf(e.maskedColumns()),
                e.error() == null ? "" : withoutListedVendorCode(e.error()) + " " + unlistedState(e.error().sqlState()),
                String.valueOf(e.identitySource()), String.valueOf(e.identityIssuer()),
                String.valueOf(e.identityKeyId()), String.valueOf(e.tokenId()), String.valueOf(e.approvalId()),
                String.valueOf(e.statementEventId()));
    }

    /** The text of every field name and value under {@code node}, decoded from JSON. */
    private static List<String> texts(JsonNode node, List<String> into) {
        if (node.isContainerNode()) {
            node.fieldNames().forEachRemaining(into::add);
            node.elements().forEachRemaining(child -> texts(child, into));
        } else {
            into.add(node.asText());
        }
        return into;
    }

    private static List<String> lines(Path trail) throws IOException {
        return Files.readAllLines(trail);
    }

    /**
     * {@link #markers} and shapes that put a value after a number a database prints first, or bare at the start: a
     * dotted name after a quoted number (PostgreSQL: {@code improper relation name (too many dotted names):
     * 7302958164.qzxjvk.wyqzx}), a number then words, words then a colon.
     */
    @Provide
    Arbitrary<String> trailMarkers() {
        Arbitrary<String> w = Arbitraries.strings().withChars("qxzjkvwy").ofMinLength(5).ofMaxLength(9);
        Arbitrary<String> d = Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(10);
        return Arbitraries.oneOf(markers(),
                Combinators.combine(d, w, w, w).as((a, b, c, e) -> "\"" + a + "\"." + b + "." + c + "." + e),
                Combinators.combine(d, w).as((a, b) -> a + " " + b),
                Combinators.combine(w, w).as((a, b) -> a + " " + b + ": x"));
    }

    @Property(tries = 10, shrinking = ShrinkingMode.OFF)
    void noFragmentOfAValueTheDatabaseQuotesReachesTheAuditTrail(@ForAll("trailMarkers") String marker) throws Exception {
        List<Leak> leaks = trailLeaks(marker);
        assertThat(leaks).as(() -> "marker " + marker.replace("\n", "\\n") + ": " + describe(leaks, 40)).isEmpty();
    }

    /** One marker of each shape the generator makes, so that every shape runs on every build. */
    static final List<String> EVERY_SHAPE = List.of("Qzxjvk", "7302958164", "Qzxjvk Wyqzxk Vkzqj", "qzxjv.wkyqz@vkzqj.org",
            "Qzxjvk\nWyqzxk", "Qzxjvk'Wyqzx\"Vkzqj`x", "Qzxjvk=(Wyqzx)", "Qzxjvk: Wyqzx, Qzxjvk", "ΩжQzxjvk€üWyqzx",
            "Qzxjvk-730295", "<Qzxjvk>Wyqzx</Qzxjvk", "{\"Qzxjvk\": Wyqzx}", "\"7302958164\".qzxjvk.wyqzx.vkzqj",
            "7302958164 qzxjvk", "qzxjvk wyqzx: x");

    @Example
    void noMarkerOfAnyShapeReachesTheAuditTrail() throws Exception {
        List<Leak> leaks = new ArrayList<>();
        for (String marker : EVERY_SHAPE) {
            leaks.addAll(trailLeaks(marker));
        }
        assertThat(leaks).as(() -> describe(leaks, 80)).isEmpty();
    }

    /** The corpus reaches messages that quote the value: through the database's own driver the marker shows. */
    @Example
    void throughTheDatabasesOwnDriverTheCorpusShowsTheMarker() throws SQLException {
        String marker = "Qzxjvk Wyqzxk";
        plant(marker);
        List<Leak> seen = new ArrayList<>();
        for (String probe : probes(marker)) {
            probe(raw(), marker, probe, seen);
        }
        assertThat(seen.stream().map(Leak::probe).distinct().count()).as(() -> describe(seen, 80))
                .isGreaterThanOrEqualTo(minimumQuoting());
    }

    /** How many probes at least quote the marker through the database's own driver. */
    abstract int minimumQuoting();

    static String literal(String marker) {
        return "'" + marker.replace("'", "''") + "'";
    }
}
