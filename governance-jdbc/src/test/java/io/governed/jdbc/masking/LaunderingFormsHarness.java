package io.governed.jdbc.masking;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.ExceptionTexts;
import io.governed.policy.load.PolicyLoader;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Laundering of a masked SSN through forms of SQL the generated sequences of {@link LaunderingAcrossStatementsSpec} do
 * not try: statements prepared by name, code the agent creates or calls (routines, triggers, rules, events, blocks),
 * the server's side channels (notifications, locks, settings, files, large objects, comments) and the messages of the
 * database's errors and warnings. An agent with the mask on {@code ssn} and write permits on its own {@code lq_*}
 * tables runs a form's statements in turn; after each statement a raw connection reads every place the agent could
 * read ({@link ClearPlaces}), and neither those nor anything the agent got back (rows through every getter, update
 * counts, warnings of the statement and connection, every text of an exception) may hold an SSN in clear.
 */
final class LaunderingFormsHarness {
    /** The SSNs of {@code lq_people}: not numbers the fixture or a message would hold for another reason. */
    static final List<String> SSNS = List.of("512-34-7788", "623-41-9905", "734-52-8816");

    static final String POLICY = """
            version: 1
            default: deny
            on-unparseable: deny
            classification:
              auto-detect: false
              tags:
                pii.ssn: ["*.ssn"]
            rules:
              - id: agents-read
                effect: permit
                principals: { kinds: [agent], on-behalf-of: required }
                actions: [select, set, call]
                resources: ["*"]
              - id: agents-write-own-tables
                effect: permit
                principals: { kinds: [agent], on-behalf-of: required }
                actions: [insert, update, delete, merge, create, alter]
                resources: ["lq_*", "*.lq_*"]
            masks:
              - id: hide-ssn
                columns: { tags: [pii.ssn] }
                function: redact
            """;

    /**
     * {@link #POLICY} with a rule that lets the agent run and define code and change unlisted settings: the escape
     * traits {@code dynamic-sql} and {@code unlisted-setting} named, and the action {@code define-code}, as a policy that trusts an
     * agent with its own routines would. The mask must hold all the same.
     */
    static final String PERMISSIVE_POLICY = POLICY.replace("\nmasks:", """

              - id: agents-define-code
                effect: permit
                principals: { kinds: [agent], on-behalf-of: required }
                actions: [define-code, call, execute, comment, copy, lock, show, transaction, other]
                resources: ["*"]
              - id: agents-run-code
                effect: permit
                principals: { kinds: [agent], on-behalf-of: required }
                actions: [select, insert, update, delete, merge, create, alter, call, execute, set, show, define-code,
                  comment, copy, lock, transaction, other]
                resources: ["*"]
                when: { traits: [dynamic-sql, unlisted-setting] }
            masks:""");

    static {
        if (PERMISSIVE_POLICY.equals(POLICY)) {
            throw new IllegalStateException("the permissive policy adds no rule to the policy");
        }
    }

    static final Identity AGENT = Identity.builder("support-bot").kind(IdentityKind.AGENT)
            .onBehalfOf(Identity.human("ann")).purpose("ticket 12").build();
    static final Governance GOVERNANCE = Governance.builder()
            .policy(PolicyLoader.fromString("laundering-forms.yaml", POLICY)).withoutAudit().defaultIdentity(AGENT).build();
    static final Governance PERMISSIVE = Governance.builder()
            .policy(PolicyLoader.fromString("laundering-forms-permissive.yaml", PERMISSIVE_POLICY)).withoutAudit()
            .defaultIdentity(AGENT).build();

    /** What a form expects beyond never leaking. */
    enum Expect {
        /** Any outcome, as long as nothing leaks. */
        NO_LEAK,
        /** Every statement of the form runs (a harmless use the policy permits). */
        ALLOWED,
        /** The statements the form marks with {@link #REFUSE} are refused by governance (42501). */
        REFUSED
    }

    /** A statement the form expects refused (42501) starts with this mark. */
    static final String REFUSE = "!refuse ";

