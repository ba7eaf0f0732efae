package io.governed.spring.boot;

import io.governed.jdbc.Governance;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.spring.boot.app.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spring's {@code schema.sql}/{@code data.sql} initialisation (an H2 script with the postfix
 * {@code DROP TABLE x IF EXISTS}, a foreign key added by ALTER and a COMMENT) and Hibernate's
 * {@code ddl-auto=update}, under the baseline plus {@code governed.migration.principal}.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK, properties = {
        "spring.flyway.enabled=false",
        "spring.sql.init.mode=always",
        "spring.sql.init.schema-locations=classpath:init/schema.sql",
        "spring.sql.init.data-locations=classpath:init/data.sql",
        "spring.jpa.hibernate.ddl-auto=update",
        "spring.jpa.open-in-view=false",
        "governed.principal=accounts-app",
        "governed.kind=service",
        "governed.migration.principal=schema-owner",
})
class SqlInitOnH2Test {
    static final String DATABASE = "jdbc:h2:mem:init-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    static final String SINK = "init-h2-" + UUID.randomUUID();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("governed.audit.sinks", () -> "memory:" + SINK);
    }

    @Autowired
    Governance governance;
    @Autowired
    JdbcTemplate jdbc;

    private Connection raw() throws SQLException {
        return DriverManager.getConnection(DATABASE, "sa", "");
    }

    @Test
    void theScriptsRanAsTheMigrationPrincipalAndHibernateAddedItsColumn() throws SQLException {
        try (Connection c = raw()) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM account WHERE region_id = 1")) {
                rs.next();
                assertThat(rs.getInt(1)).as("data.sql ran").isEqualTo(2);
            }
            try (ResultSet rs = c.getMetaData().getImportedKeys(null, "PUBLIC", "ACCOUNT")) {
                assertThat(rs.next()).as("the foreign key schema.sql added").isTrue();
                assertThat(rs.getString("FK_NAME")).isEqualTo("FK_ACCOUNT_REGION");
            }
            try (ResultSet rs = c.getMetaData().getColumns(null, "PUBLIC", "ACCOUNT", "NICKNAME")) {
                assertThat(rs.next()).as("ddl-auto=update added the entity's column").isTrue();
            }
        }
        governance.flushAudit();
        List<AuditEvent> events = MemorySink.named(SINK).events();
        List<AuditEvent> schemaWork = events.stream().filter(e -> e.principal().equals("schema-owner")).toList();
        assertThat(schemaWork).extracting(AuditEvent::action).contains("drop", "create", "alter", "comment", "insert");
        assertThat(schemaWork).allSatisfy(e -> {
            assertThat(e.purpose()).isEqualTo("migration");
            assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW);
        });
    }

    @Test
    void afterStartupTheApplicationIsHeldToTheBaseline() throws SQLException {
        assertThatThrownBy(() -> jdbc.execute("DROP TABLE account IF EXISTS"))
                .isInstanceOf(PermissionDeniedDataAccessException.class)
                .hasMessageContaining("baseline-no-destructive-ddl");
        try (Connection c = raw(); ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "ACCOUNT", null)) {
            assertThat(rs.next()).isTrue();
        }
    }
}
