package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rows a statement read for one identity are not handed to another identity whose row filters restrict it on the tables
 * read: a result opened by an exempt connection (or in one tenant's scope) and read in another tenant's scope is
 * refused, not shown with rows that tenant's filter hides.
 */
class H2ScopeSwitchRowFilterTest {
    private static final TestDatabase DB = TestDatabase.H2;
    private static final Identity TENANT_A = Identity.builder("ann").kind(IdentityKind.HUMAN).attribute("tenant", "a").build();
    private static final Identity TENANT_B = Identity.builder("bob").kind(IdentityKind.AGENT)
            .onBehalfOf(Identity.human("bea")).attribute("tenant", "b").build();
    private static final String TABLE = UniqueNames.of("h2ssf_orders");
    @TempDir
    static Path dir;
    private static Path policy;

    @BeforeAll
    static void fixture() throws Exception {
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, tenant VARCHAR(8), note VARCHAR(40))");
            s.execute("INSERT INTO " + TABLE + " VALUES (1, 'a', 'a-secret'), (2, 'b', 'b-note')");
        }
        policy = dir.resolve("tenants.yaml");
        Files.writeString(policy, """
                version: 1
                default: deny
                rules:
                  - { id: read, effect: permit, actions: [select], resources: ["public.*"] }
                row-filters:
                  - id: tenant-isolation
                    tables: ["public.%s"]
                    filter: "tenant = :identity.tenant"
                    unless: { groups: [support] }
                """.formatted(TABLE.toLowerCase()));
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection raw = DB.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    private static Connection support() throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "sam");
        p.setProperty("governed.groups", "support");
        return DB.connectGoverned(p);
    }

    private static List<String> notes(ResultSet rs) throws SQLException {
        List<String> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                out.add(rs.getString("note"));
            }
        }
        return out;
    }

    private static final String SELECT = "SELECT id, note FROM " + TABLE + " ORDER BY id";

    @Test
    void eachIdentityReadsItsOwnRows() throws Exception {
        try (Connection c = support(); Statement s = c.createStatement()) {
            assertThat(notes(s.executeQuery(SELECT))).containsExactly("a-secret", "b-note");
            assertThat(IdentityContext.runAs(TENANT_A, () -> notes(s.executeQuery(SELECT)))).containsExactly("a-secret");
            assertThat(IdentityContext.runAs(TENANT_B, () -> notes(s.executeQuery(SELECT)))).containsExactly("b-note");
        }
    }

    @Test
    void rowsReadForAnExemptConnectionAreNotHandedToATenantsScope() throws Exception {
        try (Connection c = support(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SELECT)) {
            assertThat(rs.next()).isTrue();
            assertThatThrownBy(() -> IdentityContext.runAs(TENANT_B, () -> rs.getString("note")))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("tenant-isolation").hasMessageNotContaining("a-secret");
            assertThat(rs.getString("note")).as("the exempt connection reads on").isEqualTo("a-secret");
        }
    }

    @Test
    void rowsReadInOneTenantsScopeAreNotHandedToAnothersButToAnExemptReader() throws Exception {
        try (Connection c = support(); Statement s = c.createStatement()) {
            ResultSet rs = IdentityContext.runAs(TENANT_A, () -> s.executeQuery(SELECT));
            assertThat(rs.next()).isTrue();
            assertThatThrownBy(() -> IdentityContext.runAs(TENANT_B, () -> rs.getString("note")))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            assertThat(rs.getString("note")).as("read after the scope, by the exempt connection").isEqualTo("a-secret");
            rs.close();
        }
    }
}
