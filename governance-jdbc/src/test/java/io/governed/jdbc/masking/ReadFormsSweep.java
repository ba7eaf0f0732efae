package io.governed.jdbc.masking;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.DynamicTest;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forms of reading, copying, describing or failing on a masked SSN, each run in turn by two callers a redact mask on
 * {@code ssn} applies to: an agent acting for a human (inference refused to it) and a human analyst (who may compute on
 * the column and read the result redacted), both permitted to write their own {@code lq_*} tables. After each statement
 * a raw connection reads every clear place ({@link LaunderingFormsHarness.ClearPlaces}); neither those nor anything the
 * caller got back through {@link SeenEverywhere} (every getter, update counts, generated keys, warnings, every text of an
 * exception) may hold an SSN. The statement's own text is not counted: a form may name a guess of its own.
 */
final class ReadFormsSweep {
    static final String POLICY = LaunderingFormsHarness.POLICY.replace("\nmasks:", """

              - id: analysts
                effect: permit
                principals: { groups: [analysts] }
                actions: [select, set, call, insert, update, delete, merge, create, alter, show, transaction, other, copy]
                resources: ["*"]
            masks:""");
    static final Identity ANALYST = Identity.builder("al").kind(IdentityKind.HUMAN).groups("analysts").build();
    static final List<Identity> CALLERS = List.of(LaunderingFormsHarness.AGENT, ANALYST);

    static {
        if (POLICY.equals(LaunderingFormsHarness.POLICY)) {
            throw new IllegalStateException("the analysts' rule was not added");
        }
    }

    /** A write, run asking for generated keys (pgjdbc appends {@code RETURNING *} to one without a RETURNING). */
    private static final java.util.regex.Pattern WRITE = java.util.regex.Pattern.compile("(INSERT|UPDATE|DELETE|MERGE|REPLACE)\\b");

    private ReadFormsSweep() {
    }

    /** A database's fresh copy of the shared tables for one form: the data source to run it on. */
    interface Fixture {
        DataSource open() throws Exception;
    }

    /** Removes what {@link Fixture#open} made. */
    interface Drop {
        void run() throws Exception;
    }

    /** One test per caller and form. */
    static Stream<DynamicTest> tests(List<List<String>> forms, Fixture fixture, LaunderingFormsHarness.ClearPlaces places,
                                     Drop drop) {
        return CALLERS.stream().flatMap(who -> forms.stream().map(form -> DynamicTest.dynamicTest(
                who.principal() + ": " + String.join("; ", form), () -> {
                    DataSource source = fixture.open();
                    try {
                        run(who, form, source, places);
                    } finally {
                        drop.run();
                    }
                })));
    }

    private static void run(Identity who, List<String> form, DataSource source, LaunderingFormsHarness.ClearPlaces places)
            throws SQLException {
        Governance g = Governance.builder().policy(PolicyLoader.fromString("read-forms.yaml", POLICY)).withoutAudit()
                .defaultIdentity(who).build();
        try (Connection raw = source.getConnection(); Connection c = new GovernedDataSource(source, g).getConnection()) {
            for (String sql : form) {
                String seen = SeenEverywhere.of(c, sql, WRITE.matcher(sql).lookingAt());
                assertNoSsn(who.principal() + " got from " + sql, seen);
                assertNoSsn("the clear places after " + who.principal() + " ran " + sql, places.read(raw));
            }
        }
    }

    static void assertNoSsn(String where, String text) {
        for (String ssn : LaunderingFormsHarness.SSNS) {
            StringBuilder hex = new StringBuilder();
            for (char ch : ssn.toCharArray()) {
                hex.append(String.format("%02x", (int) ch));
            }
            assertThat(text).as("%s holds an SSN in clear", where)
                    .doesNotContain(ssn).doesNotContain(ssn.replace("-", "")).doesNotContainIgnoringCase(hex);
        }
    }
}
