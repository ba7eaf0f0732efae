package io.governed.sql;

import static io.governed.sql.Analyses.first;
import static io.governed.sql.Analyses.maria;
import static io.governed.sql.Analyses.pg;
import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** MariaDB's {@code _rowid} and H2's {@code _rowid_} are the table's key under another name: any of its columns. */
class KeyAliasTest {

    @Test
    void theKeysOtherNameMayBeAnyColumnOfItsTable() {
        assertThat(maria("SELECT _rowid FROM t").resultColumns().get(0).allColumnsOf()).containsExactly(table("t"));
        assertThat(maria("SELECT k._rowid AS v FROM t AS k, u").resultColumns().get(0).allColumnsOf())
                .containsExactly(table("t"));
        assertThat(first("SELECT _ROWID_ FROM t", Dialect.H2).resultColumns().get(0).allColumnsOf())
                .containsExactly(table("T"));
        assertThat(maria("SELECT id FROM t WHERE _rowid = 5").columns())
                .contains(new ColumnRef(table("t"), ColumnRef.ALL_COLUMNS, Clause.WHERE));
    }

    @Test
    void elsewhereItIsAnOrdinaryColumn() {
        assertThat(pg("SELECT _rowid FROM t").resultColumns().get(0).sources())
                .containsExactly(new SourceColumn(table("t"), "_rowid"));
        assertThat(first("SELECT _rowid FROM t", Dialect.H2).resultColumns().get(0).sources())
                .containsExactly(new SourceColumn(table("T"), "_ROWID"));
    }
}
