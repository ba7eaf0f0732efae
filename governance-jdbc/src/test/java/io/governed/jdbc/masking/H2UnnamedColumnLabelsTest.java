package io.governed.jdbc.masking;

import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.AuditEventJson;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.support.UniqueNames;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H2 labels an unnamed expression with its text, literals included: a masked column's label reaches no audit event
 * (its place, {@code #2}, does), while a column's name and an alias written in the statement still do.
 */
class H2UnnamedColumnLabelsTest {
    private static final String SSN = "219-45-6789";
    private final String db = UniqueNames.of("ll_h2");
    private final String sink = UniqueNames.of("ll_sink");

    @TempDir
    Path dir;
    private Path policy;

    @BeforeEach
    void fixture() throws Exception {
        policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                classification:
                  tags:
                    pii.ssn: ["*.ssn"]
                rules:
                  - { id: work, effect: permit, actions: ["*"] }
                masks:
                  - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4 }
                """);
        try (Connection c = DriverManager.getConnection(rawUrl(), "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ll_people (id INT PRIMARY KEY, ssn VARCHAR(11))");
            s.execute("INSERT INTO ll_people VALUES (1, '" + SSN + "')");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection c = DriverManager.getConnection(rawUrl(), "sa", ""); Statement s = c.createStatement()) {
            s.execute("DROP ALL OBJECTS");
        }
        MemorySink.named(sink).clear();
    }

    private String rawUrl() {
        return "jdbc:h2:mem:" + db + ";DB_CLOSE_DELAY=-1";
    }

    private Connection governed() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "hana");
        p.setProperty("governed.kind", "service");
        p.setProperty("governed.audit", "memory:" + sink);
        return DriverManager.getConnection("jdbc:governed:h2:mem:" + db + ";DB_CLOSE_DELAY=-1", p);
    }

    private String everyEvent(Connection c) throws SQLException {
        c.unwrap(GovernedConnection.class).governance().flushAudit();
        StringBuilder all = new StringBuilder();
        for (AuditEvent e : MemorySink.named(sink).events()) {
            all.append(AuditEventJson.toJson(e)).append('\n');
        }
        return all.toString();
    }

    @Test
    void aMaskedExpressionIsAuditedByItsPlaceAndANameByItsName() throws SQLException {
        String labelOfTheLiteral;
        String json;
        try (Connection c = governed();
             PreparedStatement ps = c.prepareStatement("SELECT id, CONCAT(ssn, 'll-literal-9'), ssn, ssn AS tax_id, "
                     + "CONCAT(ssn, ?) FROM ll_people WHERE id = 1")) {
            ps.setString(1, "ll-bound-7");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                for (int i = 2; i <= 5; i++) {
                    assertThat(rs.getString(i)).doesNotContain(SSN);
                }
                labelOfTheLiteral = rs.getMetaData().getColumnLabel(2);
            }
            json = everyEvent(c);
        }
        assertThat(labelOfTheLiteral).contains("ll-literal-9"); // what the driver says of the column
        List<AuditEvent> events = MemorySink.named(sink).events();
        assertThat(events).anySatisfy(e -> assertThat(e.maskedColumns()).containsExactly("#2", "SSN", "TAX_ID", "#5"));
        assertThat(json).doesNotContain("ll-literal-9").doesNotContain("ll-bound-7").doesNotContain(SSN);
    }
}
