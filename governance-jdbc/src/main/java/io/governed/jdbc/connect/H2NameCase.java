package io.governed.jdbc.connect;

import io.governed.sql.Dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the H2 database behind a new connection stores and compares names, read from the database itself: H2 keeps the
 * settings of a database's first connection and ignores those of a later URL (a data source or a plain URL over a
 * database another connection opened with {@code DATABASE_TO_LOWER=TRUE} is in lower case whatever it says). Unquoted
 * names folded to upper case (H2's default) are {@link Dialect#H2}, folded to lower case ({@code DATABASE_TO_LOWER=TRUE})
 * {@link Dialect#H2_LOWER_CASE}; names kept as written ({@code DATABASE_TO_UPPER=FALSE}) or compared ignoring case
 * ({@code CASE_INSENSITIVE_IDENTIFIERS=TRUE}), and settings that cannot be read, refuse the connection. H2 has no
 * statement that changes these settings while the database is open ({@code SET DATABASE_TO_LOWER} is a syntax error),
 * so what is read at connect holds for the connection's life.
 */
public final class H2NameCase {

    static final String SETTINGS = "SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
            + " WHERE SETTING_NAME IN ('DATABASE_TO_LOWER', 'DATABASE_TO_UPPER', 'CASE_INSENSITIVE_IDENTIFIERS')";

    private H2NameCase() {
    }

    /**
     * {@code dialect} as the database behind {@code raw} folds names: for H2, {@link Dialect#H2} or
     * {@link Dialect#H2_LOWER_CASE}; other dialects are returned as they are, and nothing is asked of their database.
     *
     * @throws SQLException (SQLState {@code 08001}) when the database compares names in a way the analysis does not
     *                      follow, or its settings cannot be read; {@code raw} is then left open for the caller to close
     */
    public static Dialect of(Connection raw, Dialect dialect) throws SQLException {
        if (!dialect.isH2()) {
            return dialect;
        }
        Map<String, String> settings = new HashMap<>();
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(SETTINGS)) {
            while (rs.next()) {
                settings.put(rs.getString(1).toUpperCase(Locale.ROOT), rs.getString(2));
            }
        } catch (SQLException unread) {
            throw new SQLException("Connection refused: the H2 database's name settings could not be read from "
                    + "INFORMATION_SCHEMA.SETTINGS (" + unread.getSQLState() + "), so how it folds names is not known; "
                    + "use H2 2.x without OLD_INFORMATION_SCHEMA", "08001", unread);
        }
        String lower = settings.get("DATABASE_TO_LOWER");
        String upper = settings.get("DATABASE_TO_UPPER");
        String insensitive = settings.get("CASE_INSENSITIVE_IDENTIFIERS");
        if (lower == null || upper == null || insensitive == null) {
            throw new SQLException("Connection refused: the H2 database's INFORMATION_SCHEMA.SETTINGS do not say how it "
                    + "folds names (DATABASE_TO_LOWER, DATABASE_TO_UPPER, CASE_INSENSITIVE_IDENTIFIERS); use H2 2.x", "08001");
        }
        if (Boolean.parseBoolean(insensitive)) {
            throw refused("CASE_INSENSITIVE_IDENTIFIERS=TRUE", "compares names ignoring case, so a name may resolve to a "
                    + "table of another case than the one the rules and masks were matched against");
        }
        if (Boolean.parseBoolean(lower)) {
            return Dialect.H2_LOWER_CASE;
        }
        if (!Boolean.parseBoolean(upper)) {
            throw refused("DATABASE_TO_UPPER=FALSE", "keeps unquoted names as written rather than folding them");
        }
        return Dialect.H2;
    }

    private static SQLException refused(String setting, String why) {
        return new SQLException("Connection refused: the H2 database was opened with " + setting + " (as its "
                + "INFORMATION_SCHEMA.SETTINGS say; H2 keeps the settings of a database's first connection, whatever a "
                + "later URL says), which " + why + ". Open the database without it: H2's default name case and "
                + "DATABASE_TO_LOWER=TRUE are accepted", "08001");
    }
}
