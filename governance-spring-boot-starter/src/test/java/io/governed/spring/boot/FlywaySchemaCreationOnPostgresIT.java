package io.governed.spring.boot;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.identity.IdentityResolution;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flyway creates the schema it migrates and its history table in one transaction, on one connection, and switches
 * auto-commit off again in each nested transaction template (the advisory lock's, the history table's) while that
 * transaction is open. On a loaded machine more than a second passes between the schema's creation and the history
 * table's, and the driver finds what user code defines beside the built-ins due to be read again (once a second,
 * outside a transaction): here the first {@code SET ROLE} Flyway sends after taking its lock waits 1.1 s before it
 * reaches the server, standing in for that load. The schema must still be there for the table, and every statement of
 * the migration principal run as on the plain driver.
 */
@EnabledIf("io.governed.spring.boot.BootApplicationOnPostgresIT#reachable")
class FlywaySchemaCreationOnPostgresIT {
    private static final String URL = BootApplicationOnPostgresIT.URL;
    private final String schema = "fly_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String sink = "fly-" + UUID.randomUUID();

    @AfterEach
    void drop() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void theSchemaFlywayCreatesIsThereForItsHistoryTableWhenTheCatalogIsDueInBetween() throws Exception {
        AtomicBoolean delayed = new AtomicBoolean();
        Properties settings = new Properties();
        settings.setProperty("governed.policy", "classpath:io/governed/policy/baseline.yaml");
        settings.setProperty("governed.principal", "app2-service");
        settings.setProperty("governed.kind", "service");
        settings.setProperty("governed.audit", "memory:" + sink);
        settings.setProperty("governed.connect.unlisted-data-source", "allow"); // pgjdbc's own, behind a proxy
        GovernedDataSource governed = new GovernedDataSource(slowFirstRoleChange(delayed), settings);
        Identity migration = Identity.builder("app2-schema-owner").kind(IdentityKind.SERVICE)
                .purpose(IdentityResolution.MIGRATION_PURPOSE).build();

        MigrateResult result = IdentityContext.runAs(migration, () -> Flyway.configure().dataSource(governed)
                .schemas(schema).locations("classpath:db/migration/app2").load().migrate());

        assertThat(delayed).as("the SET ROLE after the lock was held back").isTrue();
        assertThat(result.success).isTrue();
        assertThat(rawString("SELECT count(*) FROM " + schema + ".flyway_schema_history WHERE success AND type = 'SQL'"))
                .isEqualTo("5");
        governed.governance().flushAudit();
        List<AuditEvent> events = MemorySink.named(sink).events().stream()
                .filter(e -> "app2-schema-owner".equals(e.principal())).toList();
        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.decision()).as(e.statement() + " " + e.error())
                .isEqualTo(AuditDecision.ALLOW));
        assertThat(events).extracting(AuditEvent::statement)
                .filteredOn(s -> s.toLowerCase().startsWith("create table") && s.contains("flyway_schema_history"))
                .as("the history table created once, not retried").hasSize(1);
    }

    /**
     * PostgreSQL's own data source, whose connections hold back the first {@code SET ROLE} prepared outside
     * auto-commit by 1.1 s.
     */
    private static DataSource slowFirstRoleChange(AtomicBoolean delayed) {
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(URL);
        postgres.setUser("postgres");
        postgres.setPassword("");
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(postgres, method, args);
                    if (!(result instanceof Connection raw)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, a) -> {
                                if (m.getName().equals("prepareStatement") && a[0] instanceof String sql
                                        && sql.startsWith("SET ROLE") && !raw.getAutoCommit()
                                        && delayed.compareAndSet(false, true)) {
                                    Thread.sleep(1_100);
                                }
                                return invoke(raw, m, a);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static String rawString(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
