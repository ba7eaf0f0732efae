package io.governed.jdbc.connect;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * Tomcat JDBC's and Commons DBCP2's pools wrapped by GovernedDataSource, on the real server: each setting that acts
 * on the raw connection (an init statement, a validation query that deletes, an interceptor of the application's
 * own, pgjdbc's options setting the role among the connection properties) is first shown to act through the pool alone, read
 * back through a raw connection; through the governed data source the borrowing is refused (08001) naming the setting,
 * never its value, and the victim table keeps its row. Benign pools serve governed connections.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresPoolSettingsIT {
    private static final String ROLE = UniqueNames.of("pools_role");
    private static final String TABLE = UniqueNames.of("pools_victim");
    private static final String DELETE = "DELETE FROM public." + TABLE;
    private static final String DELETING_QUERY = "WITH gone AS (DELETE FROM public." + TABLE + " RETURNING 1) SELECT 1";
    private static final Identity MALLORY = Identity.builder("mallory").kind(IdentityKind.SERVICE).build();

    private final Governance governance = Governance.builder().withoutAudit().defaultIdentity(MALLORY).build();

    /** A role that may create tables in the public schema, which no one can log in as, and the public table. */
    @BeforeAll
    static void roleAndTable() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE ROLE " + ROLE + " NOLOGIN");
            s.execute("GRANT CREATE, USAGE ON SCHEMA public TO " + ROLE);
            s.execute("CREATE TABLE public." + TABLE + " (id int)");
        }
    }

    @AfterAll
    static void dropRoleAndTable() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS public." + TABLE);
            s.execute("REVOKE ALL ON SCHEMA public FROM " + ROLE);
            s.execute("DROP ROLE IF EXISTS " + ROLE);
        }
    }

    @BeforeEach
    void oneRow() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute(DELETE);
            s.execute("INSERT INTO public." + TABLE + " VALUES (1)");
        }
    }

    @Test
    void aTomcatPoolWhoseInitSqlDeletesIsRefusedAndTheRowStays() throws SQLException {
        org.apache.tomcat.jdbc.pool.DataSource pool = tomcat();
        pool.setInitSQL(DELETE);
        assertRefusedThenDeletesRaw(pool, "initSQL");
    }

    @Test
    void aTomcatValidationQueryThatDeletesIsRefusedAndTheRowStays() throws SQLException {
        org.apache.tomcat.jdbc.pool.DataSource pool = tomcat();
        pool.setValidationQuery(DELETING_QUERY);
        pool.setTestOnConnect(true);
        pool.setTestOnBorrow(true);
        assertRefusedThenDeletesRaw(pool, "validationQuery");
    }

    @Test
    void aTomcatInterceptorThatDeletesIsRefusedAndTheRowStays() throws SQLException {
        org.apache.tomcat.jdbc.pool.DataSource pool = tomcat();
        RawStatementInterceptor.statement = DELETE;
        pool.setJdbcInterceptors(RawStatementInterceptor.class.getName());
        assertRefusedThenDeletesRaw(pool, "jdbcInterceptors");
    }

    @Test
    void aRoleTakenThroughATomcatPoolsConnectionPropertiesIsRefused() throws SQLException {
        org.apache.tomcat.jdbc.pool.DataSource pool = tomcat();
        pool.setConnectionProperties("options=-c role=" + ROLE);
        assertRefusedThenTakesTheRoleRaw(pool);
    }

    @Test
    void aDbcpPoolWhoseConnectionInitSqlsDeleteIsRefusedAndTheRowStays() throws SQLException {
        BasicDataSource pool = dbcp();
        pool.setConnectionInitSqls(List.of(DELETE));
        assertRefusedThenDeletesRaw(pool, "connectionInitSqls");
    }

    @Test
    void aDbcpValidationQueryThatDeletesIsRefusedAndTheRowStays() throws SQLException {
        BasicDataSource pool = dbcp();
        pool.setValidationQuery(DELETING_QUERY);
        pool.setTestOnBorrow(true);
        assertRefusedThenDeletesRaw(pool, "validationQuery");
    }

    @Test
    void aRoleTakenThroughADbcpPoolsConnectionPropertiesIsRefused() throws SQLException {
        BasicDataSource pool = dbcp();
        pool.addConnectionProperty("options", "-c role=" + ROLE);
        assertRefusedThenTakesTheRoleRaw(pool);
    }

    @Test
    void benignPoolsServeGovernedConnections() throws SQLException {
        org.apache.tomcat.jdbc.pool.DataSource tomcat = tomcat();
        tomcat.setValidationQuery("SELECT 1");
        tomcat.setTestOnBorrow(true);
        tomcat.setJdbcInterceptors("StatementFinalizer");
        tomcat.setConnectionProperties("ApplicationName=governed-it");
        assertServes(tomcat);
        BasicDataSource dbcp = dbcp();
        dbcp.setValidationQuery("SELECT 1");
        dbcp.addConnectionProperty("ApplicationName", "governed-it");
        dbcp.setDefaultSchema("public");
        assertServes(dbcp);
    }

    private static org.apache.tomcat.jdbc.pool.DataSource tomcat() {
        org.apache.tomcat.jdbc.pool.DataSource pool = new org.apache.tomcat.jdbc.pool.DataSource();
        pool.setUrl(TestDatabase.POSTGRESQL.rawUrl());
        pool.setUsername(TestDatabase.POSTGRESQL.user());
        pool.setPassword(TestDatabase.POSTGRESQL.password());
        pool.setInitialSize(0);
        pool.setMaxActive(2);
        return pool;
    }

    private static BasicDataSource dbcp() {
        BasicDataSource pool = new BasicDataSource();
        pool.setUrl(TestDatabase.POSTGRESQL.rawUrl());
        pool.setUsername(TestDatabase.POSTGRESQL.user());
        pool.setPassword(TestDatabase.POSTGRESQL.password());
        pool.setMaxTotal(2);
        return pool;
    }

    private void assertRefusedThenDeletesRaw(DataSource pool, String setting) throws SQLException {
        try {
            assertRefused(new GovernedDataSource(pool, governance), setting);
            assertThat(rows()).as("the row, after the governed borrowing was refused").isEqualTo(1);
            try (Connection raw = pool.getConnection()) {
                assertThat(raw).isNotInstanceOf(GovernedConnection.class);
            } catch (SQLException e) {
                // a pool may report the failed validation of a connection whose validation deleted the row
            }
            assertThat(rows()).as("the row, after borrowing from the pool directly").isZero();
        } finally {
            close(pool);
        }
    }

    private void assertRefusedThenTakesTheRoleRaw(DataSource pool) throws SQLException {
        try {
            assertRefused(new GovernedDataSource(pool, governance), "'options'");
            try (Connection raw = pool.getConnection(); Statement s = raw.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_user")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("the role of a connection borrowed from the pool directly").isEqualTo(ROLE);
            }
        } finally {
            close(pool);
        }
    }

    private void assertServes(DataSource pool) throws SQLException {
        try {
            GovernedDataSource governed = new GovernedDataSource(pool, governance);
            for (int borrowing = 0; borrowing < 3; borrowing++) {
                try (Connection c = governed.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*), current_user, current_setting('application_name') FROM public." + TABLE)) {
                    assertThat(c).isInstanceOf(GovernedConnection.class);
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                    assertThat(rs.getString(2)).isEqualTo(TestDatabase.POSTGRESQL.user());
                    assertThat(rs.getString(3)).isEqualTo("governed-it");
                }
            }
        } finally {
            close(pool);
        }
    }

    private static void assertRefused(DataSource governed, String setting) {
        assertThatThrownBy(() -> governed.getConnection().close()).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                .hasMessageContaining("Connection refused")
                .hasMessageContaining(setting)
                .hasMessageNotContaining(ROLE)
                .hasMessageNotContaining(TABLE)
                .hasMessageNotContaining(RawStatementInterceptor.class.getSimpleName());
    }

    private static int rows() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM public." + TABLE)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void close(DataSource pool) throws SQLException {
        if (pool instanceof org.apache.tomcat.jdbc.pool.DataSource tomcat) {
            tomcat.close();
        } else if (pool instanceof BasicDataSource dbcp) {
            dbcp.close();
        }
    }
}
