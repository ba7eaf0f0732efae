package io.governed.spring.boot;

import io.governed.jdbc.Governance;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.spring.boot.plain.PlainApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A script initialiser bean of the application's own ({@code DataSourceScriptDatabaseInitializer}): on the
 * application's {@code DataSource} bean its scripts run governed as the migration principal; on a data source built by
 * hand, which is not a bean, the application fails to start saying what to change, instead of running the scripts
 * unchecked and unaudited.
 */
class ScriptInitializerBeanOnH2Test {
    static final String DATABASE = "jdbc:h2:mem:script-bean-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    final String sink = "script-bean-" + UUID.randomUUID();
    ConfigurableApplicationContext context;

    private static DatabaseInitializationSettings notesScripts() {
        DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
        settings.setSchemaLocations(List.of("classpath:init/postgres/schema.sql"));
        settings.setDataLocations(List.of("classpath:init/postgres/data.sql"));
        settings.setMode(DatabaseInitializationMode.ALWAYS);
        return settings;
    }

    @Configuration(proxyBeanMethods = false)
    static class OnTheApplicationsDataSource {
        @Bean
        DataSourceScriptDatabaseInitializer notesInitializer(DataSource dataSource) {
            return new DataSourceScriptDatabaseInitializer(dataSource, notesScripts());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OnADataSourceBuiltByHand {
        @Bean
        DataSourceScriptDatabaseInitializer notesInitializer() {
            DataSource byHand = DataSourceBuilder.create().type(SimpleDriverDataSource.class).url(DATABASE).username("sa")
                    .build();
            return new DataSourceScriptDatabaseInitializer(byHand, notesScripts());
        }
    }

    private ConfigurableApplicationContext start(Class<?> initializer) {
        context = new SpringApplicationBuilder(PlainApplication.class, initializer).web(WebApplicationType.NONE).properties(
                "spring.datasource.url=" + DATABASE,
                "spring.flyway.enabled=false",
                "governed.principal=accounts-app",
                "governed.kind=service",
                "governed.migration.principal=schema-owner",
                "governed.audit.sinks=memory:" + sink).run();
        return context;
    }

    private static boolean noteTableExists() throws SQLException {
        try (Connection c = DriverManager.getConnection(DATABASE, "sa", "");
             ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "NOTE", null)) {
            return rs.next();
        }
    }

    @AfterEach
    void stop() throws SQLException {
        if (context != null) {
            context.close();
        }
        try (Connection c = DriverManager.getConnection(DATABASE, "sa", "")) {
            c.createStatement().execute("DROP TABLE IF EXISTS note");
        }
    }

    @Test
    void onTheApplicationsDataSourceItsScriptsRunGovernedAsTheMigrationPrincipal() throws SQLException {
        start(OnTheApplicationsDataSource.class);
        assertThat(noteTableExists()).isTrue();
        context.getBean(Governance.class).flushAudit();
        List<AuditEvent> migration = MemorySink.named(sink).events().stream()
                .filter(e -> "schema-owner".equals(e.principal())).toList();
        assertThat(migration).extracting(AuditEvent::action).contains("drop", "create", "insert");
        assertThat(migration).allSatisfy(e -> {
            assertThat(e.purpose()).isEqualTo("migration");
            assertThat(e.decision()).as(e.statement()).isEqualTo(AuditDecision.ALLOW);
        });
    }

    @Test
    void onADataSourceThatIsNotABeanTheApplicationFailsToStartInsteadOfRunningItsScriptsUngoverned() throws SQLException {
        assertThatThrownBy(() -> start(OnADataSourceBuiltByHand.class))
                .hasStackTraceContaining("'notesInitializer'")
                .hasStackTraceContaining("on a data source that is not governed")
                .hasStackTraceContaining("Give it a DataSource bean");
        assertThat(noteTableExists()).as("no script ran").isFalse();
    }
}
