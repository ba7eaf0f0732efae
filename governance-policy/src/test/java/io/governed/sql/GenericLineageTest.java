package io.governed.sql;

import static io.governed.sql.Analyses.maria;
import static io.governed.sql.Analyses.pg;
import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Lineage through forms the analysis has no precise rule for: every column beneath a node reaches the
 * result column (or the clause) it stands in, whatever the syntax.
 */
class GenericLineageTest {

    private static final TableRef USERS = table("users");
    private static final SourceColumn SSN = new SourceColumn(USERS, "ssn");

    private static ResultColumn only(String sql) {
        List<ResultColumn> columns = pg(sql).resultColumns();
        assertThat(columns).as(sql).hasSize(1);
        return columns.get(0);
    }

    /** The columns a statement references in a clause. */
    private static List<String> columnsIn(String sql, Clause clause) {
        return pg(sql).columns().stream().filter(c -> c.clause() == clause)
                .map(c -> (c.table() == null ? "?" : c.table().name()) + "." + c.column()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT SUBSTRING(ssn FROM 1 FOR 3) FROM users",
            "SELECT substring(ssn, 1, 3) FROM users",
            "SELECT TRIM(BOTH ' ' FROM ssn) FROM users",
            "SELECT TRIM(LEADING '0' FROM ssn) FROM users",
            "SELECT POSITION('1' IN ssn) FROM users",
            "SELECT OVERLAY(ssn PLACING 'x' FROM 1 FOR 2) FROM users",
            "SELECT EXTRACT(YEAR FROM ssn::date) FROM users",
            "SELECT ssn COLLATE \"C\" FROM users",
            "SELECT ssn IS NULL FROM users",
            "SELECT ssn BETWEEN '1' AND '2' FROM users",
            "SELECT ssn IN ('1', '2') FROM users",
            "SELECT ssn SIMILAR TO '1%' FROM users",
            "SELECT ssn ~ '^1' FROM users",
            "SELECT ARRAY[ssn, 'x'] FROM users",
            "SELECT (ARRAY[ssn])[1] FROM users",
            "SELECT ROW(ssn, 1) FROM users",
            "SELECT data->>'ssn' || ssn FROM users",
            "SELECT lag(ssn) OVER (ORDER BY id) FROM users",
            "SELECT first_value(ssn) OVER w FROM users WINDOW w AS (ORDER BY id)",
            "SELECT string_agg(ssn, ',' ORDER BY id) FROM users",
            "SELECT max(ssn) FILTER (WHERE id > 1) FROM users",
            "SELECT INTERVAL '1 day' * length(ssn) FROM users",
            "SELECT CASE ssn WHEN '1' THEN 'a' ELSE 'b' END FROM users",
            "SELECT NOT (ssn = '1') FROM users",
            "SELECT -length(ssn) FROM users",
            "SELECT ssn::varchar(3)::text FROM users",
            "SELECT CAST(CAST(ssn AS text) AS varchar(40)) FROM users",
            "SELECT x FROM (VALUES ((SELECT ssn FROM users LIMIT 1))) AS v(x)",
            "SELECT (SELECT x FROM (VALUES ((SELECT ssn FROM users LIMIT 1))) AS v(x))",
            "SELECT * FROM (VALUES (1, (SELECT ssn FROM users LIMIT 1))) AS v(a, b)",
            "SELECT b FROM (SELECT id, ssn FROM users) AS x(a, b)",
            "SELECT ssn FROM (SELECT id, ssn FROM users) AS x(a)",
            "SELECT x FROM unnest((SELECT array_agg(ssn) FROM users)) AS x",
            "SELECT u FROM unnest(ARRAY(SELECT ssn FROM users)) AS t(u)",
            "SELECT l.s FROM orders o, LATERAL (SELECT ssn AS s FROM users u WHERE u.id = o.user_id) l",
            "SELECT l.s FROM orders o CROSS JOIN LATERAL (SELECT ssn AS s FROM users u WHERE u.id = o.user_id) l",
            "WITH c(a, b) AS (SELECT id, ssn FROM users) SELECT b FROM c",
            "SELECT (SELECT ssn FROM users LIMIT 1) || 'x'",
            "SELECT * FROM (SELECT ssn FROM users UNION ALL SELECT 'x') t",
            "SELECT coalesce((SELECT ssn FROM users WHERE id = o.user_id), '') FROM orders o",
    })
    void everyFormCarriesTheColumnsBeneathIt(String sql) {
        ResultColumn r = pg(sql).resultColumns().get(pg(sql).resultColumns().size() - 1);
        assertThat(r.sources()).as(sql).contains(SSN);
    }

