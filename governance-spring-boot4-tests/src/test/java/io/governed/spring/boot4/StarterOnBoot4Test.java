package io.governed.spring.boot4;

import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The starter in a Spring Boot 4 application on H2: Flyway as the migration principal, the Security user, denials. */
@SpringBootTest(classes = StarterOnBoot4Test.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "governed.principal=boot4-app",
        "governed.kind=service",
        "governed.migration.principal=schema-owner",
})
class StarterOnBoot4Test {
    static final String DATABASE = "jdbc:h2:mem:boot4-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    static final String SINK = "boot4-" + UUID.randomUUID();

    @SpringBootApplication
    static class App {
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("governed.audit.sinks", () -> "memory:" + SINK);
    }

    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Governance governance;

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    private List<AuditEvent> events() {
        governance.flushAudit();
        return MemorySink.named(SINK).events();
    }

    @Test
    void itIsSpringBoot4AndTheDataSourceIsGoverned() {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.");
        assertThat(dataSource).isInstanceOf(GovernedDataSource.class);
    }

    @Test
    void flywayMigratedAsTheMigrationPrincipal() throws SQLException {
        try (Connection c = DriverManager.getConnection(DATABASE, "sa", "")) {
            try (ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "LEGACY", null)) {
                assertThat(rs.next()).as("dropped by V2").isFalse();
            }
            try (ResultSet rs = c.getMetaData().getColumns(null, "PUBLIC", "ACCOUNT", "NAME")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("COLUMN_SIZE")).as("retyped by V2").isEqualTo(200);
            }
        }
        assertThat(events()).filteredOn(e -> e.principal().equals("schema-owner"))
                .extracting(AuditEvent::action).contains("drop", "alter");
        assertThat(events()).filteredOn(e -> e.principal().equals("schema-owner"))
                .allSatisfy(e -> assertThat(e.purpose()).isEqualTo("migration"));
    }

    @Test
    void theSignedInUserIsTheIdentityOfEachStatement() {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "alice", null, List.of(new SimpleGrantedAuthority("ROLE_SUPPORT"))));
        int before = events().size();
        assertThat(jdbc.queryForObject("SELECT name FROM account WHERE id = 1", String.class)).isEqualTo("Ada");
        List<AuditEvent> mine = events().subList(before, events().size());
        assertThat(mine).singleElement().satisfies(e -> {
            assertThat(e.principal()).isEqualTo("alice");
            assertThat(e.groups()).containsExactly("SUPPORT");
        });
    }

    @Test
    void aDenialThroughJdbcTemplateIsPermissionDenied() {
        assertThatThrownBy(() -> jdbc.execute("DROP TABLE account"))
                .isInstanceOf(PermissionDeniedDataAccessException.class)
                .hasMessageContaining("baseline-no-destructive-ddl");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM account", Integer.class)).isEqualTo(1);
    }
}
