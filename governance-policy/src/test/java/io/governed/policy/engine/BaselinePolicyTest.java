package io.governed.policy.engine;

import io.governed.policy.Statements;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.policy.load.PolicySource;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.Trait;
import io.governed.sql.WhereKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.governed.policy.Identities.human;
import static io.governed.policy.Statements.analysis;
import static io.governed.policy.Statements.select;
import static io.governed.policy.Statements.statement;
import static io.governed.policy.Statements.write;
import static org.assertj.core.api.Assertions.assertThat;

class BaselinePolicyTest {

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.baseline());

    private Decision decide(SqlAnalysis analysis) {
        return engine.decide(human("anyone"), analysis, Statements.withoutInheritance());
    }

    @ParameterizedTest
    @EnumSource(value = Action.class, names = {"SELECT", "INSERT", "MERGE", "CREATE", "COMMENT", "SET", "SHOW", "EXPLAIN", "TRANSACTION"})
    void everydayStatementsAreAllowed(Action action) {
        Decision decision = decide(statement(action).writes("public.t").analysis());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(decision.rules()).containsExactly("baseline-data-and-session");
    }

    @Test
    void boundedUpdatesAndDeletesAreAllowed() {
        assertThat(decide(write(Action.UPDATE, "t", WhereKind.PRESENT).analysis()).allowed()).isTrue();
        assertThat(decide(write(Action.DELETE, "t", WhereKind.PRESENT).analysis()).allowed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = WhereKind.class, names = {"ABSENT", "ALWAYS_TRUE"})
    void unboundedUpdatesAndDeletesAreForbidden(WhereKind where) {
        assertThat(decide(write(Action.UPDATE, "t", where).analysis()).rules()).containsExactly("baseline-no-unbounded-writes");
        assertThat(decide(write(Action.DELETE, "t", where).analysis()).rules()).containsExactly("baseline-no-unbounded-writes");
    }

    @Test
    void anUnboundedDeleteNestedInAMergeIsForbidden() {
        SqlAnalysis merge = analysis(statement(Action.MERGE).writes("t").reads("s"),
                write(Action.DELETE, "t", WhereKind.ABSENT).traits(Trait.NESTED));
        Decision decision = decide(merge);
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).containsExactly("baseline-no-unbounded-writes");
    }

    @ParameterizedTest
    @EnumSource(value = Action.class, names = {"DROP", "TRUNCATE", "RENAME"})
    void destructiveDdlIsForbidden(Action action) {
        Decision decision = decide(statement(action).writes("t").analysis());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).contains("baseline-no-destructive-ddl");
    }

    @ParameterizedTest
    @EnumSource(value = Trait.class, names = {"DROPS_PART", "RENAMES"})
    void anAlterThatDropsOrRenamesPartIsForbidden(Trait trait) {
        assertThat(decide(statement(Action.ALTER).writes("t").traits(trait).analysis()).rules())
                .containsExactly("baseline-no-destructive-alter");
    }

    @ParameterizedTest
    @EnumSource(value = Action.class, names = {"GRANT", "REVOKE"})
    void privilegeChangesAreForbidden(Action action) {
        assertThat(decide(statement(action).writes("t").analysis()).rules()).containsExactly("baseline-no-privilege-changes");
    }

    @Test
    void dynamicSqlProgramExecutionAndFileAccessAreForbiddenWhateverTheAction() {
        assertThat(decide(statement(Action.SELECT).traits(Trait.DYNAMIC_SQL).analysis()).rules())
                .containsExactly("baseline-no-dynamic-sql");
        assertThat(decide(statement(Action.COPY).writes("t").traits(Trait.PROGRAM_EXECUTION).analysis()).rules())
                .containsExactly("baseline-no-program-execution");
        assertThat(decide(statement(Action.SELECT).reads("t").traits(Trait.FILE_ACCESS).analysis()).rules())
                .containsExactly("baseline-no-file-access");
    }

    @Test
    void severalStatementsInOneStringAreForbidden() {
        Decision decision = decide(analysis(select("a"), select("b")));
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).containsExactly("baseline-no-multi-statement");
    }

    @ParameterizedTest
    @EnumSource(value = Action.class, names = {"EXECUTE", "COPY", "OTHER", "ALTER", "USE", "LOCK"})
    void whatTheAnalysisCannotSeeIntoIsNotPermitted(Action action) {
        Decision decision = decide(statement(action).writes("t").analysis());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as("denied by default, not by a rule").isEmpty();
    }

    @Test
    void aCallOfARoutineWhoseBodyCannotBeReadCountsAsDoingAnythingAndTheBaselineForbidsThat() {
        Decision decision = decide(statement(Action.CALL).writes("t").analysis());
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).contains("baseline-no-destructive-ddl");
        assertThat(decision.reason()).contains("on any table, which routine t may do")
                .contains("Declare in the policy's routines section what the routine reads and writes");
    }

    @Test
    void unparseableStatementsAreDenied() {
        assertThat(decide(SqlAnalysis.unparseable("?", Dialect.GENERIC, "no")).effect()).isEqualTo(Decision.Effect.DENY);
    }

    @Test
    void anApplicationCanPermitMoreButNotLiftTheBaselinesForbids() {
        PolicyEngine composed = new PolicyEngine(PolicyLoader.compose(PolicyLoader.baselineSource(),
                PolicySource.fromClasspath("policies/app-additions.yaml")));
        assertThat(composed.decide(human("x"), statement(Action.ALTER).writes("app.users").analysis(), Statements.withoutInheritance()).rules())
                .containsExactly("app-alter-own-tables");
        assertThat(composed.decide(human("x"), statement(Action.ALTER).writes("app.users").traits(Trait.DROPS_PART).analysis(), Statements.withoutInheritance()).rules())
                .containsExactly("baseline-no-destructive-alter");
    }
}
