package io.governed.spring.boot;

import io.governed.jdbc.Governance;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.spring.boot.service.Attachment;
import io.governed.spring.boot.service.AttachmentRepository;
import io.governed.spring.boot.service.Customer;
import io.governed.spring.boot.service.CustomerMailer;
import io.governed.spring.boot.service.CustomerRepository;
import io.governed.spring.boot.service.CustomerService;
import io.governed.spring.boot.service.CustomerView;
import io.governed.spring.boot.service.InvoiceRepository;
import io.governed.spring.boot.service.ServiceApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A service as an application team writes it ({@link ServiceApplication}: HikariCP, Flyway with a repeatable migration
 * and a callback, Spring Data JPA, JdbcTemplate, Spring Security, open-in-view at its default) on the local PostgreSQL
 * server, switched to the starter under the baseline and a mask of its own on {@code app2_customer.email}. Every
 * ordinary request must work as on the plain driver, the address come back masked to the sales user and in clear to
 * support, never be written back masked, and what is written be read back through a raw connection.
 */
@EnabledIf("io.governed.spring.boot.BootApplicationOnPostgresIT#reachable")
class BootServiceOnPostgresIT {
    static final String URL = BootApplicationOnPostgresIT.URL;
    static final String SCHEMA = "app2_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static final String SINK = "app2-" + UUID.randomUUID();
    static ConfigurableApplicationContext context;
    static int port;

