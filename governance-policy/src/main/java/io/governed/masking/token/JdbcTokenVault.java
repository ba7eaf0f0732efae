package io.governed.masking.token;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A vault in a table, {@code (scope, token, sealed)}: give it a data source of its own (not a governed
 * one, and ideally not the database whose values it seals). The table is created when missing.
 * Values are sealed before they reach it, so the table alone reveals nothing; the vault key stays
 * outside the database.
 */
public final class JdbcTokenVault implements TokenVault {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    /** Where the vault's connections come from. */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    private final Connections dataSource;
    private final String table;

    /**
     * @param table the table's name, plain letters, digits and underscores (optionally schema-qualified)
     * @throws SQLException when the table cannot be created
     */
    public JdbcTokenVault(DataSource dataSource, String table) throws SQLException {
        this(Objects.requireNonNull(dataSource, "dataSource")::getConnection, table);
    }

    /**
     * @param connections where connections to the vault's database come from
     * @param table       the table's name, plain letters, digits and underscores (optionally schema-qualified)
     * @throws SQLException when the table cannot be created
     */
    public JdbcTokenVault(Connections connections, String table) throws SQLException {
        this.dataSource = Objects.requireNonNull(connections, "connections");
        if (!NAME.matcher(Objects.requireNonNull(table, "table")).matches()) {
            throw new IllegalArgumentException("token vault table name '" + table
                    + "' is not a plain name: use letters, digits and underscores, like governed_token_vault");
        }
        this.table = table;
        try {
            create("VARBINARY(8192)"); // H2, MariaDB, SQL Server
        } catch (SQLException noVarbinary) {
            try {
                create("BYTEA"); // PostgreSQL
            } catch (SQLException noBytea) {
                noVarbinary.addSuppressed(noBytea);
                throw noVarbinary;
            }
        }
    }

    private void create(String binaryType) throws SQLException {
        try (Connection c = dataSource.open(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " (scope VARCHAR(128) NOT NULL, token VARCHAR(256) NOT NULL,"
                    + " sealed " + binaryType + " NOT NULL, PRIMARY KEY (scope, token))");
        }
    }

    @Override
    public boolean putIfAbsent(String scope, String token, byte[] sealed) {
        if (get(scope, token) != null) {
            return false;
        }
        try (Connection c = dataSource.open();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (scope, token, sealed) VALUES (?, ?, ?)")) {
            ps.setString(1, scope);
            ps.setString(2, token);
            ps.setBytes(3, sealed);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (get(scope, token) != null) {
                return false; // another thread or process kept it first
            }
            throw new IllegalStateException("The token vault table " + table + " cannot be written (SQLState "
                    + e.getSQLState() + "); the value is not handed out tokenized", e);
        }
    }

    @Override
    public byte[] get(String scope, String token) {
        try (Connection c = dataSource.open();
             PreparedStatement ps = c.prepareStatement("SELECT sealed FROM " + table + " WHERE scope = ? AND token = ?")) {
            ps.setString(1, scope);
            ps.setString(2, token);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The token vault table " + table + " cannot be read (SQLState "
                    + e.getSQLState() + ")", e);
        }
    }
}
