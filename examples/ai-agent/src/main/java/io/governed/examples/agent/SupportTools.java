package io.governed.examples.agent;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import io.governed.identity.Identity;
import io.governed.jdbc.ApprovalPendingException;
import io.governed.jdbc.identity.IdentityContext;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's tools: SQL through the governed driver, run as the agent on behalf of the user who
 * asked, with a purpose. A refusal comes back to the model as text it can act on, never as a crash; so
 * does a statement the policy holds back for a person's approval (SQLState XGA01), with the request id
 * the model can tell its user about. Running the same statement again once it is approved runs it.
 */
public final class SupportTools {
    private final DataSource governed;
    private final Identity agent;

    /** @param agent the agent's identity, acting on behalf of the asking user, with a purpose */
    public SupportTools(DataSource governed, Identity agent) {
        this.governed = governed;
        this.agent = agent;
    }

    @Tool("Runs a read-only SQL query on the support database and returns its rows, one per line")
    public String query(@P(name = "sql", value = "the SELECT statement") String sql) {
        return run(sql);
    }

    @Tool("Runs a SQL statement that changes data (INSERT, UPDATE, DELETE) and returns how many rows it changed")
    public String change(@P(name = "sql", value = "the statement") String sql) {
        return run(sql);
    }

    private String run(String sql) {
        try {
            return IdentityContext.runAs(agent, () -> {
                try (Connection c = governed.getConnection(); Statement s = c.createStatement()) {
                    if (!s.execute(sql)) {
                        return "changed " + s.getUpdateCount() + " rows";
                    }
                    try (ResultSet rs = s.getResultSet()) {
                        return rows(rs);
                    }
                }
            });
        } catch (ApprovalPendingException pending) {
            return "waiting for approval " + pending.approvalRequestId()
                    + ": it did not run; run the same statement again once a person has approved it";
        } catch (SQLException e) {
            return "REFUSED (SQLState " + e.getSQLState() + "): " + e.getMessage();
        }
    }

    private static String rows(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<String> lines = new ArrayList<>();
        while (rs.next()) {
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                values.add(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT) + "=" + rs.getString(i));
            }
            lines.add(String.join(", ", values));
        }
        return String.join("\n", lines);
    }
}
