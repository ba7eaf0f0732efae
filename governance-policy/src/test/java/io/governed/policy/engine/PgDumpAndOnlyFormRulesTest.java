package io.governed.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/*
 * pg_dump's forms (ALTER TABLE ONLY …, a function's $$ body over several lines, COMMENT ON FUNCTION, ALTER SCHEMA …
 * OWNER TO) and UPDATE ONLY / DELETE FROM ONLY are judged as the same statements without ONLY, or in the form the
 * parser reads, are: a masked migration identity and a clerk get the same decision, naming the same rules, for each
 * pair; a hidden routine call over the masked column is refused either way.
 */
class PgDumpAndOnlyFormRulesTest {

    private static final Identity MIGRATOR = Identity.builder("flyway").groups("migrations").kind(IdentityKind.SERVICE)
            .purpose("migration").build();
    private static final Identity CLERK = Identity.builder("cleo").groups("clerks").kind(IdentityKind.HUMAN).build();

    private static final PolicyEngine ENGINE = new PolicyEngine(PolicyLoader.fromString("forms.yaml", """
            version: 1
            default: deny
            classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: migrations, effect: permit, principals: { groups: [migrations] }, actions: ["*"], resources: ["*"] }
              - { id: clerks-write, effect: permit, principals: { groups: [clerks] },
                  actions: [select, update, delete, comment], resources: ["app.*"] }
              - { id: no-unbounded, effect: forbid, actions: [update, delete], when: { where: absent },
                  unless: { groups: [migrations] } }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: redact, deny-inference: [human, service] }
            """));

    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();

    private Decision decide(Identity who, String sql) {
        return ENGINE.decide(who, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ALTER TABLE ONLY app.customers\\n    ADD CONSTRAINT c_leak CHECK (app.leak(ssn))"
                    + " | ALTER TABLE app.customers ADD CONSTRAINT c_leak CHECK (app.leak(ssn)) | false",
            "ALTER TABLE ONLY app.customers ALTER COLUMN name SET DEFAULT app.leak_default()"
                    + " | ALTER TABLE app.customers ALTER COLUMN name SET DEFAULT app.leak_default() | ",
            "ALTER TABLE ONLY app.customers ALTER COLUMN id SET DEFAULT nextval('app.customers_id_seq'::regclass)"
                    + " | ALTER TABLE app.customers ALTER COLUMN id SET DEFAULT nextval('app.customers_id_seq'::regclass) | ",
            "ALTER TABLE ONLY app.customers\\n    ADD CONSTRAINT customers_pkey PRIMARY KEY (id)"
                    + " | ALTER TABLE app.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id) | ",
            "CREATE FUNCTION app.peek(c integer) RETURNS text\\n    LANGUAGE sql STABLE\\n    AS $$ SELECT ssn FROM app.customers WHERE id = c $$"
                    + " | CREATE FUNCTION app.peek(c integer) RETURNS text LANGUAGE sql STABLE AS $$ SELECT ssn FROM app.customers WHERE id = c $$ | ",
            "UPDATE ONLY app.customers SET name = ssn WHERE id = 1 | UPDATE app.customers SET name = ssn WHERE id = 1 | false",
            "DELETE FROM ONLY app.customers WHERE app.leak(ssn) | DELETE FROM app.customers WHERE app.leak(ssn) | false",
            "DELETE FROM ONLY app.customers WHERE ssn = '123-45-6789' | DELETE FROM app.customers WHERE ssn = '123-45-6789' | false",
            "UPDATE ONLY app.customers SET name = 'x' | UPDATE app.customers SET name = 'x' | ",
            "DELETE FROM ONLY app.customers WHERE id = 1 | DELETE FROM app.customers WHERE id = 1 | ",
            "UPDATE ONLY app.customers SET name = 'x' WHERE id = 1 RETURNING ssn | UPDATE app.customers SET name = 'x' WHERE id = 1 RETURNING ssn | ",
    })
    void eachFormIsJudgedAsItsReadEquivalent(String written, String equivalent, Boolean migratorAllowed) {
        String form = written.replace("\\n", "\n"); // pg_dump's line breaks
        for (Identity who : new Identity[]{MIGRATOR, CLERK}) {
            Decision judged = decide(who, form);
            Decision plain = decide(who, equivalent);
            assertThat(analyzer.analyze(equivalent, Dialect.POSTGRESQL).parseError()).as(equivalent).isNull();
            assertThat(analyzer.analyze(form, Dialect.POSTGRESQL).parseError()).as(form).isNull();
            assertThat(judged.allowed()).as(who.principal() + ": " + form + " / " + judged.reason())
                    .isEqualTo(plain.allowed());
            assertThat(judged.rules()).as(who.principal() + ": " + form).isEqualTo(plain.rules());
        }
        if (migratorAllowed != null) {
            assertThat(decide(MIGRATOR, form).allowed()).as(form).isEqualTo(migratorAllowed);
            assertThat(decide(MIGRATOR, form).rules()).as(form).contains("mask-ssn");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "COMMENT ON FUNCTION app.touch_updated_at() IS 'Keeps updated_at current' | true",
            "ALTER SCHEMA app OWNER TO postgres                                      | false",
            "DELETE FROM ONLY app.customers WHERE id = 1                             | true",
            "DELETE FROM ONLY other.customers WHERE id = 1                           | false",
    })
    void aClerkIsJudgedOnTheObjectTheFormNames(String sql, boolean allowed) {
        Decision decision = decide(CLERK, sql);
        assertThat(decision.allowed()).as(sql + ": " + decision.reason()).isEqualTo(allowed);
        assertThat(analyzer.analyze(sql, Dialect.POSTGRESQL).parseError()).as(sql).isNull();
        assertThat(decide(MIGRATOR, sql).allowed()).as(sql).isTrue();
    }
}