    /** A form: its name, its statements in turn, what it expects. */
    record Form(String name, Expect expect, List<String> statements) {
        static Form of(String name, Expect expect, String... statements) {
            return new Form(name, expect, List.of(statements));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every place outside the masked column the agent could read, as the database's owner reads it. */
    interface ClearPlaces {
        String read(Connection raw) throws SQLException;
    }

    /** A server corpus's fixture or its removal, run around each form. */
    interface Step {
        void run() throws SQLException;
    }

    private LaunderingFormsHarness() {
    }

    /**
     * The tables every dialect's forms run over, made through {@code s} in its current schema or database: {@code
     * lq_people} with the {@link #SSNS}, the clear tables {@code lq_clear} (two rows) and {@code lq_mid}, the number
     * table {@code lq_num} and the sequence {@code lq_seq}.
     */
    static void sharedTables(Statement s) throws SQLException {
        s.execute("CREATE TABLE lq_people(id INT PRIMARY KEY, name VARCHAR(200) NOT NULL, ssn VARCHAR(11) UNIQUE)");
        for (int i = 0; i < SSNS.size(); i++) {
            s.execute("INSERT INTO lq_people VALUES (" + (i + 1) + ", 'name " + (i + 1) + "', '" + SSNS.get(i) + "')");
        }
        s.execute("CREATE TABLE lq_clear(id INT PRIMARY KEY, note VARCHAR(200))");
        s.execute("INSERT INTO lq_clear VALUES (1, 'n1'), (2, 'n2')");
        s.execute("CREATE TABLE lq_mid(id INT, note VARCHAR(200))");
        s.execute("CREATE TABLE lq_num(id INT, n BIGINT)");
        s.execute("CREATE SEQUENCE lq_seq START WITH 1");
    }

    /**
     * One test per form of {@code forms}, each between {@code fixture} and {@code drop}: {@link #check(Form, DataSource,
     * ClearPlaces, List, boolean)} under the policy {@code permissive} says.
     */
    static java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> tests(List<Form> forms, Step fixture, Step drop,
            DataSource source, ClearPlaces places, List<String> readBacks, boolean permissive) {
        return forms.stream().map(form -> org.junit.jupiter.api.DynamicTest.dynamicTest(form.name(), () -> {
            fixture.run();
            try {
                check(form, source, places, readBacks, permissive);
            } finally {
                drop.run();
            }
        }));
    }

    /**
     * Runs {@code form} as the agent over {@code source}, then {@code readBacks} (what the agent would read to collect
     * what it left); checks after each statement that the clear places hold no SSN, and at the end that nothing the
     * agent saw did, and what the form expects.
     */
    static void check(Form form, DataSource source, ClearPlaces places, List<String> readBacks) throws SQLException {
        check(form, source, places, readBacks, false);
    }

    /**
     * {@link #check(Form, DataSource, ClearPlaces, List)} under {@link #PERMISSIVE_POLICY} when {@code permissive}:
     * then a form's refusals are not expected (the policy may permit the statement), its harmless uses still are.
     */
    static void check(Form form, DataSource source, ClearPlaces places, List<String> readBacks, boolean permissive)
            throws SQLException {
        try (Connection raw = source.getConnection();
             Connection agent = new GovernedDataSource(source, permissive ? PERMISSIVE : GOVERNANCE).getConnection()) {
            for (String step : form.statements()) {
                boolean refuse = step.startsWith(REFUSE);
                String sql = refuse ? step.substring(REFUSE.length()) : step;
                String outcome = outcome(agent, sql);
                assertNoSsn(form, "what the agent got from " + sql, outcome);
                assertNoSsn(form, "the clear places after " + sql, places.read(raw));
                if (form.expect() == Expect.ALLOWED) {
                    assertThat(outcome).as("%s: the harmless %s", form, sql).doesNotStartWith("failed");
                }
                if (refuse && form.expect() == Expect.REFUSED && !permissive) {
                    assertThat(outcome).as("%s: %s", form, sql).startsWith("failed: 42501");
                }
            }
            for (String read : readBacks) {
                String outcome = outcome(agent, read);
                assertNoSsn(form, "what the agent read back with " + read, outcome);
            }
            SQLWarning w = agent.getWarnings();
            StringBuilder warnings = new StringBuilder();
            warnings(w, warnings);
            assertNoSsn(form, "the connection's warnings", warnings.toString());
        }
    }

    static void assertNoSsn(Form form, String where, String text) {
        for (String ssn : SSNS) {
            assertThat(text).as("%s: %s holds an SSN in clear", form, where)
                    .doesNotContain(ssn).doesNotContain(ssn.replace("-", ""));
        }
    }

    /** What the agent sees of one statement run through {@link Statement#execute}: every result, warnings, the error. */
    static String outcome(Connection c, String sql) {
        StringBuilder out = new StringBuilder();
        try (Statement s = c.createStatement()) {
            boolean more = s.execute(sql);
            for (int i = 0; i < 20; i++) {
                if (more) {
                    try (ResultSet rs = s.getResultSet()) {
                        out.append("rows ").append(LaunderingAcrossStatementsSpec.rows(rs));
                        warnings(rs.getWarnings(), out);
                    }
                } else {
                    int count = s.getUpdateCount();
                    if (count == -1) {
                        break;
                    }
                    out.append("count ").append(count);
                }
                more = s.getMoreResults();
                out.append("; ");
            }
            warnings(s.getWarnings(), out);
        } catch (SQLException e) {
            return out.insert(0, "failed: " + e.getSQLState() + " " + e.getMessage() + " ")
                    .append(String.join(" / ", ExceptionTexts.of(e))).toString();
        }
        return out.toString();
    }

    private static void warnings(SQLWarning w, StringBuilder out) {
        for (; w != null; w = w.getNextWarning()) {
            out.append(" warning ").append(w.getSQLState()).append(' ').append(w.getMessage());
            for (String t : ExceptionTexts.of(w)) {
                out.append(" / ").append(t);
            }
        }
    }

    /** The rows of {@code sql} through the raw connection, as text, or the error it gave. */
    static String rowsOf(Connection raw, String sql) {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return sql + ": " + LaunderingAcrossStatementsSpec.rows(rs) + "\n";
        } catch (SQLException e) {
            return sql + ": failed " + e.getMessage() + "\n";
        }
    }
}
