package io.governed.sql;

import static io.governed.sql.Analyses.first;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL's {@code GROUP BY ROLLUP (…)} and {@code CUBE (…)}, and {@code GROUPING (…)}, which the parser reads as
 * calls, are the grouping constructs and operation: as GROUP BY items, unqualified and unquoted, {@code rollup} and
 * {@code cube} are not calls whatever functions of those names exist, and {@code grouping} is a reserved word. The
 * columns they name are grouped on. Qualified, quoted, nested in an expression or in the select list they are calls.
 */
class GroupingConstructsTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT id, count(*) FROM orders GROUP BY ROLLUP (id)",
            "SELECT id, status, count(*) FROM orders GROUP BY cube(id, status)",
            "SELECT id, status, count(*) FROM orders GROUP BY id, ROLLUP ((status, id))",
            "SELECT id, GROUPING(id), count(*) FROM orders GROUP BY GROUPING SETS ((id), ())",
            "SELECT id, count(*) FROM orders GROUP BY ROLLUP (id) HAVING GROUPING(id) = 0",
    })
    void groupingConstructsCallNoRoutine(String sql) {
        StatementAnalysis s = first(sql, Dialect.POSTGRESQL);
        assertThat(s.routines()).as(sql).isEmpty();
        assertThat(s.traits()).as(sql).doesNotContain(Trait.TESTS_UNTRACEABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT id FROM orders GROUP BY public.rollup(id)",
            "SELECT id FROM orders GROUP BY \"rollup\"(id)",
            "SELECT id FROM orders GROUP BY (rollup(id) + 1)",
            "SELECT rollup(id), cube(id) FROM orders",
    })
    void aQualifiedQuotedNestedOrSelectedRollupIsACall(String sql) {
        assertThat(first(sql, Dialect.POSTGRESQL).routines()).as(sql).isNotEmpty();
    }

    @Test
    void theColumnsARollupNamesAreGroupedOn() {
        StatementAnalysis s = first("SELECT count(*) FROM customers GROUP BY ROLLUP (ssn)", Dialect.POSTGRESQL);
        assertThat(s.columns()).anyMatch(c -> c.clause() == Clause.GROUP_BY && c.column().endsWith("ssn"));
    }
}
