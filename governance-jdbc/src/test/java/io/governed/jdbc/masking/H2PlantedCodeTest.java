package io.governed.jdbc.masking;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On H2, an AI agent a mask applies to shares the application's database user and plants code the application's
 * inserts run later with the application's identity, which sees SSNs in clear: a trigger (a Java class) on the
 * application's table, a check calling a routine of the agent's. Planted through the governed driver; the application
 * then inserts as it always does; whether an SSN reached the agent's table is checked through a raw connection, and in
 * every getter of the agent's read.
 */
class H2PlantedCodeTest {
    private static final String SSN = "987-65-4321";
    private static final String CLEAR = "987-65";
    private static final String POLICY = "classpath:policies/search-path-shadowing.yaml";

    private final String url = "h2:mem:pc-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private Connection keep;

    /** A trigger an agent could name: it copies the inserted row's SSN into the agent's table. */
    public static final class Grab implements org.h2.api.Trigger {
        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO PC_LOOT VALUES (?)")) {
                ps.setObject(1, newRow[2]);
                ps.executeUpdate();
            }
        }
    }

    /** A routine an agent could define: it copies its argument into the agent's table. */
    public static boolean log(Connection conn, String value) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO PC_LOOT VALUES (?)")) {
            ps.setString(1, value);
            ps.executeUpdate();
        }
        return true;
    }

    @BeforeEach
    void database() throws SQLException {
        keep = DriverManager.getConnection("jdbc:" + url, "sa", "");
        try (Statement st = keep.createStatement()) {
            st.execute("CREATE TABLE CUSTOMERS (ID INT PRIMARY KEY, NAME VARCHAR(20), SSN VARCHAR(20))");
            st.execute("CREATE TABLE PC_LOOT (V VARCHAR(40))");
        }
    }

    @AfterEach
    void close() throws SQLException {
        try (Statement st = keep.createStatement()) {
            st.execute("SHUTDOWN");
        }
    }

    private Connection governed(String kind) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        p.setProperty("governed.policy", POLICY);
        p.setProperty("governed.principal", kind.equals("agent") ? "bot" : "customer-service");
        p.setProperty("governed.kind", kind);
        return DriverManager.getConnection("jdbc:governed:" + url, p);
    }

    private List<SQLException> agentPlants(String... statements) throws SQLException {
        List<SQLException> refusals = new ArrayList<>();
        try (Connection c = governed("agent"); Statement st = c.createStatement()) {
            for (String sql : statements) {
                try {
                    st.execute(sql);
                } catch (SQLException refused) {
                    refusals.add(refused);
                }
            }
        }
        return refusals;
    }

    private void applicationInserts() throws SQLException {
        try (Connection app = governed("service"); Statement st = app.createStatement()) {
            st.execute("INSERT INTO CUSTOMERS (ID, NAME, SSN) VALUES (2, 'Bob', '" + SSN + "')");
        }
    }

    private void assertNothingReachedTheAgent(List<SQLException> refusals) throws Exception {
        try (Statement st = keep.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM PC_LOOT WHERE V LIKE '%" + CLEAR + "%'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("SSNs in the agent's table").isZero();
        }
        List<String> seen = new ArrayList<>();
        try (Connection c = governed("agent"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT V FROM PC_LOOT")) {
            while (rs.next()) {
                seen.addAll(EveryGetter.of(rs, 1, "V").values());
            }
        } catch (SQLException refused) {
            seen.addAll(ExceptionTexts.of(refused));
        }
        assertThat(seen).allSatisfy(v -> assertThat(v).doesNotContain(CLEAR));
        assertThat(refusals).as("the agent's planting").isNotEmpty();
        assertThat(refusals.get(refusals.size() - 1).getSQLState()).isEqualTo("42501");
        assertThat(refusals.get(refusals.size() - 1).getMessage()).contains("mask-ssn",
                "runs later in other sessions' statements").doesNotContain(SSN);
    }

    @Test
    void aTriggerClassOnTheApplicationsTableIsRefused() throws Exception {
        List<SQLException> refused = agentPlants("CREATE TRIGGER PC_GRAB AFTER INSERT ON CUSTOMERS FOR EACH ROW CALL \""
                + Grab.class.getName() + "\"");
        applicationInserts();
        assertNothingReachedTheAgent(refused);
    }

    @Test
    void aCheckCallingTheAgentsRoutineIsRefused() throws Exception {
        try (Statement st = keep.createStatement()) {
            // the agent's routine, defined where it may be (a new routine under a name no schema holds)
            st.execute("CREATE ALIAS PC_LOG FOR \"" + H2PlantedCodeTest.class.getName() + ".log\"");
        }
        List<SQLException> refused = agentPlants("ALTER TABLE CUSTOMERS ADD CONSTRAINT PC_GRAB CHECK (PC_LOG(SSN))");
        applicationInserts();
        assertNothingReachedTheAgent(refused);
    }
}
