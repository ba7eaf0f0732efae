package io.governed.sql;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The facts every run of a cached statement asks of its analysis are worked out once, when the analysis is made, and
 * the analysis compares, hashes and reads as it did: traits as a set, the analysis by its four parts.
 */
class AnalysisFactsTest {
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private static StatementAnalysis select(Set<Trait> traits) {
        return new StatementAnalysis(Action.SELECT, Set.of(new TableRef(null, "t")), Set.of(), List.of(),
                WhereKind.NOT_APPLICABLE, List.of(), traits);
    }

    @Test
    void traitsCompareHashAndAnswerAsASetOfThem() {
        Set<Trait> given = new HashSet<>(List.of(Trait.NESTED, Trait.DYNAMIC_SQL, Trait.RESTARTS_TABLE_IDENTITY));
        StatementAnalysis statement = select(given);

        assertThat(statement.traits()).isEqualTo(given).hasSameHashCodeAs(Set.copyOf(given)).hasSize(3);
        assertThat(Set.copyOf(given)).isEqualTo(statement.traits());
        assertThat(statement.traits()).containsExactly(Trait.DYNAMIC_SQL, Trait.NESTED, Trait.RESTARTS_TABLE_IDENTITY);
        assertThat(statement.traits().toString()).isEqualTo("[DYNAMIC_SQL, NESTED, RESTARTS_TABLE_IDENTITY]");
        for (Trait trait : Trait.values()) {
            assertThat(statement.has(trait)).as(trait.name()).isEqualTo(given.contains(trait));
            assertThat(statement.traits().contains(trait)).as(trait.name()).isEqualTo(given.contains(trait));
        }
        assertThat(statement.traits().contains("NESTED")).isFalse();
        assertThat(statement).isEqualTo(select(EnumSet.copyOf(given))).hasSameHashCodeAs(select(Set.copyOf(given)));
        assertThat(statement).isNotEqualTo(select(Set.of(Trait.NESTED)));
        assertThat(select(Set.of()).traits()).isEmpty();
        assertThat(select(EnumSet.allOf(Trait.class)).traits()).hasSize(Trait.values().length)
                .isEqualTo(EnumSet.allOf(Trait.class));
    }

    @Test
    void traitsAreUnmodifiableAndHoldNoNull() {
        Set<Trait> traits = select(Set.of(Trait.CASCADE)).traits();
        assertThatThrownBy(() -> traits.add(Trait.NESTED)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> traits.remove(Trait.CASCADE)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> traits.iterator().remove()).isInstanceOf(UnsupportedOperationException.class);
        Set<Trait> withNull = new HashSet<>();
        withNull.add(null);
        assertThatThrownBy(() -> select(withNull)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anAnalysisComparesAndReadsByItsFourParts() {
        SqlAnalysis first = analyzer.analyze("SELECT name FROM customers WHERE id = ?", Dialect.POSTGRESQL);
        SqlAnalysis again = new SqlAnalysis(first.fingerprint(), first.dialect(), first.statements(), first.parseError());
        assertThat(again).isEqualTo(first).hasSameHashCodeAs(first);
        assertThat(again.toString()).isEqualTo(first.toString())
                .startsWith("SqlAnalysis[fingerprint=" + first.fingerprint() + ", dialect=POSTGRESQL, statements=[")
                .endsWith(", parseError=null]");
        assertThat(new SqlAnalysis(first.fingerprint(), Dialect.MARIADB, first.statements(), null)).isNotEqualTo(first);
        assertThat(SqlAnalysis.unparseable("x", Dialect.POSTGRESQL, "why"))
                .isEqualTo(SqlAnalysis.unparseable("x", Dialect.POSTGRESQL, "why"))
                .isNotEqualTo(SqlAnalysis.unparseable("x", Dialect.POSTGRESQL, "another"));
    }

    @Test
    void aTextOfSeveralTopLevelStatementsIsMultiStatementNestedOnesAside() {
        assertThat(analyzer.analyze("SELECT 1", Dialect.POSTGRESQL).multiStatement()).isFalse();
        assertThat(analyzer.analyze("SELECT 1; SELECT 2", Dialect.POSTGRESQL).multiStatement()).isTrue();
        SqlAnalysis cte = analyzer.analyze("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", Dialect.POSTGRESQL);
        assertThat(cte.statements()).hasSize(2);
        assertThat(cte.multiStatement()).as("a nested DELETE is no statement of its own").isFalse();
        assertThat(analyzer.analyze("SELEC name FROM", Dialect.POSTGRESQL).multiStatement()).isFalse();
    }

    @Test
    void queriesAndRowChangesOnlyIsTheUsualStatementAndNothingThatActsOnTheSession() {
        assertThat(analyzer.analyze("SELECT name FROM customers WHERE id = ?", Dialect.POSTGRESQL)
                .queriesAndRowChangesOnly()).isTrue();
        assertThat(analyzer.analyze("UPDATE stock SET qty = ? WHERE id = ?", Dialect.MARIADB)
                .queriesAndRowChangesOnly()).isTrue();
        assertThat(analyzer.analyze("SELECT my_function(id) FROM t", Dialect.POSTGRESQL).queriesAndRowChangesOnly())
                .as("a routine that is no built-in").isFalse();
        assertThat(analyzer.analyze("SELECT set_config('role', 'r', false)", Dialect.POSTGRESQL)
                .queriesAndRowChangesOnly()).isFalse();
        assertThat(analyzer.analyze("PREPARE p AS SELECT 1", Dialect.POSTGRESQL).queriesAndRowChangesOnly()).isFalse();
        assertThat(analyzer.analyze("SELEC name FROM", Dialect.POSTGRESQL).queriesAndRowChangesOnly())
                .as("not read").isFalse();
        assertThat(analyzer.analyze("SELECT 1 FROM t", Dialect.POSTGRESQL).namesRelations()).isTrue();
        assertThat(analyzer.analyze("SELECT 1", Dialect.POSTGRESQL).namesRelations()).isFalse();
        assertThat(analyzer.analyze("SELEC name FROM", Dialect.POSTGRESQL).namesRelations()).as("not read").isTrue();
    }
}
