package io.governed.jdbc.audit;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.policy.load.PolicyLoader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.h2.jdbcx.JdbcDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Generated sequences of {@code addBatch}, {@code executeBatch} and {@code clearBatch} calls, each made by one of
 * three identities (the connection's own, and two agents in their {@code runAs} scopes), against a model of what a
 * batch of one identity does: whatever the order, every entry that reaches the database ran, and was audited, as the
 * identity that added it; a call by another identity is refused (42501) and changes nothing in the database.
 */
class BatchIdentityPropertyTest {
    private static final Identity SERVICE = Identity.builder("order-service").kind(IdentityKind.SERVICE).build();
    private static final List<Identity> CALLERS = List.of(SERVICE,
            Identity.builder("support-bot").kind(IdentityKind.AGENT).onBehalfOf(Identity.human("bob")).build(),
            Identity.builder("support-bot").kind(IdentityKind.AGENT).onBehalfOf(Identity.human("eve")).build());
    private static final int ROWS = 3;

    private JdbcDataSource h2;
    private Connection raw;

    enum Kind { ADD, EXECUTE, CLEAR }

    /** One call: {@code kind} made by {@code CALLERS.get(caller)}; an ADD updates row {@code row}. */
    record Call(Kind kind, int caller, int row) {
        @Override
        public String toString() {
            return kind + " by " + CALLERS.get(caller).describe() + (kind == Kind.ADD ? " of row " + row : "");
        }
    }

    @BeforeProperty
    void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:batch-properties-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        raw = h2.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE items(id INT PRIMARY KEY, name VARCHAR(40))");
            for (int row = 1; row <= ROWS; row++) {
                s.execute("INSERT INTO items VALUES (" + row + ", 'none')");
            }
        }
    }

    @AfterProperty
    void close() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    @Provide
    Arbitrary<List<Call>> calls() {
        Arbitrary<Call> call = Combinators.combine(
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, Arbitraries.just(Kind.ADD)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.EXECUTE)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.CLEAR))),
                Arbitraries.integers().between(0, CALLERS.size() - 1),
                Arbitraries.integers().between(1, ROWS)).as(Call::new);
        return call.list().ofMinSize(1).ofMaxSize(14);
    }

    @Property(tries = 150)
    void everyEntryRunsAsTheIdentityThatAddedIt(@ForAll("calls") List<Call> calls) throws Exception {
        try (Statement s = raw.createStatement()) {
            s.execute("UPDATE items SET name = 'none'");
        }
        ControllableSink sink = new ControllableSink();
        AuditDispatcher dispatcher = AuditDispatcher.start(List.of(sink), AuditSettings.defaults());
        String[] names = new String[ROWS + 1];
        Arrays.fill(names, "none");
        List<String> ranAs = new ArrayList<>();
        int refusals = 0;
        try (Connection governed = new GovernedDataSource(h2, Governance.builder().policy(PolicyLoader.baseline())
                .audit(dispatcher).defaultIdentity(SERVICE).build()).getConnection();
             Statement statement = governed.createStatement()) {
            List<Call> batch = new ArrayList<>();
            for (Call call : calls) {
                boolean another = !batch.isEmpty() && batch.get(0).caller() != call.caller();
                switch (call.kind()) {
                    case ADD -> {
                        String sql = "UPDATE items SET name = '" + name(call.caller()) + "' WHERE id = " + call.row();
                        if (another) {
                            assertRefused(call, () -> statement.addBatch(sql));
                            refusals++;
                        } else {
                            as(call, () -> statement.addBatch(sql));
                            batch.add(call);
                        }
                    }
                    case EXECUTE -> {
                        if (another) {
                            assertRefused(call, statement::executeBatch);
                            refusals++;
                        } else {
                            int[] counts = as(call, statement::executeBatch);
                            assertThat(Arrays.stream(counts).boxed().toList()).as(call.toString())
                                    .isEqualTo(java.util.Collections.nCopies(batch.size(), 1));
                            for (Call entry : batch) {
                                names[entry.row()] = name(entry.caller());
                                ranAs.add(CALLERS.get(entry.caller()).onBehalfOf() == null ? "-"
                                        : CALLERS.get(entry.caller()).onBehalfOf().principal());
                            }
                        }
                        batch.clear();
                    }
                    case CLEAR -> {
                        as(call, () -> {
                            statement.clearBatch();
                            return null;
                        });
                        batch.clear();
                    }
                }
            }
        } finally {
            assertThat(dispatcher.flush(Duration.ofSeconds(5))).as("the audit queue drained").isTrue();
            dispatcher.close();
        }
        assertThat(namesInTheDatabase()).as("the rows, read through the raw connection").containsExactly(
                Arrays.copyOfRange(names, 1, names.length));
        List<AuditEvent> events = sink.stored();
        assertThat(events.stream().filter(e -> e.decision() == AuditDecision.ALLOW)
                .map(e -> e.onBehalfOf() == null ? "-" : e.onBehalfOf()).toList())
                .as("whom each entry that ran was audited for, in order").containsExactlyElementsOf(ranAs);
        assertThat(events.stream().filter(e -> e.decision() == AuditDecision.DENY).count())
                .as("one refusal event a refused call").isEqualTo(refusals);
    }

    /** The name an entry of {@code caller} writes: whom it acts for, so that the database shows who wrote each row. */
    private static String name(int caller) {
        Identity identity = CALLERS.get(caller);
        return identity.onBehalfOf() == null ? identity.principal() : "for " + identity.onBehalfOf().principal();
    }

    private static <T> T as(Call call, IdentityContext.Work<T, SQLException> work) throws SQLException {
        Identity identity = CALLERS.get(call.caller());
        return identity == SERVICE ? work.run() : IdentityContext.runAs(identity, work);
    }

    private static void as(Call call, IdentityContext.VoidWork<SQLException> work) throws SQLException {
        as(call, () -> {
            work.run();
            return null;
        });
    }

    private static void assertRefused(Call call, IdentityContext.VoidWork<SQLException> work) {
        assertThatThrownBy(() -> as(call, work)).as(call.toString()).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }

    private List<String> namesInTheDatabase() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM items ORDER BY id")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
