package io.governed.spring.boot4.sqlinit;

import io.governed.jdbc.Governance;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot 4's {@code schema.sql}/{@code data.sql} initialiser given a user of its own
 * ({@code spring.sql.init.username} and {@code .password}), for which Boot builds the scripts a data source that is
 * not a bean: the scripts run governed, as the migration principal, and the application starts.
 */
@SpringBootTest(classes = SqlInitUserOfItsOwnOnBoot4Test.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
                "governed.principal=boot4-app",
                "governed.kind=service",
                "governed.migration.principal=schema-owner",
                "spring.flyway.enabled=false",
                "spring.datasource.username=sa",
                "spring.datasource.password=init-secret",
                "spring.sql.init.mode=always",
                "spring.sql.init.schema-locations=classpath:init/schema.sql",
                "spring.sql.init.data-locations=classpath:init/data.sql",
                "spring.sql.init.username=sa",
                "spring.sql.init.password=init-secret",
        })
class SqlInitUserOfItsOwnOnBoot4Test {
    static final String DATABASE = "jdbc:h2:mem:boot4-init-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    static final String SINK = "boot4-init-" + UUID.randomUUID();

    @SpringBootApplication
    static class App {
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("governed.audit.sinks", () -> "memory:" + SINK);
    }

    @Autowired
    Governance governance;

    @Test
    void theScriptsRanGovernedAsTheMigrationPrincipal() throws SQLException {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.");
        try (Connection c = DriverManager.getConnection(DATABASE, "sa", "init-secret");
             ResultSet rs = c.createStatement().executeQuery("SELECT body FROM note WHERE id = 1")) {
            assertThat(rs.next()).as("data.sql's row").isTrue();
            assertThat(rs.getString(1)).isEqualTo("first");
        }
        governance.flushAudit();
        List<AuditEvent> migration = MemorySink.named(SINK).events().stream()
                .filter(e -> "schema-owner".equals(e.principal())).toList();
        assertThat(migration).extracting(AuditEvent::action).contains("create", "insert");
        assertThat(migration).allSatisfy(e -> {
            assertThat(e.purpose()).isEqualTo("migration");
            assertThat(e.decision()).as(e.statement()).isEqualTo(AuditDecision.ALLOW);
        });
    }
}