    @BeforeAll
    static void start() {
        context = new SpringApplicationBuilder(ServiceApplication.class).properties(
                "server.port=0",
                "spring.datasource.url=" + URL,
                "spring.datasource.username=postgres",
                "spring.datasource.hikari.schema=" + SCHEMA,
                "spring.flyway.locations=classpath:db/migration/app2",
                "spring.flyway.schemas=" + SCHEMA,
                "spring.jpa.hibernate.ddl-auto=validate",
                "spring.jpa.properties.hibernate.jdbc.batch_size=20",
                "spring.jpa.properties.hibernate.order_inserts=true",
                "spring.sql.init.mode=never",
                "governed.principal=app2-service",
                "governed.kind=service",
                "governed.migration.principal=app2-schema-owner",
                "governed.policy=classpath:io/governed/policy/baseline.yaml,classpath:service/app2-policy.yaml",
                "governed.audit.sinks=memory:" + SINK).run();
        port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stop() throws SQLException {
        if (context != null) {
            context.close();
        }
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            // the attachments' large objects (the document's oid, and the notes pgjdbc stored as one, their number in
            // the text column) belong to the database, not the schema: dropping the schema would leave them behind
            c.createStatement().execute("DO $$ BEGIN IF to_regclass('" + SCHEMA + ".app2_attachment') IS NOT NULL THEN "
                    + "PERFORM lo_unlink(m.oid) FROM pg_catalog.pg_largeobject_metadata m WHERE m.oid::bigint IN ("
                    + "SELECT content::bigint FROM " + SCHEMA + ".app2_attachment UNION SELECT CASE WHEN notes ~ '^[0-9]{1,10}$' "
                    + "THEN notes::bigint END FROM " + SCHEMA + ".app2_attachment); END IF; END $$");
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    private static <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    private static void signIn(String name, String role) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                name, null, AuthorityUtils.createAuthorityList("ROLE_" + role)));
    }

    private static Connection raw() throws SQLException {
        Connection c = DriverManager.getConnection(URL, "postgres", "");
        c.setSchema(SCHEMA);
        return c;
    }

    private static String rawString(String sql) throws SQLException {
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static long newCustomer(String name, String email) throws SQLException {
        try (Connection c = raw(); ResultSet rs = c.createStatement().executeQuery(
                "INSERT INTO app2_customer (name, email) VALUES ('" + name + "', '" + email + "') RETURNING id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static HttpResponse<String> http(String method, String path, String user, String body) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + basic).header("Content-Type", "text/plain");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<AuditEvent> events() {
        bean(Governance.class).flushAudit();
        return MemorySink.named(SINK).events();
    }

    @Test
    void flywayRanItsVersionedAndRepeatableMigrationsAndItsCallbackAsTheMigrationPrincipal() throws SQLException {
        assertThat(rawString("SELECT count(*) FROM flyway_schema_history WHERE success AND type = 'SQL'")).isEqualTo("5");
        assertThat(rawString("SELECT count(*) FROM app2_customer_names")).isNotNull();
        assertThat(rawString("SELECT has_table_privilege('public', '" + SCHEMA + ".app2_customer_names', 'SELECT')"))
                .as("granted by the afterMigrate callback").isEqualTo("t");
        assertThat(events()).filteredOn(e -> "app2-schema-owner".equals(e.principal()))
                .isNotEmpty().allSatisfy(e -> assertThat(e.decision()).as(e.statement()).isEqualTo(AuditDecision.ALLOW));
    }

    @Test
    void aPageOfCustomersIsReadWithItsCountMaskedForSalesAndInClearForSupportEachAuditedAsTheWebUser() throws Exception {
        int before = events().size();
        HttpResponse<String> sales = http("GET", "/customers?page=0&size=2", "sam", null);
        assertThat(sales.statusCode()).isEqualTo(200);
        assertThat(sales.body()).contains("a***@example.com", "\"total\":").doesNotContain("ada@example.com");
        List<AuditEvent> request = events().subList(before, events().size());
        assertThat(request).hasSizeGreaterThanOrEqualTo(2).allSatisfy(e -> {
            assertThat(e.principal()).isEqualTo("sam");
            assertThat(e.groups()).containsExactly("SALES");
        });
        HttpResponse<String> support = http("GET", "/customers?page=0&size=2", "sue", null);
        assertThat(support.statusCode()).isEqualTo(200);
        assertThat(support.body()).contains("ada@example.com");
    }

    @Test
    void aDestructiveRequestIsForbiddenAndTheRowsStay() throws Exception {
        HttpResponse<String> response = http("DELETE", "/customers", "sam", null);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("baseline-no-unbounded-writes");
        assertThat(Integer.parseInt(rawString("SELECT count(*) FROM app2_customer"))).isGreaterThanOrEqualTo(3);
        assertThat(events()).anySatisfy(e -> {
            assertThat(e.principal()).isEqualTo("sam");
            assertThat(e.decision()).isEqualTo(AuditDecision.DENY);
        });
    }

    @Test
    void aSalesUsersRenameThatWouldWriteTheMaskedAddressBackIsForbiddenAndTheAddressStaysInClear() throws Exception {
        long id = newCustomer("Edsger", "edsger@example.com");
        HttpResponse<String> response = http("PUT", "/customers/" + id + "/name", "sam", "Edsger W.");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("app2-mask-email");
        assertThat(rawString("SELECT name || ' ' || email FROM app2_customer WHERE id = " + id))
                .isEqualTo("Edsger edsger@example.com");
        assertThat(events()).anySatisfy(e -> {
            assertThat(e.principal()).isEqualTo("sam");
            assertThat(e.decision()).isEqualTo(AuditDecision.DENY);
            assertThat(e.rules()).containsExactly("app2-mask-email");
            assertThat(e.reason()).contains("@DynamicUpdate").doesNotContain("edsger@", "e***@");
        });
    }

    @Test
    void aSalesUserMergingADetachedCustomerIsRefusedWithThePermissionSqlStateAndTheAddressStaysInClear() throws SQLException {
        long id = newCustomer("Barbara", "barbara@example.com");
        signIn("sam", "SALES");
        Customer detached = bean(CustomerRepository.class).findById(id).orElseThrow();
        assertThat(detached.getEmail()).isEqualTo("b***@example.com");
        detached.setName("Barbara L.");
        assertThatThrownBy(() -> bean(CustomerService.class).save(detached))
                .isInstanceOf(PermissionDeniedDataAccessException.class)
                .hasMessageContaining("app2-mask-email").hasMessageContaining("app2_customer.email")
                .hasMessageNotContaining("barbara@").hasMessageNotContaining("b***@");
        assertThat(rawString("SELECT name || ' ' || email FROM app2_customer WHERE id = " + id))
                .isEqualTo("Barbara barbara@example.com");
    }

    @Test
    void aSalesUserRenamesThroughAnEntityThatWritesOnlyWhatChanged() throws SQLException {
        long id = newCustomer("Grace H.", "grace.h@example.com");
        signIn("sam", "SALES");
        assertThat(bean(CustomerService.class).renameContact(id, "Grace Hopper").getVersion()).isEqualTo(1);
        assertThat(rawString("SELECT name || ' ' || email FROM app2_customer WHERE id = " + id))
                .isEqualTo("Grace Hopper grace.h@example.com");
    }

    @Test
    void aSalesUserMayStillGiveACustomerANewAddress() throws SQLException {
        long id = newCustomer("Ken", "ken@example.com");
        signIn("sam", "SALES");
        Customer loaded = bean(CustomerRepository.class).findById(id).orElseThrow();
        loaded.setEmail("ken.thompson@example.com");
        bean(CustomerService.class).save(loaded);
        assertThat(rawString("SELECT email FROM app2_customer WHERE id = " + id)).isEqualTo("ken.thompson@example.com");
    }

    @Test
    void aMaskedLookingValueBoundThroughJdbcTemplateIsRefusedToTheSalesUserButWrittenForSupport() throws SQLException {
        long id = newCustomer("Dennis", "dennis@example.com");
        JdbcTemplate jdbc = bean(JdbcTemplate.class);
        signIn("sam", "SALES");
        assertThatThrownBy(() -> jdbc.update("UPDATE app2_customer SET email = CAST(? AS varchar) WHERE id = ?",
                "d***@example.com", id)).isInstanceOf(GovernanceDeniedDataAccessException.class);
        assertThat(rawString("SELECT email FROM app2_customer WHERE id = " + id)).isEqualTo("dennis@example.com");
        signIn("sue", "SUPPORT");
        assertThat(jdbc.update("UPDATE app2_customer SET email = ? WHERE id = ?", "d***@example.com", id)).isEqualTo(1);
        assertThat(rawString("SELECT email FROM app2_customer WHERE id = " + id)).isEqualTo("d***@example.com");
    }

    @Test
    void supportRenamesACustomerAndTheVersionMovesOn() throws SQLException {
        long id = newCustomer("Alan", "alan@example.com");
        signIn("sue", "SUPPORT");
        Customer renamed = bean(CustomerService.class).rename(id, "Alan T.");
        assertThat(renamed.getVersion()).isEqualTo(1);
        assertThat(rawString("SELECT name || ' ' || email || ' ' || version FROM app2_customer WHERE id = " + id))
                .isEqualTo("Alan T. alan@example.com 1");
    }

    @Test
    void aStaleVersionIsAnOptimisticLockingFailure() throws SQLException {
        long id = newCustomer("Donald", "donald@example.com");
        signIn("sue", "SUPPORT");
        Customer stale = bean(CustomerRepository.class).findById(id).orElseThrow();
        bean(CustomerService.class).rename(id, "Donald K.");
        stale.setName("Don");
        assertThatThrownBy(() -> bean(CustomerService.class).save(stale))
                .isInstanceOf(ObjectOptimisticLockingFailureException.class);
        assertThat(rawString("SELECT name FROM app2_customer WHERE id = " + id)).isEqualTo("Donald K.");
    }

    @Test
    void aPessimisticLockTakesTheRowForUpdate() throws SQLException {
        long id = newCustomer("Niklaus", "niklaus@example.com");
        signIn("sue", "SUPPORT");
        bean(CustomerService.class).lockAndRename(id, "Niklaus W.");
        assertThat(rawString("SELECT name FROM app2_customer WHERE id = " + id)).isEqualTo("Niklaus W.");
        assertThat(events()).filteredOn(e -> e.statement().toLowerCase().endsWith(" for no key update"))
                .isNotEmpty().allSatisfy(e -> assertThat(e.decision()).isEqualTo(AuditDecision.ALLOW));
    }

    @Test
    void aNewCustomerGetsItsIdentityFromInsertReturning() throws SQLException {
        signIn("sam", "SALES");
        Customer saved = bean(CustomerService.class).save(new Customer("Tony", "tony@example.com"));
        assertThat(saved.getId()).isPositive();
        assertThat(rawString("SELECT email FROM app2_customer WHERE id = " + saved.getId())).isEqualTo("tony@example.com");
    }

    @Test
    void invoicesAreInsertedInBatchesWithPooledSequenceIds() throws SQLException {
        long id = newCustomer("Frances", "frances@example.com");
        signIn("sam", "SALES");
        assertThat(bean(CustomerService.class).bill(id, 30)).hasSize(30).allSatisfy(i -> assertThat(i.getId()).isPositive());
        assertThat(rawString("SELECT count(*) FROM app2_invoice WHERE customer_id = " + id)).isEqualTo("30");
        assertThat(bean(InvoiceRepository.class).countByCustomerId(id)).isEqualTo(30);
    }

    @Test
    void projectionsNativeQueriesAndSortedPagesMaskTheAddress() {
        signIn("sam", "SALES");
        CustomerRepository repository = bean(CustomerRepository.class);
        List<CustomerView> views = repository.findByNameStartingWithOrderByName("Ada");
        assertThat(views).extracting(CustomerView::getEmail).containsExactly("a***@example.com");
        assertThat(repository.emailOf(1)).isEqualTo("a***@example.com");
        assertThat(repository.findAll(PageRequest.of(0, 2, Sort.by("name")))).hasSize(2)
                .allSatisfy(c -> assertThat(c.getEmail()).contains("***@"));
    }

    @Test
    void aBulkUpdateRuns() throws SQLException {
        newCustomer("zed-one", "z1@example.com");
        newCustomer("zed-two", "z2@example.com");
        signIn("sue", "SUPPORT");
        assertThat(bean(CustomerService.class).shout("zed-")).isEqualTo(2);
        assertThat(rawString("SELECT count(*) FROM app2_customer WHERE name LIKE 'ZED-%'")).isEqualTo("2");
    }

    @Test
    void jdbcTemplateReadsTheRepeatableMigrationsViewAndIsRefusedADrop() {
        signIn("sam", "SALES");
        JdbcTemplate jdbc = bean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("SELECT name FROM app2_customer_names WHERE id = 1", String.class)).isEqualTo("Ada");
        assertThatThrownBy(() -> jdbc.execute("DROP TABLE app2_invoice"))
                .isInstanceOf(GovernanceDeniedDataAccessException.class)
                .satisfies(e -> assertThat(((GovernanceDeniedDataAccessException) e).governanceException().getSQLState())
                        .isEqualTo("42501"));
    }

    @Test
    void asyncWorkOnTheApplicationsOwnExecutorRunsAsTheUserWhoHandedItOver() throws Exception {
        signIn("sam", "SALES");
        int before = events().size();
        assertThat(bean(CustomerMailer.class).addressOf(1).get()).isEqualTo("a***@example.com");
        assertThat(events().subList(before, events().size())).isNotEmpty()
                .allSatisfy(e -> assertThat(e.principal()).isEqualTo("sam"));
    }

    /** Statements services send through JdbcTemplate every day, each of which must run as on the plain driver. */
    @org.junit.jupiter.params.ParameterizedTest(name = "[{index}] {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "SELECT id FROM app2_job WHERE state = 'new' ORDER BY run_at LIMIT 5 FOR UPDATE SKIP LOCKED",
            "UPDATE app2_job SET state = 'running' WHERE id = (SELECT id FROM app2_job WHERE state = 'new' ORDER BY id"
                    + " LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id",
            "DELETE FROM app2_job WHERE id = (SELECT id FROM app2_job WHERE state = 'gone' ORDER BY run_at LIMIT 1"
                    + " FOR UPDATE SKIP LOCKED) RETURNING id",
            "INSERT INTO app2_job (kind, note) VALUES ('mail', 'first') ON CONFLICT DO NOTHING",
            "INSERT INTO app2_job (kind, note, state) VALUES ('mail', 'first', 'new') ON CONFLICT (kind, note)"
                    + " DO UPDATE SET state = EXCLUDED.state, run_at = now()",
            "DELETE FROM app2_job WHERE run_at < now() - INTERVAL '30 days' RETURNING id",
            "SELECT payload ->> 'lang' AS lang, count(*) FILTER (WHERE state = 'new') FROM app2_job"
                    + " WHERE payload @> '{\"to\": 1}'::jsonb GROUP BY 1",
            "SELECT id, row_number() OVER (PARTITION BY kind ORDER BY run_at DESC) FROM app2_job",
            "SELECT DISTINCT ON (kind) kind, id FROM app2_job ORDER BY kind, run_at DESC",
            "SELECT date_trunc('day', run_at) AS day, count(*) FROM app2_job GROUP BY 1 ORDER BY 1",
            "SELECT id FROM app2_job WHERE kind ILIKE 'MA%' AND 'a' = ANY (tags)",
            "SELECT c.name, count(i.id) FROM app2_customer c LEFT JOIN app2_invoice i ON i.customer_id = c.id"
                    + " GROUP BY c.name HAVING count(i.id) >= 0 ORDER BY c.name LIMIT 10 OFFSET 0",
            "WITH recent AS (SELECT customer_id, sum(amount) AS total FROM app2_invoice GROUP BY customer_id)"
                    + " SELECT c.name, r.total FROM app2_customer c JOIN recent r ON r.customer_id = c.id",
            "SELECT id FROM app2_customer WHERE to_tsvector('simple', name) @@ plainto_tsquery('simple', 'ada')",
            "SELECT EXISTS (SELECT 1 FROM app2_customer WHERE name = 'Ada')",
            "SELECT gen_random_uuid(), now(), current_date, coalesce(max(id), 0) FROM app2_customer",
            "WITH done AS (DELETE FROM app2_job WHERE state = 'done' RETURNING id, kind)"
                    + " INSERT INTO app2_job (kind, note) SELECT kind, 'again-' || id FROM done",
    })
    void everydaySqlRunsAsOnThePlainDriver(String sql) {
        signIn("sue", "SUPPORT");
        JdbcTemplate jdbc = bean(JdbcTemplate.class);
        new TransactionTemplate(bean(PlatformTransactionManager.class)).executeWithoutResult(s -> {
            if (sql.startsWith("SELECT") || sql.startsWith("WITH recent") || sql.endsWith("RETURNING id")) {
                jdbc.queryForList(sql);
            } else {
                jdbc.update(sql);
            }
        });
    }

    @Test
    void aBatchOfUpsertsWithBoundArraysAndJsonRuns() throws SQLException {
        signIn("sue", "SUPPORT");
        JdbcTemplate jdbc = bean(JdbcTemplate.class);
        int[] counts = jdbc.batchUpdate("INSERT INTO app2_job (kind, note, payload, tags) VALUES (?, ?, CAST(? AS jsonb), ?)"
                + " ON CONFLICT (kind, note) DO UPDATE SET payload = EXCLUDED.payload", List.of(
                new Object[] {"sms", "b1", "{\"to\": 3}", new String[] {"x"}},
                new Object[] {"sms", "b2", "{\"to\": 4}", new String[] {"y", "z"}}));
        assertThat(counts).hasSize(2);
        assertThat(rawString("SELECT count(*) FROM app2_job WHERE kind = 'sms'")).isEqualTo("2");
        assertThat(jdbc.queryForList("SELECT id FROM app2_job WHERE id = ANY (?)", Long.class,
                (Object) new Long[] {1L, 2L})).hasSize(2);
    }

    @Test
    void hibernatesCreateDropMakesTheSchemaAtStartAndDropsItAtClose() throws SQLException {
        String schema = SCHEMA + "_cd";
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        try {
            ConfigurableApplicationContext temporary = new SpringApplicationBuilder(ServiceApplication.class).properties(
                    "server.port=0",
                    "spring.datasource.url=" + URL,
                    "spring.datasource.username=postgres",
                    "spring.datasource.hikari.schema=" + schema,
                    "spring.flyway.enabled=false",
                    "spring.jpa.hibernate.ddl-auto=create-drop",
                    "spring.sql.init.mode=never",
                    "governed.principal=app2-service",
                    "governed.kind=service",
                    "governed.migration.principal=app2-schema-owner",
                    "governed.policy=classpath:io/governed/policy/baseline.yaml,classpath:service/app2-policy.yaml").run();
            try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
                assertThat(c.getMetaData().getTables(null, schema, "app2_customer", null).next()).isTrue();
            }
            temporary.close();
            try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
                assertThat(c.getMetaData().getTables(null, schema, "app2_customer", null).next())
                        .as("dropped when the application closes").isFalse();
            }
        } finally {
            try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void aClaimWhoseSubqueryReadsTheWrittenRowIsRefusedAsUnbounded() throws SQLException {
        signIn("sue", "SUPPORT");
        String before = rawString("SELECT count(*) FROM app2_job WHERE state = 'claimed'");
        assertThatThrownBy(() -> bean(JdbcTemplate.class).update("UPDATE app2_job j SET state = 'claimed'"
                + " WHERE id = (SELECT id FROM app2_job WHERE id = j.id)"))
                .isInstanceOf(GovernanceDeniedDataAccessException.class).hasMessageContaining("baseline-no-unbounded-writes");
        assertThat(rawString("SELECT count(*) FROM app2_job WHERE state = 'claimed'")).isEqualTo(before);
    }

    @Test
    void aDocumentKeptAsALargeObjectIsSavedAndReadBack() {
        signIn("sam", "SALES");
        byte[] content = "%PDF-1.7 a small document".getBytes(StandardCharsets.UTF_8);
        TransactionTemplate tx = new TransactionTemplate(bean(PlatformTransactionManager.class));
        Long id = tx.execute(s -> bean(AttachmentRepository.class).save(new Attachment("a.pdf", content, "long notes")).getId());
        Attachment read = tx.execute(s -> {
            Attachment a = bean(AttachmentRepository.class).findById(id).orElseThrow();
            a.getContent(); // read inside the transaction, as large objects must be
            return a;
        });
        assertThat(read.getContent()).isEqualTo(content);
        assertThat(read.getNotes()).isEqualTo("long notes");
    }

    @Test
    void anUpsertWritingTheMaskedAddressBackIsRefusedAndOneWithANewAddressRuns() throws SQLException {
        long id = newCustomer("Leslie", "leslie@example.com");
        signIn("sam", "SALES");
        JdbcTemplate jdbc = bean(JdbcTemplate.class);
        String upsert = "INSERT INTO app2_customer (id, name, email) VALUES (?, ?, ?) ON CONFLICT (id)"
                + " DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email";
        String masked = jdbc.queryForObject("SELECT email FROM app2_customer WHERE id = ?", String.class, id);
        assertThat(masked).isEqualTo("l***@example.com");
        assertThatThrownBy(() -> jdbc.update(upsert, id, "Leslie L.", masked))
                .isInstanceOf(GovernanceDeniedDataAccessException.class).hasMessageContaining("app2-mask-email");
        assertThat(rawString("SELECT name || ' ' || email FROM app2_customer WHERE id = " + id))
                .isEqualTo("Leslie leslie@example.com");
        assertThat(jdbc.update(upsert, id, "Leslie L.", "leslie.lamport@example.com")).isEqualTo(1);
        assertThat(rawString("SELECT name || ' ' || email FROM app2_customer WHERE id = " + id))
                .isEqualTo("Leslie L. leslie.lamport@example.com");
    }
}
