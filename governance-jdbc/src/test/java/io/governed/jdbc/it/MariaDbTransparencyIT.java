package io.governed.jdbc.it;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * Proves the wrapper is transparent on MariaDB (Connector/J 3): the TransparencySuite scenarios,
 * plus a procedure with an OUT parameter through CallableStatement. Several results come from one
 * string because the URL sets allowMultiQueries=true; the large result streams with a fetch size;
 * DROP ... IF EXISTS leaves a note that arrives as a warning; cancel kills SLEEP() with KILL QUERY.
 * MariaDB has no SQL arrays, so the array scenario is skipped.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("other sessions")
class MariaDbTransparencyIT extends TransparencySuite {
    private final String doubler = UniqueNames.of("doubler_out");

    @BeforeAll
    void createRoutines() throws SQLException {
        try (Connection c = database().connectRaw(); Statement st = c.createStatement()) {
            st.execute("CREATE PROCEDURE " + doubler + "(IN x INT, OUT y INT) BEGIN SET y = x * 2; END");
        }
    }

    @AfterAll
    void dropRoutines() throws SQLException {
        try (Connection c = database().connectRaw(); Statement st = c.createStatement()) {
            st.execute("DROP PROCEDURE IF EXISTS " + doubler);
        }
    }

    @Test
    void aProcedureWithAnOutParameterReturnsTheSameThroughCallableStatement() throws Exception {
        List<Object> raw = sameThroughBoth("callable", (c, table) -> {
            try (CallableStatement call = c.prepareCall("{call " + doubler + "(?, ?)}")) {
                call.setInt(1, 21);
                call.registerOutParameter(2, Types.INTEGER);
                call.execute();
                return List.of(call.getInt(2), call.getObject(2), call.getConnection() == c);
            }
        });
        assertThat(raw).containsExactly(42, 42, true);
    }

    @Override
    protected String identityColumn() {
        return "id BIGINT AUTO_INCREMENT PRIMARY KEY";
    }

    @Override
    protected String bytesType() {
        return "VARBINARY(64)";
    }

    @Override
    protected String timestampType() {
        return "DATETIME(3)";
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
        return "SELECT seq, CONCAT('row-', seq) FROM seq_1_to_50000 ORDER BY seq";
    }

    @Override
    protected String longRunningQuery() {
        return "SELECT SLEEP(60)";
    }

    @Override
    protected String arrayQuery() {
        return null;
    }

    @Override
    protected String runningStatementsQuery() {
        return "SELECT info FROM information_schema.processlist WHERE command = 'Query'";
    }

    @Override
    protected String sqlThatWarns() {
        return "DROP TABLE IF EXISTS no_such_table_governed_it";
    }

    @Override
    protected boolean warnsAtAll() {
        return true;
    }

    @Override
    protected Class<?> vendorConnectionInterface() {
        return org.mariadb.jdbc.Connection.class;
    }
}
