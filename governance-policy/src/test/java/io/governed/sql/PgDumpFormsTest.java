package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forms {@code pg_dump --schema-only} writes that the parser cannot read, as a baseline migration brings them:
 * {@code ALTER SCHEMA s OWNER TO r}, {@code COMMENT ON FUNCTION f(args) IS '…'} (and the other kinds of object),
 * {@code ALTER TABLE … ALTER COLUMN c ADD GENERATED … AS IDENTITY (SEQUENCE NAME s …)}, an index item that is a call
 * with a cast among its arguments ({@code lower((email)::text)}); and psql's meta-commands ({@code \restrict}), which
 * are not SQL, refused with a message that says to delete them.
 */
class PgDumpFormsTest {

    private static StatementAnalysis only(String sql) {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, Dialect.POSTGRESQL);
        assertThat(analysis.parseError()).as(sql).isNull();
        assertThat(analysis.statements()).as(sql).hasSize(1);
        return analysis.statements().get(0);
    }

    @Test
    void anOwnerChangeOfASchemaIsAnAlterOfItsObjectsThatChangesPrivileges() {
        StatementAnalysis owner = only("ALTER SCHEMA app OWNER TO postgres");
        assertThat(owner.action()).isEqualTo(Action.ALTER);
        assertThat(owner.tablesWritten()).containsExactly(new TableRef("app", "*"));
        assertThat(owner.traits()).contains(Trait.PRIVILEGE_CHANGE);
        assertThat(owner.routines()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "COMMENT ON FUNCTION app.touch_updated_at() IS 'Keeps updated_at current'           | app | touch_updated_at |     |",
            "COMMENT ON FUNCTION app.tax(total numeric, rate numeric(5,2)) IS 'Tax'               | app | tax              |     |",
            "COMMENT ON PROCEDURE app.p(int) IS NULL                                              | app | p                |     |",
            "COMMENT ON SEQUENCE app.order_number_seq IS 'Numbers'                                | app | order_number_seq |     |",
            "COMMENT ON INDEX app.orders_open_idx IS 'Open orders'                                | app | orders_open_idx  |     |",
            "COMMENT ON TYPE app.order_status IS 'States'                                         | app | order_status     |     |",
            "COMMENT ON DOMAIN app.email_address IS 'Mail'                                        | app | email_address    |     |",
            "COMMENT ON MATERIALIZED VIEW app.order_counts IS 'Counts'                            | app | order_counts     |     |",
            "COMMENT ON SCHEMA app IS 'The application'                                           | app | *                |     |",
            "COMMENT ON TRIGGER orders_touch ON app.orders IS 'Touch'                             |     | orders_touch     | app | orders",
            "COMMENT ON CONSTRAINT orders_total_check ON app.orders IS 'Positive'                 |     | orders_total_check | app | orders",
    })
    void aCommentOnAnyObjectIsACommentOnIt(String sql, String schema, String name, String tableSchema, String table) {
        StatementAnalysis comment = only(sql);
        assertThat(comment.action()).as(sql).isEqualTo(Action.COMMENT);
        if (table == null) {
            assertThat(comment.tablesWritten()).as(sql).containsExactly(new TableRef(schema, name));
        } else {
            assertThat(comment.tablesWritten()).as(sql)
                    .containsExactlyInAnyOrder(new TableRef(schema, name), new TableRef(tableSchema, table));
        }
        assertThat(comment.routines()).as(sql).isEmpty();
        assertThat(comment.columns()).as(sql).isEmpty();
        assertThat(comment.traits()).as(sql).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "COMMENT ON FUNCTION app.f() IS 'a' || app.leak()",
            "COMMENT ON FUNCTION app.f() IS (SELECT ssn FROM app.customers)",
            "COMMENT ON FUNCTION app.f() IS 'a'; DELETE FROM app.customers",
            "COMMENT ON FUNCTION app.f(app.leak()) IS 'a'",
            "COMMENT ON FUNCTION app.f(app.leak((SELECT 1))) IS 'a'",
    })
    void aCommentWhoseTextIsNotOneStringIsNotRead(String sql) {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, Dialect.POSTGRESQL);
        assertThat(analysis.parseError() != null || analysis.statements().size() > 1
                || analysis.statements().stream().anyMatch(s -> s.action() != Action.COMMENT)).as(sql).isTrue();
    }

    @Test
    void anIdentityAddedToAColumnAltersTheTableAndNamesItsSequence() {
        StatementAnalysis identity = only("ALTER TABLE app.orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (\n"
                + "    SEQUENCE NAME app.orders_id_seq\n    START WITH 1\n    INCREMENT BY 1\n    NO MINVALUE\n"
                + "    NO MAXVALUE\n    CACHE 1\n)");
        assertThat(identity.action()).isEqualTo(Action.ALTER);
        assertThat(identity.tablesWritten()).containsExactlyInAnyOrder(new TableRef("app", "orders"),
                new TableRef("app", "orders_id_seq"));
        assertThat(identity.routines()).isEmpty();
        StatementAnalysis byDefault = only("ALTER TABLE ONLY app.orders ALTER COLUMN id ADD GENERATED BY DEFAULT"
                + " AS IDENTITY (START WITH 10 CACHE 1)");
        assertThat(byDefault.action()).isEqualTo(Action.ALTER);
        assertThat(byDefault.tablesWritten()).containsExactly(new TableRef("app", "orders"));
    }

    @Test
    void anIdentityWhoseOptionsAreNotSequenceOptionsIsNotRead() {
        SqlAnalysis analysis = new SqlAnalyzer().analyze("ALTER TABLE app.orders ALTER COLUMN id ADD GENERATED ALWAYS"
                + " AS IDENTITY (START WITH app.leak())", Dialect.POSTGRESQL);
        assertThat(analysis.parseError()).isNotNull();
    }

    @Test
    void anIndexOnACallWithACastIsReadAsTheSameCallInParentheses() {
        TableRef customers = new TableRef("app", "customers");
        StatementAnalysis index = only("CREATE INDEX customers_lower_email_idx ON app.customers USING btree"
                + " (lower((email)::text))");
        assertThat(index.action()).isEqualTo(Action.CREATE);
        assertThat(index.tablesWritten()).contains(customers);
        assertThat(index.columns()).extracting(ColumnRef::column).contains("email");
        StatementAnalysis leak = only("CREATE INDEX c_leak ON app.customers (app.leak((ssn)::text), lower((email)::text))");
        assertThat(leak.routines()).contains(new TableRef("app", "leak"));
        assertThat(leak.columns()).extracting(ColumnRef::column).contains("ssn", "email");
        StatementAnalysis unqualified = only("CREATE INDEX c_leak2 ON app.customers (leak((ssn)::text))");
        assertThat(unqualified.routines()).contains(new TableRef(null, "leak"));
        // a call whose arguments hold parentheses, with an operator class: refused before, read as ((call)) opclass
        StatementAnalysis nested = only("CREATE INDEX i ON users (coalesce(upper(a), b) varchar_pattern_ops)");
        assertThat(nested.action()).isEqualTo(Action.CREATE);
        assertThat(nested.columns()).extracting(ColumnRef::column).contains("a", "b");
        assertThat(nested.routines()).doesNotContain(new TableRef(null, "varchar_pattern_ops"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\\restrict surP9mlNzQBlm5QqSDK0hC0YsZDYryBEkAAlAYAL2QpFGJbYjthfoUIFjnzYTsX",
            "\\restrict k\nSET statement_timeout = 0",
            "\\unrestrict k",
            "\\connect other",
    })
    void aPsqlMetaCommandIsRefusedWithWhatToDo(String sql) {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, Dialect.POSTGRESQL);
        assertThat(analysis.parseError()).as(sql).isNotNull().contains("psql meta-command")
                .contains("delete").doesNotContain("surp9mln");
    }
}
