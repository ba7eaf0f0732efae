package io.governed.spring.boot;

import io.governed.jdbc.Governance;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.spring.boot.plain.PlainApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.SimpleJdbcInsert;
import org.postgresql.PGConnection;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What an ordinary Spring application does with its data source, through the starter on the local PostgreSQL
 * server, as its service identity under the baseline and a mask of its own: each must work as it does on the
 * plain driver (every refusal of these is a bug), the masked column masked by every path, and the rows written
 * read back through a raw connection.
 */
@EnabledIf("io.governed.spring.boot.BootApplicationOnPostgresIT#reachable")
class BootJdbcFlowsOnPostgresIT {
    static final String URL = BootApplicationOnPostgresIT.URL;
    static final String SCHEMA = "flows_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static final String SINK = "flows-" + UUID.randomUUID();
    static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() {
        context = new SpringApplicationBuilder(PlainApplication.class).web(WebApplicationType.NONE).properties(
                "spring.datasource.url=" + URL,
                "spring.datasource.username=postgres",
                "spring.datasource.hikari.data-source-properties.reWriteBatchedInserts=true",
                "spring.flyway.locations=classpath:db/migration/accounts,classpath:db/migration/flows",
                "spring.flyway.schemas=" + SCHEMA,
                "spring.datasource.hikari.schema=" + SCHEMA,
                "spring.sql.init.mode=never",
                "governed.principal=accounts-app",
                "governed.kind=service",
                "governed.migration.principal=schema-owner",
                "governed.policy=classpath:io/governed/policy/baseline.yaml,classpath:plain/mask-email.yaml",
                "governed.audit.sinks=memory:" + SINK).run();
    }

    @AfterAll
    static void stop() throws SQLException {
        if (context != null) {
            context.close();
        }
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    private static <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    private static Connection raw() throws SQLException {
        Connection c = DriverManager.getConnection(URL, "postgres", "");
        c.setSchema(SCHEMA);
        return c;
    }

    private static List<String> rawTitles() throws SQLException {
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery("SELECT title FROM ticket ORDER BY id")) {
            List<String> titles = new java.util.ArrayList<>();
            while (rs.next()) {
                titles.add(rs.getString(1));
            }
            return titles;
        }
    }

    @Test
    void simpleJdbcInsertReturnsTheGeneratedKey() throws SQLException {
        Number id = new SimpleJdbcInsert(bean(JdbcTemplate.class)).withTableName("ticket").usingGeneratedKeyColumns("id")
                .executeAndReturnKey(Map.of("title", "simple-insert", "email", "x@example.com"));
        assertThat(id.longValue()).isPositive();
        assertThat(rawTitles()).contains("simple-insert");
    }

    @Test
    void aBatchOfInsertsRewrittenByTheDriverRuns() throws SQLException {
        SqlParameterSource[] rows = new SqlParameterSource[5];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new MapSqlParameterSource("title", "batch-" + i).addValue("email", "b" + i + "@example.com");
        }
        int[] counts = bean(NamedParameterJdbcTemplate.class)
                .batchUpdate("INSERT INTO ticket (title, email) VALUES (:title, :email)", rows);
        assertThat(counts).hasSize(5);
        assertThat(rawTitles()).contains("batch-0", "batch-4");
    }

    @Test
    void aSequenceGivesItsValuesUnmasked() {
        JdbcTemplate jdbc = bean(JdbcTemplate.class);
        long first = jdbc.queryForObject("SELECT nextval('order_no')", Long.class);
        assertThat(jdbc.queryForObject("SELECT nextval('order_no')", Long.class)).isEqualTo(first + 1);
    }

    @Test
    void aReadOnlyTransactionReadsAndAStreamIsMasked() {
        TransactionTemplate tx = new TransactionTemplate(bean(PlatformTransactionManager.class));
        tx.setReadOnly(true);
        List<String> emails = tx.execute(s -> {
            try (Stream<String> stream = bean(JdbcTemplate.class).queryForStream(
                    "SELECT email FROM account ORDER BY id", (rs, n) -> rs.getString(1))) {
                return stream.toList();
            }
        });
        assertThat(emails).containsExactly("a***@example.com", "g***@example.com");
    }

    @Test
    void aNestedTransactionRollsBackToItsSavepoint() throws SQLException {
        PlatformTransactionManager jdbcTransactions = new DataSourceTransactionManager(bean(DataSource.class));
        TransactionTemplate outer = new TransactionTemplate(jdbcTransactions);
        TransactionTemplate nested = new TransactionTemplate(jdbcTransactions);
        nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        JdbcTemplate jdbc = bean(JdbcTemplate.class);
        outer.executeWithoutResult(s -> {
            jdbc.update("INSERT INTO ticket (title) VALUES (?)", "outer-kept");
            nested.executeWithoutResult(n -> {
                jdbc.update("INSERT INTO ticket (title) VALUES (?)", "nested-undone");
                n.setRollbackOnly();
            });
        });
        assertThat(rawTitles()).contains("outer-kept").doesNotContain("nested-undone");
    }

    @Test
    void dataSourceUtilsAndATransactionAwareProxyHandOutGovernedConnections() throws SQLException {
        DataSource dataSource = bean(DataSource.class);
        Connection c = DataSourceUtils.getConnection(dataSource);
        try {
            assertThatThrownBy(() -> c.unwrap(PGConnection.class)).isInstanceOf(SQLException.class);
            try (ResultSet rs = c.createStatement().executeQuery("SELECT email FROM account WHERE id = 1")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("a***@example.com");
            }
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
        try (Connection proxied = new TransactionAwareDataSourceProxy(dataSource).getConnection();
             ResultSet rs = proxied.createStatement().executeQuery("SELECT email FROM account WHERE id = 2")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("g***@example.com");
            assertThatThrownBy(() -> proxied.unwrap(PGConnection.class)).isInstanceOf(SQLException.class);
            assertThat(proxied.isWrapperFor(PGConnection.class)).isFalse();
        }
    }

    @Test
    void eachStatementIsAuditedAsTheService() {
        bean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM account", Integer.class);
        bean(Governance.class).flushAudit();
        List<AuditEvent> events = MemorySink.named(SINK).events();
        assertThat(events).filteredOn(e -> !"schema-owner".equals(e.principal()))
                .isNotEmpty().allSatisfy(e -> assertThat(e.principal()).isEqualTo("accounts-app"));
    }
}
