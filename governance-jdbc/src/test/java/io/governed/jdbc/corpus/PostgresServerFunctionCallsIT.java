package io.governed.jdbc.corpus;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A permit of {@code call} on the routines of schema {@code s}, through the driver against PostgreSQL with a search path
 * resolving names to {@code s}: an unqualified call of a server function with effects ({@code pg_terminate_backend},
 * {@code lo_create}, …) is {@code pg_catalog}'s, found there first, and was taken for {@code s.pg_terminate_backend}. It
 * is refused now, and a raw connection checks that no backend was ended and no large object made; the schema's own
 * routines and reading built-ins still run.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ServerWide("ALTER SYSTEM / server configuration, databases, other sessions")
class PostgresServerFunctionCallsIT {
    private static final String DATABASE = "governed_server_calls";
    private static final long LARGE_OBJECT = 4_242_421L;
    private static final String POLICY = """
            version: 1
            default: deny
            rules:
              - { id: devs-schema-s, effect: permit, principals: { groups: [devs] }, actions: ["*"], resources: ["s.*"] }
            """;

    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();
    private String policyPath;

    @BeforeAll
    void policy() throws Exception {
        Servers.ensurePostgresDatabase(DATABASE);
        policyPath = Servers.policyFile("server-calls", POLICY);
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("ALTER DATABASE " + DATABASE + " SET search_path = s");
        }
    }

    @BeforeEach
    void fixture() throws SQLException {
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS s CASCADE");
            s.execute("CREATE SCHEMA s");
            s.execute("CREATE FUNCTION s.s_report() RETURNS int LANGUAGE sql AS 'SELECT 7'");
            s.execute("SELECT lo_unlink(oid) FROM pg_largeobject_metadata WHERE oid = " + LARGE_OBJECT);
        }
    }

    private Connection dev() throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policyPath);
        p.setProperty("governed.principal", "dave");
        p.setProperty("governed.groups", "devs");
        return postgres.governed(DATABASE, p);
    }

    private static void refused(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql)).as(sql)
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains("pg_catalog.");
                    });
        }
    }

    @Test
    void noBackendIsEndedThroughAPermitOnTheSchema() throws SQLException {
        try (Connection victim = postgres.raw(DATABASE); Connection c = dev()) {
            int pid;
            try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            refused(c, "SELECT pg_terminate_backend(" + pid + ")");
            refused(c, "SELECT pg_cancel_backend(" + pid + ")");
            try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue(); // still connected
            }
        }
    }

    @Test
    void noLargeObjectIsMadeThroughAPermitOnTheSchema() throws SQLException {
        try (Connection c = dev()) {
            refused(c, "SELECT lo_create(" + LARGE_OBJECT + ")");
        }
        assertThat(postgres.rawColumn(DATABASE,
                "SELECT oid::text FROM pg_largeobject_metadata WHERE oid = " + LARGE_OBJECT)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT pg_reload_conf()",
            "SELECT lo_unlink(" + LARGE_OBJECT + ")",
            "SELECT set_config('app.x', 'y', false)",
            "SELECT pg_notify('c', 'x')",
    })
    void otherServerFunctionsWithEffectsAreRefused(String sql) throws SQLException {
        try (Connection c = dev()) {
            refused(c, sql);
        }
    }

    @Test
    void theSchemasOwnRoutinesAndReadingBuiltInsStillRun() throws SQLException {
        try (Connection c = dev(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT s_report(), lower('A'), now() IS NOT NULL")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(7);
            assertThat(rs.getString(2)).isEqualTo("a");
        }
    }
}
