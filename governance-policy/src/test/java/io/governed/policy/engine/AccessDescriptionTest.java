package io.governed.policy.engine;

import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of access a statement implies (the enum, read by reflection, so that a new kind cannot be left without
 * words) is described in a refusal with its action and what it is on, whether or not its table can be told: a refusal
 * never says "null".
 */
class AccessDescriptionTest {

    private static final StatementAnalysis STATEMENT =
            new SqlAnalyzer().analyze("SELECT f(id) FROM t", Dialect.POSTGRESQL).statements().get(0);
    private static final TableRef TABLE = new TableRef("app", "orders");
    private static final TableRef THROUGH = new TableRef("app", "f");

    @ParameterizedTest
    @EnumSource(Access.Implied.class)
    void everyImpliedAccessIsDescribedWithItsTableOrAsAnyTable(Access.Implied implied) {
        // a sequence advanced and what an unread body may do name no table by construction
        boolean named = implied != Access.Implied.SEQUENCE && implied != Access.Implied.OPAQUE_BODY;
        for (TableRef table : named ? new TableRef[] {TABLE, null} : new TableRef[] {null}) {
            TableRef through = implied == Access.Implied.NONE && table != null ? null : THROUGH;
            Access access = new Access(Action.DELETE, table, STATEMENT, through, false, false, false, false, implied);
            String described = access.describe();
            assertThat(described).as(implied + ", table " + table).startsWith("delete").doesNotContain("null");
            if (table != null) {
                assertThat(described).as(implied + ", table " + table).contains(TABLE.qualifiedName());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Access.Implied.class, names = {"DECLARED_BODY", "OPAQUE_BODY"})
    void whatARoutineWhoseBodyWasNotReadDoesNamesTheRoutineAndIsJudgedAsAStatementNotSeen(Access.Implied implied) {
        Access access = new Access(Action.SELECT, null, STATEMENT, THROUGH, false, false, false, false, implied);
        assertThat(access.unseenBody()).isTrue();
        assertThat(access.describe()).contains("routine app.f").contains("any table");
    }
}
