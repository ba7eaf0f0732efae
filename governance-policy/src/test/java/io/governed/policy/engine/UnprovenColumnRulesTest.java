package io.governed.policy.engine;

import io.governed.classification.QualifiedColumn;
import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With auto-detection on, a column the driver read before the decision and could not settle counts for copy-out and
 * inference as a column the masks selecting detected tags cover: when its values could not be read, or a detector
 * recognised some of them, too few yet to settle it. A column never read (a decision made without a database, as
 * {@code policy test} makes them), or read and found holding nothing recognised, is decided by its tags as before.
 */
class UnprovenColumnRulesTest {

    private static final Identity ANN = human("ann", "staff");
    private static final Identity AUDITOR = human("aude", "auditors");

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("unproven.yaml", """
            version: 1
            default: deny
            classification: { auto-detect: true, tags: { pii.email: ["*.email"], hr.pay: ["*.salary"] } }
            rules:
              - { id: staff, effect: permit, principals: { groups: [staff, auditors] }, actions: [select, insert], resources: ["*"] }
            masks:
              - { id: mask-email, columns: { tags: [pii.email] }, function: email, unless: { groups: [auditors] } }
              - { id: mask-pay, columns: { tags: [hr.pay] }, function: redact }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private Decision decide(Identity identity, String sql) {
        return engine.decide(identity, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(new CatalogStub()));
    }

    private static final String COPY = "INSERT INTO s.notes (note) SELECT replace(owner, '@', ' at ') FROM s.rooms";

    @Test
    void aColumnNeverReadIsDecidedByItsTagsAsBefore() {
        assertThat(decide(ANN, COPY).allowed()).isTrue();
    }

    @Test
    void aColumnWhoseValuesCouldNotBeReadCountsAsMaskedForTheCopyOfWhatIsComputedFromIt() {
        engine.maskPlanner().sampler(new QualifiedColumn("s", "rooms", "owner"), Dialect.POSTGRESQL)
                .readOut(null, 16, System.nanoTime());
        Decision decision = decide(ANN, COPY);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.rules()).containsExactly("mask-email");
        assertThat(decision.reason()).contains("s.rooms.owner").contains("its values could not be read")
                .contains("classification.tags");
    }

    @Test
    void aColumnHoldingAFewRecognisedValuesCountsAsMaskedForCopiesAndItsReadersFilters() {
        engine.maskPlanner().sampler(new QualifiedColumn("s", "rooms", "owner"), Dialect.POSTGRESQL)
                .readOut(List.of("ann.example@example.org", "north hall"), 16, System.nanoTime());
        assertThat(decide(ANN, COPY).allowed()).isFalse();
        assertThat(decide(ANN, COPY).reason()).contains("holds values auto-detection recognises, too few yet to classify it");
        // as for a tagged column: whom the mask exempts may copy it (the other mask applying to them selects no detected tag)
        assertThat(decide(AUDITOR, COPY).allowed()).isTrue();
        assertThat(decide(ANN, "INSERT INTO s.notes (note) SELECT upper(label) FROM s.rooms").allowed()).isTrue();
    }

    @Test
    void aColumnReadAndFoundHoldingNothingRecognisedIsDecidedByItsTags() {
        engine.maskPlanner().sampler(new QualifiedColumn("s", "rooms", "owner"), Dialect.POSTGRESQL)
                .readOut(List.of("north hall", "south hall"), 16, System.nanoTime());
        assertThat(decide(ANN, COPY).allowed()).isTrue();
    }

    @Test
    void aColumnReadUnderItsTableNameAloneCountsForTheDecisionNamingItsSchema() {
        // the driver read the column as the statement names its table (the session could not place it); the decision
        // names it with the schema it assumes
        engine.maskPlanner().sampler(new QualifiedColumn(null, "rooms", "owner"), Dialect.POSTGRESQL)
                .readOut(null, 16, System.nanoTime());
        assertThat(decide(ANN, "INSERT INTO notes (note) SELECT replace(owner, '@', ' at ') FROM rooms").allowed()).isFalse();
    }
}
