package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Renames and inheritance that migrations write and the parser cannot read (or reads without the parent): each is read
 * as the rename or definition the parser does read ({@code ALTER TABLE … RENAME TO}, {@code DROP SCHEMA}'s {@code s.*},
 * {@code LIKE p}), so rules, masks and the shadowing checks see the relations it renames or reads; near misses stay
 * unparseable.
 */
class RenameAndInheritsFormsTest {

    private static SqlAnalysis analyze(String sql, Dialect dialect) {
        return new SqlAnalyzer().analyze(sql, dialect);
    }

    private static StatementAnalysis only(String sql, Dialect dialect) {
        SqlAnalysis analysis = analyze(sql, dialect);
        assertThat(analysis.parseError()).as(sql).isNull();
        assertThat(analysis.statements()).as(sql).hasSize(1);
        return analysis.statements().get(0);
    }

    private static TableRef ref(String schema, String name) {
        return new TableRef(schema, name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER VIEW v RENAME TO w                          | ALTER TABLE v RENAME TO w",
            "POSTGRESQL | ALTER VIEW IF EXISTS s.v RENAME TO w              | ALTER TABLE IF EXISTS s.v RENAME TO w",
            "POSTGRESQL | ALTER MATERIALIZED VIEW s.mv RENAME TO mw         | ALTER TABLE s.mv RENAME TO mw",
            "POSTGRESQL | ALTER MATERIALIZED VIEW IF EXISTS mv RENAME TO mw | ALTER TABLE IF EXISTS mv RENAME TO mw",
            "POSTGRESQL | ALTER INDEX s.i RENAME TO j                       | ALTER TABLE s.i RENAME TO j",
            "POSTGRESQL | ALTER SEQUENCE \"S\".\"Seq\" RENAME TO \"Next\"   | ALTER TABLE \"S\".\"Seq\" RENAME TO \"Next\"",
            "POSTGRESQL | alter /* c */ view v -- c\\n rename to w               | ALTER TABLE v RENAME TO w",
            "H2         | ALTER VIEW v RENAME TO w                          | ALTER TABLE v RENAME TO w",
            "H2         | ALTER VIEW IF EXISTS s.v RENAME TO w              | ALTER TABLE IF EXISTS s.v RENAME TO w",
            "H2         | ALTER TABLE s.t ALTER COLUMN c RENAME TO d        | ALTER TABLE s.t RENAME COLUMN c TO d",
            "H2         | ALTER TABLE IF EXISTS t ALTER COLUMN \"c\" RENAME TO d | ALTER TABLE IF EXISTS t RENAME COLUMN \"c\" TO d",
            "POSTGRESQL | ALTER VIEW s.v RENAME COLUMN a TO b                | ALTER TABLE s.v RENAME COLUMN a TO b",
            "POSTGRESQL | ALTER VIEW IF EXISTS v RENAME COLUMN \"A\" TO b    | ALTER TABLE IF EXISTS v RENAME COLUMN \"A\" TO b",
            "POSTGRESQL | ALTER MATERIALIZED VIEW mv RENAME COLUMN a TO b      | ALTER TABLE mv RENAME COLUMN a TO b",
            "POSTGRESQL | ALTER VIEW v SET SCHEMA s                          | ALTER TABLE v SET SCHEMA s",
            "POSTGRESQL | ALTER VIEW IF EXISTS app.v SET SCHEMA \"S\"        | ALTER TABLE IF EXISTS app.v SET SCHEMA \"S\"",
            "POSTGRESQL | ALTER MATERIALIZED VIEW mv SET SCHEMA s            | ALTER TABLE mv SET SCHEMA s",
            "POSTGRESQL | ALTER SEQUENCE app.seq SET SCHEMA s                | ALTER TABLE app.seq SET SCHEMA s",
            "POSTGRESQL | alter sequence if exists seq /* c */ set schema s  | ALTER TABLE IF EXISTS seq SET SCHEMA s",
            "H2         | ALTER TABLE s.t ALTER COLUMN IF EXISTS c RENAME TO d | ALTER TABLE s.t RENAME COLUMN c TO d",
            "H2         | ALTER TABLE IF EXISTS t ALTER COLUMN IF EXISTS \"c\" RENAME TO d | ALTER TABLE IF EXISTS t RENAME COLUMN \"c\" TO d",
    })
    void aRelationRenameIsReadAsTheTableRenameItIs(String dialect, String sql, String equivalent) {
        Dialect d = Dialect.valueOf(dialect);
        StatementAnalysis renamed = only(sql.replace("\\n", "\n"), d);
        assertThat(renamed).isEqualTo(only(equivalent, d));
        assertThat(renamed.action()).isEqualTo(Action.ALTER);
        assertThat(renamed.traits()).contains(Trait.RENAMES);
    }