    @Test
    void anAliasListRenamesTheFirstColumnsAndKeepsTheRest() {
        List<ResultColumn> r = pg("SELECT a, ssn FROM (SELECT id, ssn FROM users) AS x(a)").resultColumns();
        assertThat(r.get(0).sources()).containsExactly(new SourceColumn(USERS, "id"));
        assertThat(r.get(1).sources()).containsExactly(SSN);
        assertThat(r.get(1).unknownLineage()).isFalse();
    }

    @Test
    void anAliasListOnABaseTableStandsForSomeColumnOfIt() {
        // users AS u(a): a is the first column of users, whichever that is
        ResultColumn a = only("SELECT a FROM users AS u(a)");
        assertThat(a.allColumnsOf()).containsExactly(USERS);
    }

    @Test
    void valuesListsAreTracedByPosition() {
        List<ResultColumn> r = pg("SELECT a, b FROM (VALUES (1, (SELECT ssn FROM users LIMIT 1))) AS v(a, b)").resultColumns();
        assertThat(r.get(0).sources()).isEmpty();
        assertThat(r.get(0).unknownLineage()).isFalse();
        assertThat(r.get(1).sources()).containsExactly(SSN);
    }

    @Test
    void insertValuesWithASubqueryCopiesItsColumns() {
        StatementAnalysis s = pg("INSERT INTO leaks (v) VALUES ((SELECT ssn FROM users LIMIT 1))");
        assertThat(s.copiedColumns()).hasSize(1);
        assertThat(s.copiedColumns().get(0).sources()).containsExactly(SSN);
    }

    /** REPLACE … SELECT writes what its query selects, as INSERT … SELECT does. */
    @ParameterizedTest
    @ValueSource(strings = {
            "REPLACE INTO leaks (v) SELECT ssn FROM users",
            "REPLACE leaks (v) SELECT SUBSTRING(ssn, 1, 3) FROM users",
            "REPLACE INTO leaks (v) SELECT u.ssn FROM users u WHERE u.id > 1",
            "INSERT INTO leaks (v) SELECT ssn FROM users ON DUPLICATE KEY UPDATE v = 'x'",
    })
    void mariaDbReplaceAndUpsertFromAQueryCopyItsColumns(String sql) {
        StatementAnalysis s = maria(sql);
        assertThat(s.copiedColumns()).as(sql).hasSize(1);
        assertThat(s.copiedColumns().get(0).sources()).as(sql).containsExactly(SSN);
    }

    @Test
    void returningListsHaveLineageLikeASelectList() {
        ResultColumn r = only("UPDATE users SET name = 'x' WHERE id = 1 RETURNING substring(ssn from 1 for 3)");
        assertThat(r.sources()).containsExactly(SSN);
        assertThat(only("DELETE FROM users WHERE id = 1 RETURNING users.*").allColumnsOf()).containsExactly(USERS);
    }

    @Test
    void aWholeRowReferenceReadsEveryColumnWhereverItStands() {
        assertThat(only("SELECT to_jsonb(u) FROM users u").allColumnsOf()).containsExactly(USERS);
        assertThat(only("SELECT u::text FROM users u").allColumnsOf()).containsExactly(USERS);
        assertThat(only("SELECT ROW(u.*)::text FROM users u").allColumnsOf()).containsExactly(USERS);
        assertThat(columnsIn("SELECT id FROM users u WHERE u::text LIKE '%078%'", Clause.WHERE)).contains("users.*");
        assertThat(columnsIn("SELECT id FROM users u WHERE to_jsonb(u)->>'ssn' LIKE '1%'", Clause.WHERE)).contains("users.*");
        assertThat(columnsIn("SELECT o.id FROM orders o JOIN users u ON u::text LIKE '%1%'", Clause.JOIN)).contains("users.*");
        // a correlated whole-row reference to an outer query's table
        assertThat(columnsIn("SELECT id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE u::text LIKE o.note)",
                Clause.WHERE)).contains("users.*");
    }

