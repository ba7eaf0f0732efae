package io.governed.jdbc.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Connections and reads shared by the integration tests that run one corpus on each database (the row filter rename
 * tests, the quoted dotted name tests): a governed connection as a principal, what a tenant reads under every name the
 * rows could have gone to, what a statement attempted gives, and what a caller reads and is refused over a run of
 * statements.
 */
public final class GovernedTwins {
    private GovernedTwins() {
    }

    /** Opens a connection, as a test's own {@code governed(…)} does. */
    @FunctionalInterface
    public interface Opener {
        Connection open() throws SQLException;
    }

    /**
     * A governed connection to {@code jdbc:governed:} {@code url} as {@code user} (empty password), under the policy file
     * {@code policy}, for {@code principal} of {@code kind}, with the attribute {@code tenant} unless it is {@code null}.
     */
    public static Connection governed(String url, String user, Path policy, String principal, String kind, String tenant)
            throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("user", user);
        settings.setProperty("password", "");
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.principal", principal);
        settings.setProperty("governed.kind", kind);
        if (tenant != null) {
            settings.setProperty("governed.attribute.tenant", tenant);
        }
        return DriverManager.getConnection("jdbc:governed:" + url, settings);
    }

    /**
     * Every value every getter gives for every row of {@code SELECT *} of each of {@code places} on {@code c} (places it
     * is refused or that do not exist: none).
     */
    public static List<String> everythingSeen(Connection c, List<String> places) throws SQLException {
        List<String> seen = new ArrayList<>();
        for (String place : places) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + place)) {
                seen.addAll(EveryGetter.ofAllRows(rs));
            } catch (SQLException refusedOrAbsent) {
                // refused by the gate, or no such relation: nothing seen
            }
        }
        return seen;
    }

    /** Runs {@code sql} on a connection {@code governed} opens: {@code null} when it ran, else what it threw. */
    public static SQLException attempt(Opener governed, String sql) {
        try (Connection c = governed.open(); Statement st = c.createStatement()) {
            st.execute(sql);
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    /**
     * Runs each of {@code statements} on one connection {@code governed} opens, adding to {@code seen} every value every
     * getter gives for each result and the texts of each refusal; the refusals, in order.
     */
    public static List<SQLException> refusalsOf(Opener governed, List<String> seen, String... statements)
            throws SQLException {
        List<SQLException> refusals = new ArrayList<>();
        try (Connection c = governed.open(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                try {
                    if (st.execute(sql)) {
                        try (ResultSet rs = st.getResultSet()) {
                            seen.addAll(EveryGetter.ofAllRows(rs));
                        }
                    }
                } catch (SQLException refused) {
                    refusals.add(refused);
                    seen.addAll(ExceptionTexts.of(refused));
                }
            }
        }
        return refusals;
    }
}
