package io.governed.jdbc.wrapper;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * A comment is written into the schema as text (COMMENT ON TABLE t IS 'sk-…'), and the catalog columns that hold it are
 * masked for a caller any mask applies to: DatabaseMetaData, which runs its own catalog queries ungated, does not tell
 * it either (REMARKS reads as SQL NULL through every getter), while the names, types and keys getTables, getColumns and
 * getPrimaryKeys return are told as the driver gives them; a caller no mask applies to reads the comment.
 */
class MetadataCommentsTest {
    private static final String SECRET = "sk-cs7QmetaRemarkZ";
    private static final String URL = "jdbc:h2:mem:cs_metadata_comments;DB_CLOSE_DELAY=-1";
    private static final String POLICY = String.join("\n",
            "version: 1",
            "default: allow",
            "classification: { auto-detect: false, tags: { pii.email: [\"*.email\"] } }",
            "masks:",
            "  - id: mask-email",
            "    columns: { tags: [pii.email] }",
            "    function: email",
            "    unless: { groups: [pii-readers] }",
            "");
    private static final Identity ANALYST = Identity.builder("ann").groups("analysts").build();
    private static final Identity READER = Identity.builder("pat").groups("pii-readers").build();

    private Connection raw;
    private GovernedDataSource governed;

    @BeforeEach
    void schema() throws SQLException {
        raw = DriverManager.getConnection(URL, "sa", "");
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE CS_T (ID INT PRIMARY KEY, EMAIL VARCHAR(80))");
            s.execute("COMMENT ON TABLE CS_T IS '" + SECRET + "'");
            s.execute("COMMENT ON COLUMN CS_T.EMAIL IS '" + SECRET + "'");
        }
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(URL);
        h2.setUser("sa");
        governed = new GovernedDataSource(h2, Governance.builder().withoutAudit()
                .policy(PolicyLoader.fromString("metadata-comments.yaml", POLICY)).build());
    }

    @AfterEach
    void drop() throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS CS_T");
        }
        raw.close();
    }

    private interface MetadataCall {
        ResultSet call(DatabaseMetaData md) throws SQLException;
    }

    /** Every value of every column, through getString, getObject and getBytes, and the values of {@code label}. */
    private List<String> read(Identity identity, MetadataCall call, String label) throws SQLException {
        List<String> seen = new ArrayList<>();
        List<SQLException> failed = new ArrayList<>();
        IdentityContext.runAs(identity, () -> {
            try (Connection c = governed.getConnection(); ResultSet rs = call.call(c.getMetaData())) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    seen.add(label + "=" + rs.getString(label));
                    for (int i = 1; i <= columns; i++) {
                        seen.add(rs.getString(i));
                        Object o = rs.getObject(i);
                        seen.add(o == null ? null : o.toString());
                        try {
                            byte[] b = rs.getBytes(i);
                            seen.add(b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8));
                        } catch (SQLException noBytes) {
                            // the type has no bytes form
                        }
                    }
                }
            } catch (SQLException e) {
                failed.add(e);
            }
        });
        if (!failed.isEmpty()) {
            throw failed.get(0);
        }
        return seen;
    }

    private static boolean holdsSecret(List<String> values) {
        return values.stream().anyMatch(v -> v != null && v.contains(SECRET));
    }

    @Test
    void aMaskedCallerGetsNamesAndTypesButNoComment() throws SQLException {
        MetadataCall tables = md -> md.getTables(null, "PUBLIC", "CS_T", null);
        MetadataCall columns = md -> md.getColumns(null, "PUBLIC", "CS_T", "%");
        List<String> tableRows = read(ANALYST, tables, "TABLE_NAME");
        assertThat(tableRows).contains("TABLE_NAME=CS_T");
        assertThat(holdsSecret(tableRows)).as("getTables' REMARKS").isFalse();
        List<String> columnRows = read(ANALYST, columns, "COLUMN_NAME");
        assertThat(columnRows).contains("COLUMN_NAME=ID", "COLUMN_NAME=EMAIL");
        assertThat(holdsSecret(columnRows)).as("getColumns' REMARKS").isFalse();
        assertThat(read(ANALYST, columns, "TYPE_NAME")).contains("TYPE_NAME=INTEGER");
        assertThat(read(ANALYST, md -> md.getPrimaryKeys(null, "PUBLIC", "CS_T"), "COLUMN_NAME")).contains("COLUMN_NAME=ID");
        assertThat(read(ANALYST, tables, "REMARKS")).contains("REMARKS=null");
    }

    @Test
    void aCallerNoMaskAppliesToReadsTheComment() throws SQLException {
        assertThat(holdsSecret(read(READER, md -> md.getTables(null, "PUBLIC", "CS_T", null), "REMARKS"))).isTrue();
        assertThat(holdsSecret(read(READER, md -> md.getColumns(null, "PUBLIC", "CS_T", "EMAIL"), "REMARKS"))).isTrue();
    }
}
