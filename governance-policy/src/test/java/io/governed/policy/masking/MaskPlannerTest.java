package io.governed.policy.masking;

import io.governed.classification.QualifiedColumn;
import io.governed.identity.Identity;
import io.governed.policy.Policy;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.StatementAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/** Which result columns a caller sees masked, and by which mask, under the design's reference policy. */
class MaskPlannerTest {

    private static final Policy REFERENCE = PolicyLoader.load("classpath:reference-policy.yaml");
    private static final Identity ANALYST = human("ann", "analysts");
    private static final Identity PII_READER = human("pia", "analysts", "pii-readers");

    private final MaskPlanner planner = MaskPlanner.of(REFERENCE);
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private List<String> masks(Identity identity, String sql) {
        return masks(identity, sql, Dialect.POSTGRESQL);
    }

    private List<String> masks(Identity identity, String sql, Dialect dialect) {
        StatementAnalysis statement = analyzer.analyze(sql, dialect).statements().get(0);
        return planner.plan(identity, statement, "public", dialect).columns().stream()
                .map(c -> c.mask() == null ? "clear" : c.mask().describe())
                .toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT ssn FROM customers",
            "SELECT ssn AS x FROM customers",
            "SELECT c.ssn FROM customers c",
            "SELECT s FROM (SELECT ssn AS s FROM customers) d",
            "WITH c AS (SELECT ssn AS s FROM customers) SELECT s FROM c",
            "SELECT name FROM products UNION SELECT ssn FROM customers",
    })
    void aCopyOfAnSsnIsPartiallyMaskedWhateverTheShape(String sql) {
        assertThat(masks(ANALYST, sql)).containsExactly("mask-ids (partial)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT upper(ssn) FROM customers",
            "SELECT substring(ssn, 2, 5) FROM customers",
            "SELECT max(ssn) FROM customers",
            "SELECT CAST(ssn AS text) FROM customers",
            "SELECT coalesce(ssn, 'none') FROM customers",
            "SELECT CASE WHEN id > 0 THEN ssn END FROM customers",
            "SELECT 'x' || ssn FROM customers",
            "SELECT (SELECT ssn FROM customers c WHERE c.id = o.customer_id) FROM orders o",
            "SELECT s FROM (SELECT lower(ssn) AS s FROM customers) d",
            "WITH c AS (SELECT ssn || '' AS s FROM customers) SELECT s FROM c",
    })
    void aValueComputedFromAnSsnIsRedactedSinceAPartialViewOfPiecesWouldRevealIt(String sql) {
        assertThat(masks(ANALYST, sql)).containsExactly("mask-ids (redact)");
    }

    @Test
    void countsRevealNothingAndStayClear() {
        assertThat(masks(ANALYST, "SELECT count(*), count(ssn) FROM customers")).containsExactly("clear", "clear");
    }

    @Test
    void aSequencesValueIsClearSoThatIdGeneratorsGetTheirIds() {
        // an ORM's id generator runs SELECT nextval('…'): a masked number would give every row the id 0
        assertThat(masks(ANALYST, "SELECT nextval('orders_id_seq'), currval('orders_id_seq'), lastval()"))
                .containsExactly("clear", "clear", "clear");
        assertThat(masks(ANALYST, "SELECT currval(pg_get_serial_sequence('orders', 'id'))")).containsExactly("clear");
        assertThat(masks(ANALYST, "SELECT NEXTVAL('orders_id_seq'), CURRVAL('orders_id_seq')", Dialect.H2))
                .containsExactly("clear", "clear");
        // setval is no listed built-in (it changes the sequence: a call a policy permits): its result is untraced
        assertThat(masks(ANALYST, "SELECT setval('orders_id_seq', length(ssn)) FROM customers"))
                .doesNotContain("clear");
        // MariaDB names the sequence as an identifier, which is no column, even when a column has its name
        assertThat(masks(ANALYST, "SELECT NEXTVAL(orders_seq), LASTVAL(orders_seq), NEXT VALUE FOR orders_seq",
                Dialect.MARIADB)).containsExactly("clear", "clear", "clear");
        assertThat(masks(ANALYST, "SELECT NEXTVAL(ssn) FROM customers", Dialect.MARIADB)).containsExactly("clear");
        // a function of the user's named like a pure built-in is user code, whose result may come from anywhere
        assertThat(masks(ANALYST, "SELECT public.lower('x'), mask('x')")).doesNotContain("clear");
    }

    @Test
    void stringAggregationOfEmailsIsMasked() {
        assertThat(masks(ANALYST, "SELECT string_agg(email, ',') FROM customers")).containsExactly("mask-email (redact)");
    }

    @Test
    void theStrictestMaskWinsWhenAColumnDerivesFromSeveralSensitiveColumns() {
        assertThat(masks(ANALYST, "SELECT email || ssn || api_key FROM customers")).containsExactly("hide-secrets (redact)");
        assertThat(masks(ANALYST, "SELECT email || ssn FROM customers")).containsExactly("mask-email (redact)");
        assertThat(masks(ANALYST, "SELECT CASE WHEN id > 0 THEN email ELSE api_key END FROM customers"))
                .containsExactly("hide-secrets (redact)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT card_number FROM payments UNION ALL SELECT email FROM customers",
            "SELECT email FROM customers UNION ALL SELECT ssn FROM customers",
            "SELECT u.v FROM (SELECT ssn AS v FROM customers UNION SELECT email FROM customers) u",
            "WITH u(v) AS (SELECT email FROM customers UNION ALL SELECT ssn FROM customers) SELECT v FROM u",
    })
    void aColumnHoldingValuesOfTwoMasksThatEachKeepADifferentPartIsRedacted(String sql) {
        // the e-mail mask keeps the first letter and the domain, the partial mask the length and the last four characters:
        // an e-mail through the partial mask (or an SSN through the e-mail mask) shows what its own mask hides
        assertThat(masks(ANALYST, sql)).hasSize(1).allSatisfy(m -> assertThat(m).endsWith("(redact)"));
    }

    @Test
    void namesDetectedWithoutAnExplicitTagAreMasked() {
        assertThat(masks(ANALYST, "SELECT customer_phone, id FROM customers")).containsExactly("clear", "clear");
        assertThat(masks(ANALYST, "SELECT billing_email FROM customers")).containsExactly("mask-email (email)");
        assertThat(masks(ANALYST, "SELECT access_token FROM sessions")).containsExactly("hide-secrets (redact)");
    }

    @Test
    void piiReadersSeeIdsAndEmailsButNotSecrets() {
        assertThat(masks(PII_READER, "SELECT ssn, email, api_key, name FROM customers"))
                .containsExactly("clear", "clear", "hide-secrets (redact)", "clear");
    }

    @Test
    void anAgentSeesNoMoreThanTheHumanItActsFor() {
        Identity readerAgent = Identity.builder("bot").groups("pii-readers").kind(io.governed.identity.IdentityKind.AGENT)
                .onBehalfOf(ANALYST).build();
        assertThat(masks(readerAgent, "SELECT ssn FROM customers")).containsExactly("mask-ids (partial)");
        assertThat(masks(agent("bot", PII_READER), "SELECT ssn FROM customers")).containsExactly("mask-ids (partial)");
    }

    @Test
    void starIsResolvedPerColumnWhenTheResultsCome() {
        StatementAnalysis star = analyzer.analyze("SELECT * FROM customers", Dialect.POSTGRESQL).statements().get(0);
        PlannedColumn column = planner.plan(ANALYST, star, "public", Dialect.POSTGRESQL).columns().get(0);
        assertThat(column.resolution()).isEqualTo(PlannedColumn.Resolution.EXPANDS);
        assertThat(planner.maskForColumn(ANALYST, new QualifiedColumn("public", "customers", "ssn"), Dialect.POSTGRESQL).maskId())
                .isEqualTo("mask-ids");
        assertThat(planner.maskForColumn(ANALYST, new QualifiedColumn("public", "customers", "name"), Dialect.POSTGRESQL)).isNull();
    }

    @Test
    void aStarOverAComputedValueIsRedactedAndOverACopyKeepsTheMasksFunction() {
        // the e-mail mask of 'x@' || replace(email, '@', '.') would keep the whole local part, after the first '@'
        assertThat(masks(ANALYST, "SELECT * FROM (SELECT 'x@' || replace(email, '@', '.') AS v FROM customers) s"))
                .containsExactly("mask-email (redact)");
        assertThat(masks(ANALYST, "WITH w AS (SELECT 'x@' || email AS v FROM customers) SELECT * FROM w"))
                .containsExactly("mask-email (redact)");
        assertThat(masks(ANALYST, "SELECT x FROM customers c, LATERAL concat('x@', c.email) AS x"))
                .containsExactly("mask-email (redact)");
        assertThat(masks(ANALYST, "SELECT * FROM (SELECT email AS v FROM customers) s")).containsExactly("mask-email (email)");
    }

    @Test
    void untraceableValuesAreRedactedUnlessTheResultsMetadataProvesThemHarmless() {
        StatementAnalysis statement = analyzer.analyze("SELECT open_cursor(), name FROM customers",
                Dialect.POSTGRESQL).statements().get(0);
        List<PlannedColumn> plan = planner.plan(ANALYST, statement, "public", Dialect.POSTGRESQL).columns();
        assertThat(plan.get(0).resolution()).isEqualTo(PlannedColumn.Resolution.UNTRACED);
        assertThat(plan.get(0).mask().function()).isEqualTo("redact");
        assertThat(plan.get(0).mask().maskId()).as("the strictest mask that applies").isEqualTo("hide-secrets");
        assertThat(plan.get(0).mask().reason()).contains("cannot trace", "ann");
        assertThat(plan.get(1).mask()).isNull();
    }

    @Test
    void valuesRecognisedByADetectorAreMaskedByTheMaskOfTheirTag() {
        assertThat(planner.maskForValue(ANALYST, "alice.smith@example.org").maskId()).isEqualTo("mask-email");
        assertThat(planner.maskForValue(ANALYST, "4111111111111111").maskId()).isEqualTo("mask-ids");
        assertThat(planner.maskForValue(ANALYST, "just some text")).isNull();
        assertThat(planner.maskForValue(PII_READER, "alice.smith@example.org")).isNull();
    }

    /**
     * MariaDB connections do not know their default schema. A three-part tag pattern could name the
     * table of an unqualified query there, so the column is masked (it used to be left clear).
     */
    @Test
    void aTagPatternNamingASchemaMasksATableWhoseSchemaIsUnknown() {
        MaskPlanner mariaDb = redacting("pii.ssn", "[\"shop.customers.ssn\"]");
        StatementAnalysis unqualified = analyzer.analyze("SELECT ssn, name FROM customers", Dialect.MARIADB).statements().get(0);
        List<PlannedColumn> plan = mariaDb.plan(ANALYST, unqualified, null, Dialect.MARIADB).columns();
        assertThat(plan.get(0).mask().maskId()).isEqualTo("m");
        assertThat(plan.get(0).mask().reason()).contains("may match pattern shop.customers.ssn", "schema is not known");
        assertThat(plan.get(1).mask()).isNull();
        StatementAnalysis elsewhere = analyzer.analyze("SELECT ssn FROM crm.customers", Dialect.MARIADB).statements().get(0);
        assertThat(mariaDb.plan(ANALYST, elsewhere, null, Dialect.MARIADB).columns().get(0).mask())
                .as("a known schema that differs").isNull();
    }

    /** Tag patterns are the loaded patterns themselves: a quote written twice inside quotes works for tags as for masks. */
    @Test
    void aQuotedTagPatternWithAnEscapedQuoteTagsItsColumn() {
        MaskPlanner quoted = redacting("pii.ssn", "['*.\"ssn \"\"old\"\"\"']");
        assertThat(quoted.maskForColumn(ANALYST, new QualifiedColumn("public", "people", "ssn \"old\""), Dialect.POSTGRESQL).maskId())
                .isEqualTo("m");
        assertThat(quoted.maskForColumn(ANALYST, new QualifiedColumn("public", "people", "ssn old"), Dialect.POSTGRESQL)).isNull();
    }

    /** Tags follow the dialect's folding: in PostgreSQL an unquoted pattern names the folded column, not a quoted mixed-case one. */
    @Test
    void tagPatternsFoldNamesAsEachDatabaseDoes() {
        MaskPlanner folding = redacting("pii.phone", "[\"*.phoneNumber\", '*.\"faxNumber\"']");
        assertThat(folding.explain(new QualifiedColumn("public", "people", "phonenumber"), Dialect.POSTGRESQL))
                .extracting(c -> c.tag()).containsExactly("pii.phone");
        assertThat(folding.explain(new QualifiedColumn("public", "people", "phoneNumber"), Dialect.POSTGRESQL)).isEmpty();
        assertThat(folding.explain(new QualifiedColumn("public", "people", "faxNumber"), Dialect.POSTGRESQL))
                .extracting(c -> c.tag()).containsExactly("pii.phone");
        assertThat(folding.explain(new QualifiedColumn("PUBLIC", "PEOPLE", "PHONENUMBER"), Dialect.H2))
                .extracting(c -> c.tag()).containsExactly("pii.phone");
        assertThat(folding.explain(new QualifiedColumn("shop", "people", "PhoneNumber"), Dialect.MARIADB))
                .extracting(c -> c.tag()).containsExactly("pii.phone");
    }

    /** A planner for a policy that gives {@code tag} to the columns of {@code patterns} (YAML) and redacts them for everyone: mask {@code m}. */
    private static MaskPlanner redacting(String tag, String patterns) {
        return MaskPlanner.of(PolicyLoader.fromString("p.yaml", "version: 1\n"
                + "classification: { tags: { " + tag + ": " + patterns + " } }\n"
                + "masks: [ { id: m, columns: { tags: [" + tag + "] }, function: redact } ]\n"));
    }

    @Test
    void aCallerNoMaskAppliesToGetsNoPlan() {
        Policy onlyExempt = PolicyLoader.fromString("p.yaml", """
                version: 1
                classification: { tags: { pii.ssn: ["*.ssn"] } }
                masks:
                  - { id: m, columns: { tags: [pii.ssn] }, function: redact, unless: { groups: [hr] } }
                """);
        StatementAnalysis statement = analyzer.analyze("SELECT ssn FROM people", Dialect.POSTGRESQL).statements().get(0);
        assertThat(MaskPlanner.of(onlyExempt).plan(human("h", "hr"), statement, null, Dialect.POSTGRESQL)).isSameAs(MaskPlan.NONE);
    }
}
