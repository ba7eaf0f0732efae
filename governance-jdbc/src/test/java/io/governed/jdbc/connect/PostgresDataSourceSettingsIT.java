package io.governed.jdbc.connect;

import com.zaxxer.hikari.HikariDataSource;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/*
 * A role taken by the data source GovernedDataSource wraps, on the real server: pgjdbc's options setting the role on a
 * PGSimpleDataSource, a HikariCP pool's connectionInitSql taking it, the same options among a pool's
 * dataSourceProperties. The baseline refuses a change of role through the gate; taken when the data source connects, the role
 * would own what the governed connection creates (read back through a raw connection). Each borrowing is refused
 * (08001) naming the setting, and nothing is created; harmless settings connect.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresDataSourceSettingsIT {
    private static final String ROLE = UniqueNames.of("ds_role");
    private static final String TABLE = UniqueNames.of("ds_owned");
    private static final Identity MALLORY = Identity.builder("mallory").kind(IdentityKind.SERVICE).build();

    private final Governance governance = Governance.builder().withoutAudit().defaultIdentity(MALLORY).build();

    /** A role that may create tables in the public schema, which no one can log in as. */
    @BeforeAll
    static void role() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE ROLE " + ROLE + " NOLOGIN");
            s.execute("GRANT CREATE, USAGE ON SCHEMA public TO " + ROLE);
        }
    }

    /** Drops the public table a test may have created, then the role. */
    @AfterAll
    static void dropRole() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS public." + TABLE);
            s.execute("REVOKE ALL ON SCHEMA public FROM " + ROLE);
            s.execute("DROP ROLE IF EXISTS " + ROLE);
        }
    }

    @Test
    void aPgjdbcDataSourceWhoseOptionsTakeARoleIsRefusedAndOwnsNothing() throws SQLException {
        PGSimpleDataSource pg = pgjdbc();
        pg.setOptions("-c role=" + ROLE);
        SQLException refusal = createTableThrough(new GovernedDataSource(pg, governance));
        assertThat(PostgresConnectSettingsIT.ownerOf(TABLE)).as("the owner of a table the governed connection created").isNull();
        assertRefused(refusal, "'options'");
    }

    @Test
    void aPoolWhoseInitSqlTakesARoleIsRefusedAndOwnsNothing() throws SQLException {
        try (HikariDataSource pool = pool()) {
            pool.setConnectionInitSql("SET ROLE " + ROLE);
            SQLException refusal = createTableThrough(new GovernedDataSource(pool, governance));
            assertThat(PostgresConnectSettingsIT.ownerOf(TABLE)).as("the owner of a table the governed connection created").isNull();
            assertRefused(refusal, "connectionInitSql");
        }
    }

    @Test
    void optionsAmongAPoolsDataSourcePropertiesAreRefusedWhicheverWayThePoolConnects() throws SQLException {
        try (HikariDataSource pool = pool()) {
            pool.addDataSourceProperty("options", "-c role=" + ROLE);
            assertRefused(createTableThrough(new GovernedDataSource(pool, governance)), "'options'");
        }
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setDataSourceClassName(PGSimpleDataSource.class.getName());
            pool.addDataSourceProperty("serverName", "127.0.0.1");
            pool.addDataSourceProperty("databaseName", TestDatabase.DATABASE);
            pool.addDataSourceProperty("user", TestDatabase.POSTGRESQL.user());
            pool.addDataSourceProperty("options", "-c role=" + ROLE);
            assertRefused(createTableThrough(new GovernedDataSource(pool, governance)), "'options'");
        }
        assertThat(PostgresConnectSettingsIT.ownerOf(TABLE)).as("the owner of a table the governed connection created").isNull();
    }

    @Test
    void aPoolOfAPgjdbcDataSourceWithHarmlessSettingsServesGovernedConnections() throws SQLException {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setDataSourceClassName(PGSimpleDataSource.class.getName());
            pool.addDataSourceProperty("serverName", "127.0.0.1");
            pool.addDataSourceProperty("portNumber", "5432");
            pool.addDataSourceProperty("databaseName", TestDatabase.DATABASE);
            pool.addDataSourceProperty("user", TestDatabase.POSTGRESQL.user());
            pool.addDataSourceProperty("applicationName", "governed-it");
            pool.addDataSourceProperty("currentSchema", "public");
            pool.setConnectionTestQuery("SELECT 1");
            try (GovernedDataSource governed = new GovernedDataSource(pool, governance);
                 Connection c = governed.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_user, current_setting('application_name')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(TestDatabase.POSTGRESQL.user());
                assertThat(rs.getString(2)).isEqualTo("governed-it");
            }
        }
    }

    @Test
    void aPgjdbcDataSourceGivenAUrlServesGovernedConnections() throws SQLException {
        // setURL fills in every setting the URL leaves out with pgjdbc's default: those are as if unset
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(TestDatabase.POSTGRESQL.rawUrl() + "&ApplicationName=governed-it&currentSchema=public");
        pg.setUser(TestDatabase.POSTGRESQL.user());
        try (Connection c = new GovernedDataSource(pg, governance).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('application_name')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("governed-it");
        }
        pg.setPreferQueryMode(org.postgresql.jdbc.PreferQueryMode.SIMPLE);
        assertRefused(createTableThrough(new GovernedDataSource(pg, governance)), "'preferQueryMode'");
    }

    private static PGSimpleDataSource pgjdbc() {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(TestDatabase.POSTGRESQL.rawUrl());
        pg.setUser(TestDatabase.POSTGRESQL.user());
        pg.setPassword(TestDatabase.POSTGRESQL.password());
        return pg;
    }

    /** A pool configured as Spring Boot configures one: set up first, started by its first borrowing. */
    private static HikariDataSource pool() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(TestDatabase.POSTGRESQL.rawUrl());
        pool.setUsername(TestDatabase.POSTGRESQL.user());
        pool.setPassword(TestDatabase.POSTGRESQL.password());
        pool.setMaximumPoolSize(2);
        return pool;
    }

    /** Borrows and creates the table (the baseline allows creating objects); the refusal, or null when it connected. */
    private static SQLException createTableThrough(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public." + TABLE + " (id int)");
            return null;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                return e;
            }
            throw e;
        }
    }

    private static void assertRefused(SQLException refusal, String setting) {
        if (refusal == null) {
            fail("the borrowing was not refused");
        }
        assertThat(refusal.getSQLState()).isEqualTo("08001");
        assertThat(refusal.getMessage()).contains("Connection refused").contains(setting).doesNotContain(ROLE);
    }
}
