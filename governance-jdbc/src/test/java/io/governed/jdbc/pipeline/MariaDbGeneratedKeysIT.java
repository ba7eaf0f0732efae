package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mariadb.jdbc.MariaDbDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On MariaDB, whose driver returns the auto-increment value of an INSERT as its only generated key
 * (whatever columns were asked for): the key is traced to the table's auto-increment column, so it
 * comes back to an analyst exactly as through the raw driver, and masked when that column is masked.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbGeneratedKeysIT {
    private static final Identity ANALYST = Identity.builder("ana").groups("analysts").build();

    @TempDir
    static Path policyDir;
    private static Path policy;

    private final String table = UniqueNames.of("keys_people");
    private Connection raw;
    private Connection governed;

    @BeforeAll
    static void policy() throws IOException {
        policy = Files.writeString(policyDir.resolve("keys-policy.yaml"), H2GeneratedKeysTest.POLICY);
    }

    @BeforeEach
    void database() throws SQLException {
        raw = TestDatabase.MARIADB.connectRaw();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id int AUTO_INCREMENT PRIMARY KEY, name text, ssn text, email text)");
        }
        MariaDbDataSource maria = new MariaDbDataSource();
        maria.setUrl(TestDatabase.MARIADB.rawUrl());
        maria.setUser(TestDatabase.MARIADB.user());
        maria.setPassword(TestDatabase.MARIADB.password());
        Governance governance = Governance.builder().withoutAudit().policy(PolicyLoader.load(policy)).build();
        governed = new GovernedDataSource(maria, governance).getConnection();
    }

    @AfterEach
    void drop() throws SQLException {
        governed.close();
        try (Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
        raw.close();
    }

    private List<String> keys(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (name, ssn, email) VALUES ('" + name
                + "', '219-55-7321', 'ada.quill@example.org')", Statement.RETURN_GENERATED_KEYS)) {
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                return EveryGetter.ofAllRows(rs);
            }
        }
    }

    @Test
    void anAutoIncrementKeyOfAMaskedColumnComesBackMasked() throws Exception {
        String masked = UniqueNames.of("keys_badges");
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + masked + " (ssn int AUTO_INCREMENT PRIMARY KEY, name text) AUTO_INCREMENT = 734219");
        }
        try {
            List<String> keys = IdentityContext.callAs(ANALYST, () -> {
                try (Statement s = governed.createStatement()) {
                    s.executeUpdate("INSERT INTO " + masked + " (name) VALUES ('Ada')", new String[]{"ssn"});
                    try (ResultSet rs = s.getGeneratedKeys()) {
                        return EveryGetter.ofAllRows(rs);
                    }
                }
            });
            assertThat(rawKey(masked)).as("the insert ran").isEqualTo("734219");
            assertThat(keys).isNotEmpty().allSatisfy(t -> assertThat(t.replaceAll("\\D", "")).doesNotContain("7342"));
        } finally {
            try (Statement s = raw.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + masked);
            }
        }
    }

    private String rawKey(String table) throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT ssn FROM " + table)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void anInsertsAutoIncrementKeyComesBackAsThroughTheRawDriver() throws Exception {
        List<String> rawKeys = keys(raw, "Ada");
        List<String> governedKeys = IdentityContext.callAs(ANALYST, () -> keys(governed, "Ada"));
        assertThat(governedKeys.stream().filter(t -> t.contains(".getString=")).toList())
                .isEqualTo(rawKeys.stream().filter(t -> t.contains(".getString=")).map(t -> t.replace("=1", "=2")).toList());
    }
}
