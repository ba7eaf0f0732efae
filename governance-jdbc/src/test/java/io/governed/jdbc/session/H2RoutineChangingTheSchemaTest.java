package io.governed.jdbc.session;

import io.governed.jdbc.support.SchemaSwitchingCall;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On H2, an alias ({@code CREATE ALIAS}) under a name of a built-in that H2 lacks ({@code MD5}, {@code VERSION},
 * {@code INITCAP}, …, which the analysis's list of pure built-ins names for other databases) runs {@code SET SCHEMA
 * PUBLIC} when called. A caller permitted everything in its own schema {@code SEM_SANDBOX}, and to call the alias there,
 * only to read {@code PUBLIC.SEM_CUSTOMERS} with its SSN masked, calls it; afterwards its unqualified {@code
 * SEM_CUSTOMERS} is {@code PUBLIC}'s table. The driver must know: the SSN read back is masked in every getter (or the
 * read refused), and the caller's DELETE does not reach {@code PUBLIC.SEM_CUSTOMERS} (counted through a raw connection).
 */
public class H2RoutineChangingTheSchemaTest {
    private static final String SSN = "123-45-6789";

    private final String url = "h2:mem:sem-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private Connection keep;

    /** The alias's body: it leaves the session in schema PUBLIC. */
    public static String toPublic(Connection conn, String value) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("SET SCHEMA PUBLIC");
        }
        return value;
    }

    @BeforeEach
    void database() throws SQLException {
        keep = DriverManager.getConnection("jdbc:" + url, "sa", "");
        try (Statement st = keep.createStatement()) {
            st.execute("CREATE TABLE PUBLIC.SEM_CUSTOMERS (ID INT PRIMARY KEY, NAME VARCHAR(20), SSN VARCHAR(20))");
            st.execute("INSERT INTO PUBLIC.SEM_CUSTOMERS VALUES (1, 'Ann', '" + SSN + "')");
            st.execute("CREATE SCHEMA SEM_SANDBOX");
            st.execute("CREATE TABLE SEM_SANDBOX.SEM_CUSTOMERS (ID INT PRIMARY KEY, NAME VARCHAR(20), SSN VARCHAR(20))");
            st.execute("INSERT INTO SEM_SANDBOX.SEM_CUSTOMERS VALUES (1, 'Own', '000-00-0000')");
        }
    }

    @AfterEach
    void close() throws SQLException {
        try (Statement st = keep.createStatement()) {
            st.execute("SHUTDOWN");
        }
    }

    private Connection governed() throws SQLException, IOException {
        Path policy = Files.createTempFile("sem-h2", ".yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                rules:
                  - { id: own-schema, effect: permit, actions: ["*"], resources: ["SEM_SANDBOX.*"] }
                  - { id: read-customers, effect: permit, actions: [select], resources: ["PUBLIC.SEM_CUSTOMERS"] }
                routines:
                  - { id: sem-reads-nothing, routines: ["SEM_SANDBOX.*"], does: [] }
                masks:
                  - { id: sem-hide-ssn, columns: { patterns: ["PUBLIC.SEM_CUSTOMERS.SSN"] }, function: redact }
                """);
        policy.toFile().deleteOnExit();
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "analyst");
        return DriverManager.getConnection("jdbc:governed:" + url + ";SCHEMA=SEM_SANDBOX", p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MD5", "VERSION", "INITCAP", "SCOPE_IDENTITY", "TO_DATE", "\"MD5\""})
    void aCallOfAnAliasNamedLikeABuiltInThatChangesTheSchemaIsFollowed(String name) throws Exception {
        try (Statement st = keep.createStatement()) {
            st.execute("CREATE ALIAS SEM_SANDBOX." + name + " FOR \"" + getClass().getName() + ".toPublic\"");
        }
        List<String> seen;
        try (Connection c = governed()) {
            seen = SchemaSwitchingCall.seenAfter(c, "SELECT " + name + "('x')");
        }
        int left;
        try (Statement st = keep.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM PUBLIC.SEM_CUSTOMERS")) {
            rs.next();
            left = rs.getInt(1);
        }
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(seen).as("what the caller read after the call")
                    .allSatisfy(v -> assertThat(v).doesNotContain("45-6789"));
            softly.assertThat(left).as("rows left in PUBLIC.SEM_CUSTOMERS, which the caller may only read").isEqualTo(1);
        });
    }
}
