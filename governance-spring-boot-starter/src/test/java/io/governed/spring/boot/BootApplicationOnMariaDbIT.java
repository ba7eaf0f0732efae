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
 * The same web application on the local MariaDB server, in a database of its own: Flyway's MySQL support (its named
 * lock, the session variables it reads and restores, its history table) and Hibernate's {@code ddl-auto=update} at
 * startup as the migration principal, with MariaDB's own forms of the migrations; requests as the web user. Skipped
 * when the server is unreachable, failed instead with CI=true.
 */
@EnabledIf("io.governed.spring.boot.BootApplicationOnMariaDbIT#reachable")
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.username=root",
        "spring.flyway.locations=classpath:db/migration/accounts,classpath:db/migration/mariadb",
        "spring.jpa.hibernate.ddl-auto=update",
        "spring.jpa.open-in-view=false",
        "spring.sql.init.mode=never",
        "governed.principal=accounts-app",
        "governed.kind=service",
        "governed.migration.principal=schema-owner",
})
class BootApplicationOnMariaDbIT extends BootApplicationOnServerContract {
    static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/";
    static final String SCHEMA = "boot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static final String URL = SERVER + SCHEMA;
    static final String SINK = "boot-maria-" + UUID.randomUUID();

    static boolean reachable() {
        if ("true".equals(System.getenv("CI"))) {
            return true; // on CI an unreachable server fails the test instead of skipping it
        }
        try (Connection c = DriverManager.getConnection(SERVER + "test", "root", "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            System.err.println("MariaDB at 127.0.0.1:3306 is unreachable, so " + BootApplicationOnMariaDbIT.class.getSimpleName()
                    + " is skipped; start the server (user root, database test) to run it");
            return false;
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "test", "root", "")) {
            c.createStatement().execute("CREATE DATABASE " + SCHEMA); // the application's own, as a DBA would make it
        }
        registry.add("spring.datasource.url", () -> URL);
        registry.add("governed.audit.sinks", () -> "memory:" + SINK);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "test", "root", "")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + SCHEMA);
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
        return DriverManager.getConnection(URL, "root", "");
    }

    @Override
    boolean has(Connection raw, String table, String column) throws SQLException {
        try (ResultSet rs = column == null ? raw.getMetaData().getTables(SCHEMA, null, table, null)
                : raw.getMetaData().getColumns(SCHEMA, null, table, column)) {
            return rs.next();
        }
    }
}
