package io.governed.policy.engine;

import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Action;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.WhereKind;
import org.junit.jupiter.api.Test;

import static io.governed.policy.Identities.human;
import static io.governed.policy.Statements.select;
import static io.governed.policy.Statements.statement;
import static io.governed.policy.Statements.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Until masks and row filters are enforced, what they protect does not leave in clear. */
class UnenforcedProtectionsTest {

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("protections.yaml", """
            version: 1
            classification:
              tags:
                pii.ssn: ["hr.people.ssn"]
            rules:
              - { id: everything, effect: permit, actions: ["*"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [hr] } }
              - { id: mask-salary, columns: { patterns: ["*.salary"] }, function: bucket, size: 10000 }
            row-filters:
              - { id: own-tenant, tables: ["shop.orders"], filter: "tenant = :identity.tenant", unless: { groups: [support] } }
            """));

    private Decision decide(SqlAnalysis analysis) {
        return engine.decide(human("x"), analysis);
    }

    @Test
    void aResultColumnDerivedFromATaggedColumnIsDeniedNamingTheMask() {
        Decision decision = decide(select("hr.people").column("last4", "hr.people.ssn").analysis());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).containsExactly("mask-ssn");
        assertThat(decision.reason()).isEqualTo("Result column 'last4' derives from hr.people.ssn, a column that mask mask-ssn "
                + "protects, and masking is not available yet: leave such columns out of the result, or be exempted from mask-ssn");
    }

    @Test
    void aColumnMatchingAMasksOwnPatternIsDenied() {
        Decision decision = decide(select("hr.pay").column("s", "hr.pay.salary").analysis());
        assertThat(decision.rules()).containsExactly("mask-salary");
    }

    @Test
    void lineageThroughExpressionsIsFollowed() {
        Decision decision = decide(select("hr.people", "hr.pay")
                .column("summary", "hr.people.name", "hr.pay.salary").analysis());
        assertThat(decision.rules()).containsExactly("mask-salary");
    }

    @Test
    void theExemptSeeTheColumn() {
        SqlAnalysis ssn = select("hr.people").column("ssn", "hr.people.ssn").analysis();
        assertThat(engine.decide(human("h", "hr"), ssn).allowed()).isTrue();
    }

    @Test
    void untaggedColumnsPass() {
        assertThat(decide(select("hr.people").column("name", "hr.people.name").analysis()).allowed()).isTrue();
        assertThat(decide(select("other.people").column("ssn", "other.people.ssn").analysis()).allowed())
                .as("the tag names hr.people.ssn only").isTrue();
    }

    @Test
    void starOverATableThatMayHoldAProtectedColumnIsDenied() {
        Decision decision = decide(select("hr.people").star("hr.people").analysis());
        assertThat(decision.rules()).containsExactly("mask-ssn");
        assertThat(decision.reason()).contains("expands to every column of hr.people");
        assertThat(engine.decide(human("h", "hr"), select("hr.people").star("hr.people").analysis()).rules())
                .as("exempt from mask-ssn, but *.salary could be in any table").containsExactly("mask-salary");
    }

    @Test
    void unknownLineageOverATableThatMayHoldAProtectedColumnIsDenied() {
        Decision decision = decide(select("hr.people").unknownColumn("x").analysis());
        assertThat(decision.rules()).containsExactly("mask-ssn");
        assertThat(decision.reason()).contains("cannot trace");
    }

    @Test
    void aCountRevealsNoValueAndPasses() {
        assertThat(decide(select("hr.people").countOf("n", "hr.people.ssn").analysis()).allowed()).isTrue();
    }

    @Test
    void resultColumnsOfAnyStatementCount() {
        Decision returning = decide(write(Action.UPDATE, "hr.people", WhereKind.PRESENT).column("ssn", "hr.people.ssn").analysis());
        assertThat(returning.rules()).containsExactly("mask-ssn");
    }

    @Test
    void readingUpdatingOrDeletingAFilteredTableIsDeniedNamingTheFilter() {
        for (SqlAnalysis analysis : new SqlAnalysis[] {
                select("shop.orders").column("id", "shop.orders.id").analysis(),
                write(Action.UPDATE, "shop.orders", WhereKind.PRESENT).analysis(),
                write(Action.DELETE, "shop.orders", WhereKind.PRESENT).analysis(),
                statement(Action.INSERT).writes("shop.archive").reads("shop.orders").analysis()}) {
            Decision decision = decide(analysis);
            assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
            assertThat(decision.rules()).containsExactly("own-tenant");
            assertThat(decision.reason()).contains("Table shop.orders has row filter own-tenant", "not enforced yet");
        }
    }

    @Test
    void insertingIntoAFilteredTableIsNotFiltered() {
        assertThat(decide(statement(Action.INSERT).writes("shop.orders").analysis()).allowed()).isTrue();
    }

    @Test
    void theExemptReadFilteredTables() {
        assertThat(engine.decide(human("s", "support"), select("shop.orders").column("id", "shop.orders.id").analysis()).allowed())
                .isTrue();
    }

    @Test
    void aForbidIsReportedBeforeAnUnenforcedProtection() {
        PolicyEngine withForbid = new PolicyEngine(PolicyLoader.compose(
                io.governed.policy.load.PolicySource.of("p.yaml", """
                        version: 1
                        rules:
                          - { id: everything, effect: permit, actions: ["*"] }
                          - { id: no-orders, effect: forbid, actions: [select], resources: [orders] }
                        row-filters:
                          - { id: own-tenant, tables: [orders], filter: "tenant = 1" }
                        """)));
        assertThat(withForbid.decide(human("x"), select("shop.orders").analysis()).rules()).containsExactly("no-orders");
    }
}
