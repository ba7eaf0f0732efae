package io.governed.sql;

import static io.governed.sql.Analyses.analyze;
import static io.governed.sql.Analyses.first;
import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Temporary sequences and H2's user variables: objects and values the session keeps past the statement. */
class SessionObjectsTest {

    @Test
    void aTemporarySequenceIsACreateSequenceThatIsTemporary() {
        for (String sql : new String[] {"CREATE TEMP SEQUENCE s", "CREATE TEMPORARY SEQUENCE s START 5 INCREMENT BY 2",
                "create temp sequence s"}) {
            StatementAnalysis s = first(sql, Dialect.POSTGRESQL);
            assertThat(s.action()).as(sql).isEqualTo(Action.CREATE);
            assertThat(s.tablesWritten()).as(sql).containsExactly(table("s"));
            assertThat(s.traits()).as(sql).containsExactly(Trait.TEMPORARY);
        }
        assertThat(first("CREATE TEMPORARY SEQUENCE s", Dialect.MARIADB).traits()).containsExactly(Trait.TEMPORARY);
        assertThat(first("CREATE SEQUENCE s", Dialect.POSTGRESQL).traits()).isEmpty();
        for (String sql : new String[] {"CREATE TEMP TEMP SEQUENCE s", "CREATE TEMP SEQUENCE", "CREATE TEMP SEQUENCE s garbage("}) {
            assertThat(analyze(sql, Dialect.POSTGRESQL).parsed()).as(sql).isFalse();
        }
        assertThat(analyze("CREATE TEMP SEQUENCE s", Dialect.MARIADB).parsed()).isFalse();
    }

    @Test
    void anH2UserVariableIsReadAsMariaDbReadsIt() {
        StatementAnalysis set = first("SET @x = 1", Dialect.H2);
        assertThat(set.action()).isEqualTo(Action.SET);
        assertThat(set.traits()).containsExactly(Trait.KEEPS_VALUE);
        assertThat(set).isEqualTo(first("SET @x = 1", Dialect.MARIADB));

        StatementAnalysis kept = first("SET @x = (SELECT ssn FROM customers WHERE id = 1)", Dialect.H2);
        assertThat(kept.tablesRead()).containsExactly(table("CUSTOMERS"));
        assertThat(kept.columns()).contains(new ColumnRef(table("CUSTOMERS"), "SSN", Clause.KEPT));
        assertThat(kept.traits()).containsExactly(Trait.KEEPS_VALUE);

        assertThat(first("SELECT SET(@x, ssn) FROM customers", Dialect.H2).traits()).contains(Trait.KEEPS_VALUE);
        assertThat(first("SELECT @x", Dialect.H2).sessionValues()).containsExactly(Clause.SELECT);
        assertThat(first("SELECT id FROM customers WHERE ssn = @x", Dialect.H2).sessionValues()).containsExactly(Clause.WHERE);
        // an @ not followed by a name is no variable: @@x and a lone @ stay unreadable on H2
        assertThat(analyze("SET @@x = 1", Dialect.H2).parsed()).isFalse();
        assertThat(analyze("SET @ x = 1", Dialect.H2).parsed()).isFalse();
    }
}
