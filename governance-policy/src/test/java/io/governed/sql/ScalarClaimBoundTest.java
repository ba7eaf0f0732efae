package io.governed.sql;

import static io.governed.sql.Analyses.maria;
import static io.governed.sql.Analyses.pg;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A job queue's claim: a column of the written table equal to a scalar subquery over that same table, uncorrelated
 * with the written row, keeps the rows of one value, as {@code col = ?} does. Every way to make the subquery's value
 * depend on the written row, or to compare otherwise, proves nothing.
 */
class ScalarClaimBoundTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "UPDATE job SET state = 'running' WHERE id = (SELECT id FROM job WHERE state = 'new' ORDER BY id LIMIT 1"
                + " FOR UPDATE SKIP LOCKED) RETURNING id",
        "DELETE FROM job WHERE id = (SELECT id FROM job ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING *",
        "UPDATE job j SET state = 'x' WHERE j.id = (SELECT q.id FROM job q WHERE q.state = 'new' LIMIT 1)",
        "UPDATE job SET state = 'x' WHERE (SELECT job.id FROM job WHERE job.state = ? LIMIT 1) = id",
        "UPDATE app.job SET state = 'x' WHERE id = (SELECT max(id) FROM app.job)",
        "DELETE FROM job WHERE id = (SELECT id FROM job WHERE lower(kind) = 'mail' LIMIT 1 OFFSET 2)",
    })
    void aColumnEqualToAnUncorrelatedScalarSubqueryOverTheWrittenTableBounds(String sql) {
        assertThat(pg(sql).where()).isEqualTo(WhereKind.PRESENT);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        // correlated with the written row: the value is each row's own
        "UPDATE job j SET a = 0 WHERE id = (SELECT id FROM job WHERE id = j.id)",
        "UPDATE job j SET a = 0 WHERE id = (SELECT coalesce(j.id, 0) FROM job LIMIT 1)",
        "UPDATE job SET a = 0 WHERE id = (SELECT job.id FROM job j2 LIMIT 1)",
        "DELETE FROM job WHERE id = (SELECT job.id FROM job x ORDER BY x.id LIMIT 1)",
        "UPDATE job SET a = 0 WHERE id = (SELECT id FROM job x WHERE x.id = public.job.id)",
        // the written row as a whole-row value, by its alias or its name, which the subquery's alias leaves visible
        "UPDATE job o SET state = 'x' WHERE id = (SELECT id FROM job i WHERE i = o)",
        "UPDATE job o SET state = 'y' WHERE id = (SELECT id FROM job WHERE job.id = (o).id)",
        "UPDATE job SET state = 'z' WHERE id = (SELECT id FROM job i WHERE i = job)",
        "UPDATE job SET state = 'w' WHERE id = (SELECT id FROM job i WHERE i.id = (job).id)",
        "DELETE FROM job o WHERE id = (SELECT id FROM job i WHERE row_to_json(i)::text = row_to_json(o)::text)",
        // another table of that name may lack the column, which then is the written row's
        "UPDATE app.job SET a = 0 WHERE id = (SELECT id FROM job LIMIT 1)",
        "UPDATE job SET a = 0 WHERE id = (SELECT id FROM other.job LIMIT 1)",
        // a CTE of the written table's name, whose columns are not the table's
        "WITH job AS (SELECT 1 AS x) UPDATE job SET a = 0 WHERE id = (SELECT id FROM job)",
        "WITH job AS (SELECT 1 AS x) DELETE FROM job WHERE id = (SELECT id FROM job LIMIT 1)",
        // subqueries, joins and set operations inside
        "UPDATE job SET a = 0 WHERE id = (SELECT id FROM job WHERE EXISTS (SELECT 1 FROM t WHERE t.x = job.x) LIMIT 1)",
        "UPDATE job SET a = 0 WHERE id = (SELECT (SELECT id) FROM job LIMIT 1)",
        "UPDATE job SET a = 0 WHERE id = (SELECT j2.id FROM job j2 JOIN t ON t.id = j2.id LIMIT 1)",
        "UPDATE job SET a = 0 WHERE id = (SELECT id FROM job UNION SELECT id FROM job)",
        "UPDATE job SET a = 0 WHERE id = (WITH c AS (SELECT id FROM job) SELECT id FROM c LIMIT 1)",
        // other comparisons
        "DELETE FROM job WHERE id <> (SELECT min(id) FROM job)",
        "DELETE FROM job WHERE id >= (SELECT min(id) FROM job)",
        "DELETE FROM job WHERE NOT (id = (SELECT min(id) FROM job))",
        "DELETE FROM job WHERE id IN (SELECT id FROM job LIMIT 1)",
        "DELETE FROM job WHERE id = ANY (SELECT id FROM job LIMIT 1)",
        "DELETE FROM job WHERE id = (SELECT id FROM job LIMIT 1) OR a = a",
        "DELETE FROM job WHERE id + 0 = (SELECT id FROM job LIMIT 1)",
        // a written relation besides the target
        "UPDATE job SET a = 0 FROM t WHERE job.id = (SELECT id FROM job LIMIT 1)",
        "DELETE FROM job USING t WHERE job.id = (SELECT id FROM job LIMIT 1)",
    })
    void everyOtherFormOverTheWrittenTableProvesNothing(String sql) {
        assertThat(pg(sql).where()).isNotEqualTo(WhereKind.PRESENT);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "DELETE a FROM a JOIN a b ON a.id = b.id WHERE a.id = (SELECT id FROM a LIMIT 1)",
        "UPDATE a JOIN b ON 1 = 1 SET a.x = 1 WHERE a.id = (SELECT id FROM a LIMIT 1)",
    })
    void aMariaDbJoinProvesNothing(String sql) {
        assertThat(maria(sql).where()).isNotEqualTo(WhereKind.PRESENT);
    }
}
