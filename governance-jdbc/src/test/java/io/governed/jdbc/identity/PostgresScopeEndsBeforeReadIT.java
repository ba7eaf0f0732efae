package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Values a statement run in an identity's scope hands out stay that identity's, when they are read after the scope
 * has ended on a connection whose own identity no mask applies to (a lazily consumed result, a value kept for later).
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresScopeEndsBeforeReadIT {
    private static final TestDatabase DB = TestDatabase.POSTGRESQL;
    private static final Identity AGENT = Identity.builder("ann").groups("analysts").build();
    private Connection backOffice;

    @BeforeAll
    void fixture() throws SQLException {
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS scope_people CASCADE");
            s.execute("CREATE TABLE scope_people (id int PRIMARY KEY, name text, ssn text)");
            s.execute("INSERT INTO scope_people VALUES (1, 'Ada', '219-45-6789')");
            s.execute("CREATE OR REPLACE FUNCTION people_cursor() RETURNS refcursor LANGUAGE plpgsql AS "
                    + "$$ DECLARE c refcursor := 'scope_people_cursor'; BEGIN OPEN c FOR SELECT id, ssn FROM scope_people; RETURN c; END $$");
            s.execute("CREATE OR REPLACE FUNCTION people_cursor(p int, OUT s text) LANGUAGE sql AS "
                    + "$$ SELECT ssn FROM scope_people WHERE id = p $$");
        }
        backOffice = governed("back-office", "dba,pii-readers");
    }

    /** A connection under the test policy whose own identity is {@code principal} of {@code groups}. */
    private static Connection governed(String principal, String groups) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", DB.user());
        p.setProperty("password", DB.password());
        p.setProperty("governed.policy", "classpath:policies/scoped-read-policy.yaml");
        p.setProperty("governed.principal", principal);
        p.setProperty("governed.groups", groups);
        return DriverManager.getConnection(DB.governedUrl(), p);
    }

    @AfterAll
    void close() throws SQLException {
        if (backOffice != null) {
            backOffice.close();
        }
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP FUNCTION IF EXISTS people_cursor()");
            s.execute("DROP FUNCTION IF EXISTS people_cursor(int)");
            s.execute("DROP TABLE IF EXISTS scope_people CASCADE");
        }
    }

    @Test
    void theConnectionsOwnIdentityReadsInClear() throws SQLException {
        try (Statement s = backOffice.createStatement(); ResultSet rs = s.executeQuery("SELECT ssn FROM scope_people")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("219-45-6789");
        }
    }

    @Test
    void aResultRunInTheScopeStaysMaskedAfterIt() throws Exception {
        try (Statement s = backOffice.createStatement()) {
            ResultSet rs = IdentityContext.runAs(AGENT, () -> s.executeQuery("SELECT ssn FROM scope_people"));
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("*******6789");
        }
    }

    @Test
    void aRefcursorOfAResultRunInTheScopeStaysMaskedAfterIt() throws Exception {
        backOffice.setAutoCommit(false);
        try (Statement s = backOffice.createStatement()) {
            ResultSet rs = IdentityContext.runAs(AGENT, () -> s.executeQuery("SELECT people_cursor()"));
            rs.next();
            String seen;
            try (ResultSet cursor = (ResultSet) rs.getObject(1)) {
                cursor.next();
                seen = cursor.getString("ssn");
            } catch (SQLException refused) {
                seen = "refused " + refused.getSQLState();
            }
            assertThat(seen).isIn("*******6789", "refused 42501");
        } finally {
            backOffice.rollback();
            backOffice.setAutoCommit(true);
        }
    }

    @Test
    void anArrayOfAResultRunInTheScopeStaysMaskedAfterIt() throws Exception {
        try (Statement s = backOffice.createStatement()) {
            ResultSet rs = IdentityContext.runAs(AGENT, () -> s.executeQuery("SELECT array_agg(ssn) FROM scope_people"));
            rs.next();
            String seen;
            try {
                Array a = rs.getArray(1);
                try (ResultSet elements = a.getResultSet()) {
                    elements.next();
                    seen = elements.getString(2);
                }
            } catch (SQLException refused) {
                seen = "refused " + refused.getSQLState();
            }
            assertThat(seen).isNotEqualTo("219-45-6789");
        }
    }

    @Test
    void anOutParameterOfACallRunInTheScopeIsNotHandedOutAfterIt() throws Exception {
        try (CallableStatement call = backOffice.prepareCall("{call people_cursor(?, ?)}")) {
            call.setInt(1, 1);
            call.registerOutParameter(2, Types.VARCHAR);
            String ran;
            try {
                IdentityContext.runAs(AGENT, () -> call.execute());
                ran = "ran";
            } catch (SQLException refused) {
                ran = "refused " + refused.getSQLState();
            }
            assertThat(ran).isEqualTo("ran");
            {
                assertThatThrownBy(() -> call.getString(2)).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
        }
    }

    @Test
    void aResultFetchedAfterTheScopeOfTheRunThatOpenedItStaysMasked() throws Exception {
        try (Statement s = backOffice.createStatement()) {
            assertThat(IdentityContext.runAs(AGENT, () -> s.execute("SELECT ssn FROM scope_people"))).isTrue();
            try (ResultSet rs = s.getResultSet()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("*******6789");
            }
        }
    }

    @Test
    void generatedKeysOfAWriteRunInTheScopeStayMaskedAfterIt() throws Exception {
        Identity service = Identity.builder("billing").kind(io.governed.identity.IdentityKind.SERVICE).build();
        try (Statement s = backOffice.createStatement()) {
            IdentityContext.runAs(service, () -> s.executeUpdate("UPDATE scope_people SET name = name WHERE id = 1",
                    new String[] {"ssn"}));
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                assertThat(keys.getString(1)).isEqualTo("*******6789");
            }
        }
    }

    @Test
    void aStatementPreparedInAScopeOfClearReadsIsMaskedWhenRunOutsideIt() throws Exception {
        Identity reader = Identity.builder("rita").groups("analysts", "pii-readers").build();
        try (Connection analyst = governed("ann", "analysts")) {
            java.sql.PreparedStatement ps = IdentityContext.runAs(reader,
                    () -> analyst.prepareStatement("SELECT ssn FROM scope_people WHERE id = ?"));
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("*******6789");
            }
            ps.close();
        }
    }

    @Test
    void aBatchAddedInTheScopeOfAWriterIsRefusedWhenRunOutsideItByAReader() throws Exception {
        Identity service = Identity.builder("billing").kind(io.governed.identity.IdentityKind.SERVICE).build();
        try (Connection analyst = governed("ann", "analysts");
             Statement s = analyst.createStatement();
             java.sql.PreparedStatement ps = IdentityContext.runAs(service,
                     () -> analyst.prepareStatement("UPDATE scope_people SET name = ? WHERE id = 1"))) {
            IdentityContext.runAs(service, () -> {
                s.addBatch("UPDATE scope_people SET name = 'Eve' WHERE id = 1");
                ps.setString(1, "Eve");
                ps.addBatch();
            });
            assertThatThrownBy(s::executeBatch).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            assertThatThrownBy(ps::executeBatch).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM scope_people WHERE id = 1")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("Ada");
        }
    }
}