    @Test
    void aWholeRowOfADerivedTableIsItsColumns() {
        ResultColumn r = only("SELECT to_jsonb(x) FROM (SELECT id, name FROM users) x");
        assertThat(r.allColumnsOf()).isEmpty();
        assertThat(r.sources()).containsExactlyInAnyOrder(new SourceColumn(USERS, "id"), new SourceColumn(USERS, "name"));
        assertThat(r.unknownLineage()).isFalse();
    }

    @Test
    void countsOverAPredicateAnswerAQuestionAboutTheirColumns() {
        assertThat(columnsIn("SELECT count(CASE WHEN ssn LIKE '1%' THEN 1 END) FROM users", Clause.COUNTED)).contains("users.ssn");
        assertThat(columnsIn("SELECT count(*) FILTER (WHERE ssn LIKE '1%') FROM users", Clause.WINDOW)).contains("users.ssn");
        assertThat(columnsIn("SELECT count(NULLIF(ssn, '078-05-1120')) FROM users", Clause.COUNTED)).contains("users.ssn");
        assertThat(columnsIn("SELECT count(*) OVER (PARTITION BY ssn) FROM users", Clause.WINDOW)).contains("users.ssn");
        // counting rows or bare columns asks nothing about the values
        for (Clause clause : List.of(Clause.WHERE, Clause.CONDITION, Clause.WINDOW, Clause.COUNTED)) {
            assertThat(columnsIn("SELECT count(*), count(ssn) FROM users", clause)).isEmpty();
        }
        // counting distinct values compares them: over two rows, 1 says they are equal
        assertThat(columnsIn("SELECT count(DISTINCT ssn) FROM users WHERE id IN (1, 2)", Clause.COUNTED)).contains("users.ssn");
        assertThat(columnsIn("SELECT count(DISTINCT ssn) OVER () FROM users", Clause.COUNTED)).contains("users.ssn");
        ResultColumn counted = only("SELECT count(*) FILTER (WHERE ssn LIKE '1%') FROM users");
        assertThat(counted.sources()).isEmpty();
    }

    @Test
    void clausesThatDecideWhichRowsComeBackAreFilters() {
        assertThat(columnsIn("SELECT DISTINCT ON (ssn) id FROM users", Clause.GROUP_BY)).contains("users.ssn");
        assertThat(columnsIn("SELECT id FROM users GROUP BY GROUPING SETS ((ssn), ())", Clause.GROUP_BY)).contains("users.ssn");
        assertThat(columnsIn("SELECT id FROM users ORDER BY substring(ssn from 1 for 1)", Clause.ORDER_BY)).contains("users.ssn");
        assertThat(columnsIn("SELECT id FROM users ORDER BY position('1' in ssn)", Clause.ORDER_BY)).contains("users.ssn");
        assertThat(columnsIn("SELECT row_number() OVER w FROM users WINDOW w AS (ORDER BY ssn)", Clause.WINDOW))
                .contains("users.ssn");
        assertThat(columnsIn("SELECT id FROM users WHERE trim(both from ssn) = '1'", Clause.WHERE)).contains("users.ssn");
        assertThat(columnsIn("SELECT id FROM users WHERE id IN (VALUES ((SELECT 1 FROM users WHERE ssn = '1')))", Clause.WHERE))
                .contains("users.ssn");
    }

    @Test
    void writesRecordWhatTheyComputeFrom() {
        assertThat(columnsIn("UPDATE users SET name = overlay(ssn placing 'x' from 1 for 1) WHERE id = 1", Clause.VALUE))
                .contains("users.ssn");
        assertThat(columnsIn("UPDATE users SET name = (SELECT substring(ssn from 1) FROM users WHERE id = 2) WHERE id = 1",
                Clause.SELECT)).contains("users.ssn");
    }

    @Test
    void nothingBeneathMeansNothingUnknown() {
        ResultColumn series = only("SELECT * FROM generate_series(1, 3)");
        assertThat(series.sources()).isEmpty();
        assertThat(series.allColumnsOf()).isEmpty();
        assertThat(series.unknownLineage()).isFalse();
        assertThat(only("SELECT x FROM unnest(ARRAY[1, 2]) AS t(x)").unknownLineage()).isFalse();
        assertThat(only("SELECT version()").unknownLineage()).isFalse();
        assertThat(only("SELECT current_setting('search_path')").unknownLineage()).isFalse();
        assertThat(only("SELECT * FROM (VALUES (1, 'a')) AS v(a, b)").unknownLineage()).isFalse();
    }
}
