package io.governed.spring.boot;

import io.governed.spring.boot.app.TestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The same web application on the local PostgreSQL server, in a schema of its own: Flyway (its history table's
 * constraint, advisory locks, {@code SET search_path}) and Hibernate's {@code ddl-auto=update} at startup as the
 * migration principal; requests as the web user. Skipped when the server is unreachable, failed instead with CI=true.
 */
@EnabledIf("io.governed.spring.boot.BootApplicationOnPostgresIT#reachable")
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test",
        "spring.datasource.username=postgres",
        "spring.flyway.locations=classpath:db/migration/accounts,classpath:db/migration/common",
        "spring.jpa.hibernate.ddl-auto=update",
        "spring.jpa.open-in-view=false",
        "spring.sql.init.mode=never",
        "governed.principal=accounts-app",
        "governed.kind=service",
        "governed.migration.principal=schema-owner",
})
class BootApplicationOnPostgresIT extends BootApplicationOnServerContract {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String SCHEMA = "boot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static final String SINK = "boot-pg-" + UUID.randomUUID();

    static boolean reachable() {
        if ("true".equals(System.getenv("CI"))) {
            return true; // on CI an unreachable server fails the test instead of skipping it
        }
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            System.err.println("PostgreSQL at 127.0.0.1:5432 is unreachable, so " + BootApplicationOnPostgresIT.class.getSimpleName()
                    + " is skipped; start the server (user postgres, database test) to run it");
            return false;
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.flyway.schemas", () -> SCHEMA);
        registry.add("spring.datasource.hikari.schema", () -> SCHEMA);
        registry.add("spring.jpa.properties.hibernate.default_schema", () -> SCHEMA);
        registry.add("governed.audit.sinks", () -> "memory:" + SINK);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Override
    String schema() {
        return SCHEMA;
    }

    @Override
    String sink() {
        return SINK;
    }

    @Override
    Connection raw() throws SQLException {
        Connection c = DriverManager.getConnection(URL, "postgres", "");
        c.setSchema(SCHEMA);
        return c;
    }

    @Override
    boolean has(Connection raw, String table, String column) throws SQLException {
        try (ResultSet rs = column == null ? raw.getMetaData().getTables(null, SCHEMA, table, null)
                : raw.getMetaData().getColumns(null, SCHEMA, table, column)) {
            return rs.next();
        }
    }
}
