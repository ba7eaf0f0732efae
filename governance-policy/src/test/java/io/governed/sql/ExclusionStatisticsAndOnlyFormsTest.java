package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Migration forms read since they were refused or read short: PostgreSQL exclusion constraints ({@code EXCLUDE USING
 * gist (room WITH =, during WITH &&)}) in a CREATE TABLE or an ALTER TABLE … ADD, {@code CREATE STATISTICS}, MariaDB
 * {@code ADD INDEX|KEY IF NOT EXISTS}; and the forms that stay refused, each with a message that says why.
 */
class ExclusionStatisticsAndOnlyFormsTest {

    private static StatementAnalysis only(String sql, Dialect dialect) {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, dialect);
        assertThat(analysis.parseError()).as(sql).isNull();
        assertThat(analysis.statements()).as(sql).hasSize(1);
        return analysis.statements().get(0);
    }

    private static ColumnRef col(TableRef table, String column, Clause clause) {
        return new ColumnRef(table, column, clause);
    }

    @Test
    void anExclusionConstraintAddedToATableComparesItsColumnsAndRunsItsCalls() {
        TableRef booking = new TableRef(null, "booking");
        StatementAnalysis add = only("ALTER TABLE booking ADD CONSTRAINT booking_no_overlap"
                + " EXCLUDE USING gist (room WITH =, during WITH &&)", Dialect.POSTGRESQL);
        assertThat(add.action()).isEqualTo(Action.ALTER);
        assertThat(add.tablesWritten()).containsExactly(booking);
        assertThat(add.columns()).contains(col(booking, "room", Clause.COMPARED), col(booking, "during", Clause.COMPARED));
        StatementAnalysis partial = only("ALTER TABLE app.booking ADD EXCLUDE USING gist (room WITH =, during WITH &&)"
                + " WHERE (NOT cancelled)", Dialect.POSTGRESQL);
        TableRef appBooking = new TableRef("app", "booking");
        assertThat(partial.tablesWritten()).containsExactly(appBooking);
        assertThat(partial.columns()).contains(col(appBooking, "room", Clause.COMPARED),
                col(appBooking, "cancelled", Clause.WHERE));
        StatementAnalysis call = only("ALTER TABLE booking ADD CONSTRAINT c EXCLUDE USING gist (leak(ssn) WITH =)"
                + " DEFERRABLE INITIALLY DEFERRED", Dialect.POSTGRESQL);
        assertThat(call.routines()).containsExactly(new TableRef(null, "leak"));
        assertThat(call.traits()).contains(Trait.ATTACHES_CODE);
        assertThat(call.columns()).contains(col(booking, "ssn", Clause.COMPARED));
    }

    @Test
    void anExclusionConstraintInACreateTableRecordsTheRoutinesItAttaches() {
        // read before as a table with no columns touched and no routine: leak ran on every later write, unchecked
        StatementAnalysis create = only("CREATE TABLE booking (room int, during tsrange,"
                + " EXCLUDE USING gist (leak(room) WITH =, during WITH &&))", Dialect.POSTGRESQL);
        assertThat(create.action()).isEqualTo(Action.CREATE);
        assertThat(create.routines()).containsExactly(new TableRef(null, "leak"));
        StatementAnalysis plain = only("CREATE TABLE booking (room int, during tsrange,"
                + " CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (room > 0))",
                Dialect.POSTGRESQL);
        assertThat(plain.routines()).isEmpty();
        assertThat(plain.columns()).contains(col(new TableRef(null, "booking"), "room", Clause.COMPARED));
    }

    @Test
    void statisticsReadEveryValueOfTheirColumnsAndExpressions() {
        TableRef addresses = new TableRef(null, "addresses");
        StatementAnalysis stats = only("CREATE STATISTICS addresses_city_zip (dependencies, mcv) ON city, zip"
                + " FROM addresses", Dialect.POSTGRESQL);
        assertThat(stats.action()).isEqualTo(Action.CREATE);
        assertThat(stats.tablesWritten()).containsExactly(addresses);
        assertThat(stats.columns()).contains(col(addresses, "city", Clause.COMPUTED), col(addresses, "zip", Clause.COMPUTED));
        StatementAnalysis ifNotExists = only("CREATE STATISTICS IF NOT EXISTS app.s ON (lower(email)), tenant"
                + " FROM app.users", Dialect.POSTGRESQL);
        TableRef users = new TableRef("app", "users");
        assertThat(ifNotExists.tablesWritten()).containsExactly(users);
        assertThat(ifNotExists.columns()).contains(col(users, "email", Clause.COMPUTED), col(users, "tenant", Clause.COMPUTED));
        StatementAnalysis unnamed = only("CREATE STATISTICS ON (leak(ssn)), city FROM addresses", Dialect.POSTGRESQL);
        assertThat(unnamed.routines()).containsExactly(new TableRef(null, "leak"));
        assertThat(unnamed.columns()).contains(col(addresses, "ssn", Clause.COMPUTED));
    }

    @Test
    void aQualifiedCallInAnIndexListIsReadAsTheCall() {
        TableRef users = new TableRef("app", "users");
        StatementAnalysis plain = only("CREATE INDEX users_norm ON app.users (public.norm(email) text_pattern_ops, id)",
                Dialect.POSTGRESQL);
        assertThat(plain.routines()).containsExactly(new TableRef("public", "norm"));
        assertThat(plain.columns()).contains(col(users, "email", Clause.COMPUTED)).extracting(ColumnRef::column)
                .doesNotContain("norm", "public");
        StatementAnalysis unique = only("CREATE UNIQUE INDEX IF NOT EXISTS u ON app.users USING btree"
                + " (tenant, app.digits(ssn) DESC)", Dialect.POSTGRESQL);
        assertThat(unique.routines()).containsExactly(new TableRef("app", "digits"));
        assertThat(unique.columns()).contains(col(users, "ssn", Clause.COMPARED), col(users, "tenant", Clause.COMPARED));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ALTER TABLE users ADD INDEX IF NOT EXISTS (email)",
            "ALTER TABLE users ADD INDEX IF NOT EXISTS users_email (email)",
            "ALTER TABLE users ADD KEY IF NOT EXISTS users_email (email(10)), ADD INDEX IF NOT EXISTS (name)",
    })
    void mariadbAddIndexIfNotExistsIsTheSameAdd(String sql) {
        StatementAnalysis add = only(sql, Dialect.MARIADB);
        assertThat(add.action()).isEqualTo(Action.ALTER);
        assertThat(add.tablesWritten()).containsExactly(new TableRef(null, "users"));
    }

    @Test
    void mariadbAddUniqueIndexIfNotExistsComparesItsColumns() {
        StatementAnalysis add = only("ALTER TABLE users ADD UNIQUE INDEX IF NOT EXISTS u (ssn)", Dialect.MARIADB);
        assertThat(add.columns()).contains(col(new TableRef(null, "users"), "ssn", Clause.COMPARED));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | UPDATE ONLY accounts a SET balance = 0 FROM a, ONLY orders o WHERE o.aid = a.id | ONLY",
            "POSTGRESQL | SELECT a.id FROM accounts a JOIN ONLY orders o ON o.aid = a.id            | ONLY",
            "POSTGRESQL | SELECT a.id FROM accounts a, ONLY orders o WHERE o.aid = a.id              | ONLY",
            "MARIADB    | ALTER IGNORE TABLE users ADD UNIQUE (email)                                | IGNORE",
    })
    void theFormsThatStayRefusedSayWhy(Dialect dialect, String sql, String word) {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, dialect);
        assertThat(analysis.parseError()).as(sql).isNotNull().contains(word).contains("not read");
    }
}
