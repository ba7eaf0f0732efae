package io.governed.jdbc.masking;

import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.h2.jdbcx.JdbcDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/** {@link MaskedResultSetWasNullSpec} on H2. */
class MaskedResultSetWasNullPropertyTest extends MaskedResultSetWasNullSpec {
    private static JdbcDataSource h2;
    private static Connection keeper;

    @BeforeContainer
    static void create() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:was-null-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        keeper = h2.getConnection();
        try (Statement s = keeper.createStatement()) {
            fill(s, "VARCHAR(10) ARRAY");
        }
    }

    @AfterContainer
    static void close() throws SQLException {
        try (Statement s = keeper.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    @Override
    DataSource database() {
        return h2;
    }
}