    @Test
    void whatARelationRenameRecords() {
        StatementAnalysis view = only("ALTER VIEW IF EXISTS app.v RENAME TO w", Dialect.POSTGRESQL);
        assertThat(view.tablesWritten()).containsExactly(ref("app", "v"), ref("app", "w"));
        assertThat(view.traits()).contains(Trait.RENAMES, Trait.IF_EXISTS);
        assertThat(only("ALTER INDEX i RENAME TO j", Dialect.POSTGRESQL).tablesWritten()).containsExactly(ref(null, "i"), ref(null, "j"));
        assertThat(only("ALTER VIEW v RENAME TO w", Dialect.H2).tablesWritten()).containsExactly(ref(null, "V"), ref(null, "W"));
        StatementAnalysis column = only("ALTER TABLE t ALTER COLUMN ssn RENAME TO tax_id", Dialect.H2);
        assertThat(column.tablesWritten()).containsExactly(ref(null, "T"));
        assertThat(column.columns()).containsExactly(new ColumnRef(ref(null, "T"), "SSN", Clause.VALUE));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER SCHEMA app RENAME TO app_old        | app | app_old | false",
            "POSTGRESQL | ALTER SCHEMA \"A.b\" RENAME TO \"C\"      | A.b | C       | false",
            "H2         | ALTER SCHEMA app RENAME TO app_old        | APP | APP_OLD | false",
            "H2         | ALTER SCHEMA IF EXISTS app RENAME TO x    | APP | X       | true",
    })
    void aSchemaRenameRenamesEveryRelationOfTheSchema(String dialect, String sql, String from, String to, boolean ifExists) {
        StatementAnalysis schema = only(sql, Dialect.valueOf(dialect));
        assertThat(schema.action()).isEqualTo(Action.ALTER);
        assertThat(schema.traits()).contains(Trait.RENAMES);
        assertThat(schema.traits().contains(Trait.IF_EXISTS)).isEqualTo(ifExists);
        assertThat(schema.tablesWritten()).containsExactly(ref(from, "*"), ref(to, "*"));
    }

    @Test
    void mariadbMovesATableToAnotherDatabaseAsItRenamesOne() {
        StatementAnalysis moved = only("ALTER TABLE t RENAME TO otherdb.u", Dialect.MARIADB);
        StatementAnalysis renamed = only("ALTER TABLE t RENAME TO u", Dialect.MARIADB);
        assertThat(moved.action()).isEqualTo(renamed.action());
        assertThat(moved.traits()).isEqualTo(renamed.traits());
        assertThat(moved.tablesWritten()).containsExactly(ref(null, "t"), ref("otherdb", "u"));
        assertThat(only("ALTER TABLE IF EXISTS db1.t RENAME AS `other.db`.`t.x`", Dialect.MARIADB))
                .satisfies(a -> assertThat(a.tablesWritten()).containsExactly(ref("db1", "t"), ref("other.db", "t.x")))
                .satisfies(a -> assertThat(a.traits()).contains(Trait.RENAMES, Trait.IF_EXISTS));
        assertThat(only("ALTER TABLE t RENAME otherdb.u", Dialect.MARIADB).tablesWritten())
                .containsExactly(ref(null, "t"), ref("otherdb", "u"));
    }

    @Test
    void mariadbDropEventIsReadAsDropProcedureIs() {
        StatementAnalysis event = only("DROP EVENT IF EXISTS app.e", Dialect.MARIADB);
        StatementAnalysis procedure = only("DROP PROCEDURE IF EXISTS app.e", Dialect.MARIADB);
        assertThat(event).isEqualTo(procedure);
        assertThat(event.action()).isEqualTo(Action.DROP);
        assertThat(event.tablesWritten()).containsExactly(ref("app", "e"));
        assertThat(only("DROP EVENT e", Dialect.MARIADB).traits()).doesNotContain(Trait.IF_EXISTS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CREATE TABLE c (x int) INHERITS (p)",
            "CREATE TABLE c () INHERITS (app.p)",
            "CREATE TABLE IF NOT EXISTS c (x int, inherits int DEFAULT 1) INHERITS (app.p, q) WITH (fillfactor=70)",
            "CREATE TABLE c PARTITION OF app.p FOR VALUES IN (1)",
            "CREATE TABLE c (LIKE app.p)",
    })
    void aChildReadsItsParentsAsLikeReadsTheModel(String sql) {
        StatementAnalysis child = only(sql, Dialect.POSTGRESQL);
        assertThat(child.action()).isEqualTo(Action.CREATE);
        assertThat(child.tablesWritten()).containsExactly(ref(null, "c"));
        assertThat(child.tablesRead()).isNotEmpty().allSatisfy(t -> assertThat(Set.of("p", "q")).contains(t.name()));
        if (sql.contains("app.p")) {
            assertThat(child.tablesRead()).contains(ref("app", "p"));
        }
    }

    @Test
    void quotedParentsKeepTheirNames() {
        assertThat(only("CREATE TABLE c () INHERITS (\"S\".\"p.q\", \"R\")", Dialect.POSTGRESQL).tablesRead())
                .containsExactly(ref("S", "p.q"), ref(null, "R"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER INDEX ALL IN TABLESPACE a SET TABLESPACE b",
            "POSTGRESQL | ALTER VIEW v RENAME TO s.w",
            "POSTGRESQL | ALTER VIEW v RENAME TO $$w$$",
            "POSTGRESQL | ALTER VIEW v RENAME TO w x",
            "POSTGRESQL | ALTER VIEW \"a.b\" RENAME TO c",
            "POSTGRESQL | ALTER SCHEMA IF EXISTS s RENAME TO t",
            "POSTGRESQL | ALTER SCHEMA a.b RENAME TO t",
            "POSTGRESQL | ALTER SCHEMA s RENAME TO t.u",
            "POSTGRESQL | ALTER SEQUENCE s RENAME TO t RESTART",
            "POSTGRESQL | CREATE TABLE c () INHERITS (a.b.c)",
            "POSTGRESQL | CREATE TABLE c () INHERITS (s.p,)",
            "POSTGRESQL | CREATE TABLE c () INHERITS (s.p) INHERITS (s.q",
            "POSTGRESQL | CREATE TABLE c AS SELECT 1 inherits (s.p)",
            "POSTGRESQL | CREATE TABLE c inherits (s.p)",
            "MARIADB    | ALTER SCHEMA s RENAME TO t",
            "MARIADB    | ALTER VIEW v RENAME TO w",
            "MARIADB    | ALTER TABLE t RENAME TO otherdb.t, ADD x int",
            "MARIADB    | ALTER TABLE t RENAME TO a.b.c",
            "MARIADB    | DROP EVENT e, f",
            "MARIADB    | DROP EVENT a.b.c",
            "H2         | ALTER TABLE t ALTER COLUMN c RENAME TO d, e",
            "H2         | ALTER TABLE \"a.b\" ALTER COLUMN c RENAME TO d",
            "H2         | ALTER TABLE t RENAME TO s.u.v",
            "POSTGRESQL | ALTER VIEW v RENAME COLUMN a TO b, c",
            "POSTGRESQL | ALTER VIEW v RENAME COLUMN a.b TO c",
            "POSTGRESQL | ALTER VIEW v RENAME COLUMN a TO s.b",
            "POSTGRESQL | ALTER VIEW v RENAME COLUMN TO b",
            "POSTGRESQL | ALTER VIEW \"a.b\" RENAME COLUMN c TO d",
            "POSTGRESQL | ALTER INDEX i RENAME COLUMN a TO b",
            "POSTGRESQL | ALTER SEQUENCE q RENAME COLUMN a TO b",
            "POSTGRESQL | ALTER VIEW v SET SCHEMA s.t",
            "POSTGRESQL | ALTER VIEW v SET SCHEMA s RENAME TO w",
            "POSTGRESQL | ALTER VIEW v SET SCHEMA",
            "POSTGRESQL | ALTER INDEX i SET SCHEMA s",
            "POSTGRESQL | ALTER VIEW \"a.b\" SET SCHEMA s",
            "POSTGRESQL | ALTER SEQUENCE q SET SCHEMA s RESTART",
            "H2         | ALTER TABLE t ALTER COLUMN IF EXISTS c RENAME TO d, e",
            "H2         | ALTER TABLE t ALTER COLUMN IF c RENAME TO d",
            "H2         | ALTER TABLE t ALTER COLUMN IF EXISTS RENAME TO d",
            "H2         | ALTER VIEW v RENAME COLUMN a TO b",
    })
    void nearMissesStayUnparseable(String dialect, String sql) {
        SqlAnalysis analysis = analyze(sql, Dialect.valueOf(dialect));
        assertThat(analysis.parsed()).as(sql).isFalse();
        assertThat(analysis.actions()).containsExactly(Action.UNKNOWN);
    }

    @Test
    void aSecondStatementAfterARenameIsReadAsItself() {
        List<StatementAnalysis> statements = analyze("ALTER VIEW v RENAME TO w; DROP TABLE x", Dialect.POSTGRESQL).statements();
        assertThat(statements).extracting(StatementAnalysis::action).containsExactly(Action.ALTER, Action.DROP);
        assertThat(statements.get(1).tablesWritten()).containsExactly(ref(null, "x"));
        List<StatementAnalysis> events = analyze("DROP EVENT e; DROP TABLE x", Dialect.MARIADB).statements();
        assertThat(events).extracting(StatementAnalysis::action).containsExactly(Action.DROP, Action.DROP);
        assertThat(events.get(1).tablesWritten()).containsExactly(ref(null, "x"));
        // a dollar-quoted string holding the rest is one literal, not a statement
        assertThat(analyze("ALTER VIEW v RENAME TO w $$; DROP TABLE x$$", Dialect.POSTGRESQL).parsed()).isFalse();
    }
}
