package io.governed.jdbc.it;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.CallableStatement;
import io.governed.jdbc.support.JdbcValues;
import io.governed.jdbc.wrapper.GovernedConnection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * Proves the wrapper is transparent on PostgreSQL (pgjdbc): the TransparencySuite scenarios, plus
 * routines through CallableStatement ({? = call f(?)} and a procedure with an INOUT parameter via
 * CALL) and refcursors, which come back as governed result sets. Several results come from one simple-query string; the large result streams through a
 * server-side cursor, which pgjdbc uses only with autocommit off; RAISE NOTICE and
 * DROP ... IF EXISTS arrive as warnings; cancel ends pg_sleep with 57014.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@ServerWide("other sessions")
class PostgresTransparencyIT extends TransparencySuite {
    private final String doubler = UniqueNames.of("doubler");
    private final String addTen = UniqueNames.of("add_ten");
    private final String cursorOf = UniqueNames.of("cursor_of");

    @BeforeAll
    void createRoutines() throws SQLException {
        try (Connection c = database().connectRaw(); Statement st = c.createStatement()) {
            st.execute("CREATE FUNCTION " + doubler + "(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x * 2'");
            st.execute("CREATE PROCEDURE " + addTen + "(INOUT x integer) LANGUAGE plpgsql AS 'BEGIN x := x + 10; END'");
            st.execute("CREATE FUNCTION " + cursorOf + "(n integer) RETURNS refcursor LANGUAGE plpgsql AS "
                    + "'DECLARE c refcursor; BEGIN OPEN c FOR SELECT g, ''r'' || g FROM generate_series(1, n) g; RETURN c; END'");
        }
    }

    @AfterAll
    void dropRoutines() throws SQLException {
        try (Connection c = database().connectRaw(); Statement st = c.createStatement()) {
            st.execute("DROP FUNCTION IF EXISTS " + doubler + "(integer)");
            st.execute("DROP PROCEDURE IF EXISTS " + addTen + "(integer)");
            st.execute("DROP FUNCTION IF EXISTS " + cursorOf + "(integer)");
        }
    }

    @Test
    void aFunctionAndAnInoutProcedureReturnTheSameThroughCallableStatement() throws Exception {
        List<Object> raw = sameThroughBoth("callable", (c, table) -> {
            try (CallableStatement function = c.prepareCall("{? = call " + doubler + "(?)}");
                 CallableStatement procedure = c.prepareCall("CALL " + addTen + "(?)")) {
                function.registerOutParameter(1, Types.INTEGER);
                function.setInt(2, 21);
                function.execute();
                procedure.setInt(1, 5);
                procedure.registerOutParameter(1, Types.INTEGER);
                procedure.execute();
                return List.of(function.getInt(1), function.getObject(1), procedure.getInt(1),
                        function.getConnection() == c);
            }
        });
        assertThat(raw).containsExactly(42, 42, 15, true);
    }

    @Test
    void aRefcursorComesBackAsAGovernedResultSetWithTheSameRows() throws Exception {
        List<Object> raw = sameThroughBoth("refcursor", (c, table) -> {
            boolean governed = c instanceof GovernedConnection;
            c.setAutoCommit(false); // a refcursor lives only inside its transaction
            try (CallableStatement call = c.prepareCall("{? = call " + cursorOf + "(?)}");
                 Statement st = c.createStatement()) {
                call.registerOutParameter(1, Types.REF_CURSOR);
                call.setInt(2, 3);
                call.execute();
                List<Object> seen = new ArrayList<>();
                try (ResultSet cursor = (ResultSet) call.getObject(1)) {
                    if (governed) {
                        assertThat(cursor.getStatement()).isSameAs(call);
                    }
                    seen.add(JdbcValues.rows(cursor));
                }
                try (ResultSet rs = st.executeQuery("SELECT " + cursorOf + "(2)")) {
                    rs.next();
                    Object value = rs.getObject(1); // reads the cursor: call once
                    assertThat(value).isInstanceOf(ResultSet.class);
                    try (ResultSet cursor = (ResultSet) value) {
                        if (governed) {
                            assertThat(cursor.getStatement()).isSameAs(st);
                        }
                        seen.add(JdbcValues.rows(cursor));
                    }
                }
                return seen;
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        });
        assertThat(raw).containsExactly(
                List.of(List.of(1, "r1"), List.of(2, "r2"), List.of(3, "r3")),
                List.of(List.of(1, "r1"), List.of(2, "r2")));
    }

    @Override
    protected String identityColumn() {
        return "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    }

    @Override
    protected String bytesType() {
        return "BYTEA";
    }

    @Override
    protected String timestampType() {
        return "TIMESTAMP(3)";
    }

    @Override
    protected String multipleResultsSql(String table) {
        return "INSERT INTO " + table + " (n, name) VALUES (1, 'a'), (2, 'b'); "
                + "SELECT n, name FROM " + table + " ORDER BY n; "
                + "UPDATE " + table + " SET name = 'c' WHERE n = 2; "
                + "SELECT count(*) FROM " + table;
    }

    @Override
    protected String fiftyThousandRowsQuery() {
        return "SELECT g, 'row-' || g FROM generate_series(1, 50000) AS g ORDER BY g";
    }

    @Override
    protected void prepareForStreaming(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
    }

    @Override
    protected String longRunningQuery() {
        return "SELECT pg_sleep(60)";
    }

    @Override
    protected String arrayQuery() {
        return "SELECT ARRAY[1, 2, 3]";
    }

    @Override
    protected String runningStatementsQuery() {
        return "SELECT query FROM pg_stat_activity WHERE state = 'active'";
    }

    @Override
    protected String sqlThatWarns() {
        return "DO $$ BEGIN RAISE NOTICE 'governed transparency notice'; END $$; "
                + "DROP TABLE IF EXISTS no_such_table_governed_it";
    }

    @Override
    protected boolean warnsAtAll() {
        return true;
    }

    @Override
    protected Class<?> vendorConnectionInterface() {
        return org.postgresql.PGConnection.class;
    }
}
