package io.governed.jdbc.connect;

import com.zaxxer.hikari.HikariDataSource;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * The statements a MariaDB data source wrapped by GovernedDataSource runs when it connects, on the real server: the
 * driver's initSql in a MariaDbDataSource's URL, and a HikariCP pool's connectionInitSql. Each would empty a table
 * the gate refuses to empty (a DELETE without WHERE); each borrowing is refused (08001) and the rows stay, read
 * through a raw connection.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbDataSourceSettingsIT {
    private static final Identity MALLORY = Identity.builder("mallory").kind(IdentityKind.SERVICE).build();
    private final String table = UniqueNames.of("ds_victim");
    private final Governance governance = Governance.builder().withoutAudit().defaultIdentity(MALLORY).build();

    @BeforeEach
    void victim() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            s.execute("INSERT INTO " + table + " VALUES (1), (2)");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void aDataSourceWhoseUrlRunsInitSqlIsRefusedAndTheRowsStay() throws SQLException {
        MariaDbDataSource maria = new MariaDbDataSource(jdbcUrl() + "&initSql=DELETE%20FROM%20" + table);
        GovernedDataSource governed = new GovernedDataSource(maria, governance);
        assertThatThrownBy(governed::getConnection).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                .hasMessageContaining("'initSql'")
                .hasMessageContaining("the MariaDB data source's URL")
                .hasMessageNotContaining("DELETE");
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void aPoolWhoseInitSqlDeletesIsRefusedAndTheRowsStay() throws SQLException {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(jdbcUrl());
            pool.setConnectionInitSql("DELETE FROM " + table);
            GovernedDataSource governed = new GovernedDataSource(pool, governance);
            assertThatThrownBy(governed::getConnection).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                    .hasMessageContaining("connectionInitSql")
                    .hasMessageNotContaining("DELETE");
        }
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void aDataSourceWithHarmlessSettingsServesGovernedConnections() throws SQLException {
        MariaDbDataSource maria = new MariaDbDataSource(jdbcUrl() + "&connectTimeout=5000");
        try (Connection c = new GovernedDataSource(maria, governance).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    private static String jdbcUrl() {
        String url = TestDatabase.MARIADB.rawUrl();
        String credentials = "user=" + TestDatabase.MARIADB.user() + "&password=" + TestDatabase.MARIADB.password();
        return url + (url.contains("?") ? "&" : "?") + credentials;
    }

    private int rows() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
