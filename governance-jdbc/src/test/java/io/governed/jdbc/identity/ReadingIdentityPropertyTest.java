package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.policy.load.PolicyLoader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.h2.jdbcx.JdbcDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated sequences of changes to who reads a result (the connection's own identity set or cleared, a scope opened
 * around one value) between reads through several getters, by index and by label, of a masked column and a clear one,
 * across rows. Every value of the masked column must be clear exactly when both the identity the statement ran as and
 * the one reading it now may see it, whatever was read before and for whom: the result keeps the reader it decided
 * only while the identity reading cannot have changed, and a value read once for one identity is never handed to
 * another from what the result kept.
 */
class ReadingIdentityPropertyTest {
    private static final int ROWS = 3;
    private static final String MASKED = "****";
    private static final Identity READER = Identity.builder("rita").groups("ssn-readers").build();
    /** Equal to {@link #READER}, another object: the result may not tell them apart by reference. */
    private static final Identity READER_AGAIN = Identity.builder("rita").groups("ssn-readers").build();
    private static final Identity OUTSIDER = Identity.human("otto");
    /** Who may change, or read as: {@code null} clears the connection's own identity (the default, {@link #READER}, then). */
    private static final List<Identity> WHO = java.util.Arrays.asList(READER, READER_AGAIN, OUTSIDER, null);
    private static final String POLICY = KeptReadingIdentityTest.POLICY;

    enum Kind { SET_OWN, READ, READ_IN_SCOPE, NEXT_ROW }

    enum Getter { STRING_BY_INDEX, STRING_BY_LABEL, OBJECT_BY_INDEX, OBJECT_BY_LABEL, NSTRING_BY_INDEX }

    record Step(Kind kind, int who, Getter getter, boolean ssn) {
        @Override
        public String toString() {
            return switch (kind) {
                case SET_OWN -> "setIdentity(" + name(WHO.get(who)) + ")";
                case READ -> getter + (ssn ? " ssn" : " name");
                case READ_IN_SCOPE -> "in " + name(WHO.get(who)) + "'s scope " + getter + (ssn ? " ssn" : " name");
                case NEXT_ROW -> "next()";
            };
        }
    }

    private static String name(Identity identity) {
        return identity == null ? "null" : identity == READER_AGAIN ? "rita (another object)" : identity.principal();
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, WHO.size() - 1),
                Arbitraries.of(Getter.class),
                Arbitraries.of(true, false)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<Integer> openers() {
        return Arbitraries.integers().between(0, WHO.size() - 1);
    }

    @Property(tries = 200)
    void aMaskedValueIsClearExactlyWhenTheIdentityThatRanTheStatementAndTheOneReadingMaySeeIt(
            @ForAll("openers") int opener, @ForAll("steps") List<Step> steps) throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:reading-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection raw = h2.getConnection(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(20))");
            for (int row = 1; row <= ROWS; row++) {
                s.execute("INSERT INTO people VALUES (" + row + ", 'name-" + row + "', '219-45-678" + row + "')");
            }
            Governance governance = Governance.builder().policy(PolicyLoader.fromString("reading.yaml", POLICY))
                    .defaultIdentity(READER).withoutAudit().build();
            try (Connection c = new GovernedDataSource(h2, governance).getConnection()) {
                GovernedConnection governed = c.unwrap(GovernedConnection.class);
                governed.setIdentity(WHO.get(opener));
                Identity ranAs = effective(WHO.get(opener));
                Identity own = WHO.get(opener);
                try (Statement statement = c.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT name, ssn FROM people ORDER BY id")) {
                    int row = 1;
                    assertThat(rs.next()).isTrue();
                    for (int n = 0; n < steps.size(); n++) {
                        Step step = steps.get(n);
                        String at = "step " + n + " (" + step + ") of " + steps + ", run as " + name(WHO.get(opener));
                        switch (step.kind()) {
                            case SET_OWN -> {
                                own = WHO.get(step.who());
                                governed.setIdentity(own);
                            }
                            case NEXT_ROW -> {
                                if (row < ROWS) {
                                    assertThat(rs.next()).as(at).isTrue();
                                    row++;
                                }
                            }
                            case READ -> assertThat(read(rs, step)).as(at).isEqualTo(expected(step, row, ranAs, effective(own)));
                            case READ_IN_SCOPE -> {
                                Identity scoped = WHO.get(step.who());
                                Identity reading = scoped == null ? effective(own) : scoped;
                                Object value = scoped == null ? read(rs, step)
                                        : IdentityContext.runAs(scoped, () -> read(rs, step));
                                assertThat(value).as(at).isEqualTo(expected(step, row, ranAs, reading));
                            }
                        }
                    }
                }
            }
        }
    }

    /** The identity a statement runs as, or a value is read by, when {@code own} is the connection's and no scope is open. */
    private static Identity effective(Identity own) {
        return own == null ? READER : own;
    }

    private static boolean maySee(Identity identity) {
        return identity.groups().contains("ssn-readers");
    }

    private static Object expected(Step step, int row, Identity ranAs, Identity reading) {
        if (!step.ssn()) {
            return "name-" + row;
        }
        return maySee(ranAs) && maySee(reading) ? "219-45-678" + row : MASKED;
    }

    private static Object read(ResultSet rs, Step step) throws SQLException {
        String label = step.ssn() ? "ssn" : "name";
        int index = step.ssn() ? 2 : 1;
        return switch (step.getter()) {
            case STRING_BY_INDEX -> rs.getString(index);
            case STRING_BY_LABEL -> rs.getString(label);
            case OBJECT_BY_INDEX -> rs.getObject(index);
            case OBJECT_BY_LABEL -> rs.getObject(label);
            case NSTRING_BY_INDEX -> rs.getNString(index);
        };
    }
}
