package io.governed.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listed name whose built-in the server has only as a table of the {@code FROM} clause is a property of the list
 * ({@link BuiltInRoutines#fromOnly()}), read wherever a call is: each such name of each dialect is a built-in as a
 * table of {@code FROM} and a call of a user routine in any expression, so a name added there needs no rule of its own.
 */
class FromOnlyBuiltInNamesTest {

    @Test
    void theFromOnlyNamesAreMariaDbsJsonTableAndH2sSystemRange() {
        assertThat(BuiltInRoutines.of(Dialect.MARIADB).fromOnly()).containsExactly("json_table");
        assertThat(BuiltInRoutines.of(Dialect.H2).fromOnly()).containsExactly("system_range");
        assertThat(BuiltInRoutines.of(Dialect.POSTGRESQL).fromOnly()).isEmpty();
        assertThat(BuiltInRoutines.of(Dialect.GENERIC).fromOnly()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void eachFromOnlyNameIsListedAndABuiltInOnlyInFrom(Dialect dialect) {
        BuiltInRoutines list = BuiltInRoutines.of(dialect);
        for (String name : list.fromOnly()) {
            String stored = dialect.normalizeIdentifier(name);
            assertThat(list.names()).as(name).contains(name);
            assertThat(list.listsName(name.toUpperCase(Locale.ROOT))).as(name + ": a routine of the name stays undefinable").isTrue();
            assertThat(list.isBuiltIn(new TableRef(null, stored))).as(name + " in an expression").isFalse();
            assertThat(list.isBuiltInInFrom(new TableRef(null, stored))).as(name + " in FROM").isTrue();
            assertThat(list.isBuiltInInFrom(new TableRef("jt_schema", stored))).as(name + " qualified, in FROM").isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void eachFromOnlyNameCalledInAnExpressionIsARoutineCallOfUnknownLineage(Dialect dialect) {
        for (String name : BuiltInRoutines.of(dialect).fromOnly()) {
            for (String sql : new String[] {"SELECT " + name + "(v) FROM jt_t", "SELECT v FROM jt_t WHERE " + name + "(v) = 1",
                    "SELECT " + name.toUpperCase(Locale.ROOT) + "(v) AS x FROM jt_t"}) {
                SqlAnalysis analysis = Analyses.analyze(sql, dialect);
                assertThat(analysis.parseError()).as(sql).isNull();
                StatementAnalysis statement = analysis.statements().get(0);
                assertThat(statement.routines()).as(sql).extracting(r -> r.name().toLowerCase(Locale.ROOT))
                        .containsExactly(name);
                if (!sql.contains("WHERE")) {
                    assertThat(statement.resultColumns().get(0).unknownLineage()).as(sql).isTrue();
                }
            }
        }
    }

    /** Every listed name is a built-in as a table of FROM (no use there newly needs a permit), and every other one in an expression too. */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyListedNameIsABuiltInInFromAndAllButTheFromOnlyInAnExpression(Dialect dialect) {
        BuiltInRoutines list = BuiltInRoutines.of(dialect);
        for (String name : list.names()) {
            TableRef routine = new TableRef(null, dialect.normalizeIdentifier(name));
            assertThat(list.isBuiltInInFrom(routine)).as(name).isTrue();
            assertThat(list.isBuiltIn(routine)).as(name).isEqualTo(!list.fromOnly().contains(name));
        }
    }
}
