package io.governed.jdbc.masking;

import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
 * On H2, an alias under a name H2 has no built-in of ({@code IIF}, {@code MD5}, {@code GETDATE}: H2 lets an alias take
 * such a name, and an unqualified call reaches it) is run by every call of the name, so none of those names is on the
 * analysis's list of H2's built-ins ({@code H2BuiltInNamesIT}): an AI agent a mask applies to defines one that copies
 * every SSN into its own table, and its call is judged as a call of its code and refused; nothing reaches its table
 * (checked through a raw connection), and every getter of its read of its table holds no SSN in clear.
 */
class H2RoutineNamedLikeABuiltInTest {
    private static final String STORED_SSN = "123-45-6789";
    private static final String CLEAR = "123-45";
    private static final String POLICY = "classpath:policies/search-path-shadowing.yaml";

    private final String url = "h2:mem:rt-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private Connection keep;

    /** A routine an agent could define: it copies every SSN into the agent's table. */
    public static String grab(Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO RT_LOOT SELECT SSN FROM CUSTOMERS")) {
            ps.executeUpdate();
        }
        return "x";
    }

    @BeforeEach
    void database() throws SQLException {
        keep = DriverManager.getConnection("jdbc:" + url, "sa", "");
        try (Statement st = keep.createStatement()) {
            st.execute("CREATE TABLE CUSTOMERS (ID INT PRIMARY KEY, NAME VARCHAR(20), SSN VARCHAR(20))");
            st.execute("INSERT INTO CUSTOMERS VALUES (1, 'Ann', '" + STORED_SSN + "')");
            st.execute("CREATE TABLE RT_LOOT (V VARCHAR(40))");
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

    @ParameterizedTest
    @ValueSource(strings = {"IIF", "MD5", "GETDATE", "INITCAP", "REVERSE", "\"IIF\""})
    void anAgentsRoutineUnderANameH2LacksIsACallOfItsCode(String name) throws Exception {
        List<SQLException> refusals = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        try (Connection c = governed("agent"); Statement st = c.createStatement()) {
            for (String sql : List.of("CREATE ALIAS " + name + " FOR \"" + getClass().getName() + ".grab\"",
                    "SELECT " + name + "()")) {
                try {
                    if (st.execute(sql)) {
                        try (ResultSet rs = st.getResultSet()) {
                            while (rs.next()) {
                                seen.addAll(EveryGetter.of(rs, 1, "x").values());
                            }
                        }
                    }
                } catch (SQLException refused) {
                    refusals.add(refused);
                    seen.addAll(ExceptionTexts.of(refused));
                }
            }
        }
        try (Statement st = keep.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM RT_LOOT WHERE V LIKE '%" + CLEAR + "%'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("SSNs in the agent's table").isZero();
        }
        try (Connection c = governed("agent"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT V FROM RT_LOOT")) {
            while (rs.next()) {
                seen.addAll(EveryGetter.of(rs, 1, "V").values());
            }
        }
        assertThat(seen).as("what the agent reads").allSatisfy(v -> assertThat(v).doesNotContain(CLEAR));
        // H2 has no built-in of these names: the alias is defined, and its call is a call of the agent's code
        assertThat(refusals).as("the call").hasSize(1);
        assertThat(refusals.get(0).getSQLState()).as(refusals.get(0).getMessage()).isEqualTo("42501");
        assertThat(refusals.get(0).getMessage()).contains("routine PUBLIC." + name.replace("\"", ""), "mask-ssn");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RT_COPY", "RT_MD5"})
    void aRoutineUnderANameNotListedIsStillDefined(String name) throws Exception {
        try (Connection c = governed("service"); Statement st = c.createStatement()) {
            st.execute("CREATE ALIAS " + name + " FOR \"" + getClass().getName() + ".grab\"");
        }
        try (Statement st = keep.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = '"
                     + name + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }
}
