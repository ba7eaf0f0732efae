package io.governed.spring.boot;

import io.governed.spring.boot.app.Account;
import io.governed.spring.boot.plain.JpaApplication;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What JPA reads through the starter on the local PostgreSQL server, under the baseline and a mask of the
 * application's own on {@code account.email}: native queries (plain, computed, mapped to the entity), JPQL (a
 * column, a computed value, tuples, whole entities) and entities loaded by id all return the address masked to the
 * service, and in clear to a signed-in support user; a native bulk write without a bound is refused (JPA's own
 * exception, whose cause is the refusal with SQLState 42501).
 */
@EnabledIf("io.governed.spring.boot.BootApplicationOnPostgresIT#reachable")
class BootJpaQueriesOnPostgresIT {
    static final String URL = BootApplicationOnPostgresIT.URL;
    static final String SCHEMA = "jpa_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() {
        context = new SpringApplicationBuilder(JpaApplication.class).web(WebApplicationType.NONE).properties(
                "spring.datasource.url=" + URL,
                "spring.datasource.username=postgres",
                "spring.flyway.locations=classpath:db/migration/accounts",
                "spring.flyway.schemas=" + SCHEMA,
                "spring.datasource.hikari.schema=" + SCHEMA,
                "spring.jpa.hibernate.ddl-auto=update",
                "spring.jpa.open-in-view=false",
                "spring.sql.init.mode=never",
                "governed.principal=accounts-app",
                "governed.kind=service",
                "governed.migration.principal=schema-owner",
                "governed.policy=classpath:io/governed/policy/baseline.yaml,classpath:plain/mask-email.yaml").run();
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

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    /** Runs the work in a transaction with the application's shared entity manager. */
    private static <T> T inTransaction(java.util.function.Function<EntityManager, T> work) {
        EntityManagerFactory factory = context.getBean(EntityManagerFactory.class);
        return context.getBean(TransactionTemplate.class).execute(status ->
                work.apply(EntityManagerFactoryUtils.getTransactionalEntityManager(factory)));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> nativeColumn(String sql) {
        return inTransaction(em -> (List<Object>) em.createNativeQuery(sql).getResultList());
    }

    @Test
    void nativeQueriesReturnTheAddressMasked() {
        assertThat(nativeColumn("SELECT email FROM account ORDER BY id"))
                .containsExactly("a***@example.com", "g***@example.com");
        assertThat(nativeColumn("SELECT lower(email) AS contact FROM account ORDER BY id"))
                .allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain("ada@", "grace@", "ada", "grace"));
        assertThat(nativeColumn("SELECT e FROM (SELECT email AS e, id FROM account) AS sub ORDER BY id"))
                .containsExactly("a***@example.com", "g***@example.com");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNativeQueryMappedToTheEntityMasksTheAddress() {
        List<Account> accounts = inTransaction(em -> (List<Account>) em
                .createNativeQuery("SELECT * FROM account ORDER BY id", Account.class).getResultList());
        assertThat(accounts).extracting(Account::getEmail).containsExactly("a***@example.com", "g***@example.com");
        assertThat(accounts).extracting(Account::getName).containsExactly("Ada", "Grace");
    }

    @Test
    void jpqlReturnsTheAddressMaskedAsAColumnAComputedValueAndATuple() {
        List<String> emails = inTransaction(em -> em.createQuery("select a.email from Account a order by a.id",
                String.class).getResultList());
        assertThat(emails).containsExactly("a***@example.com", "g***@example.com");
        List<String> computed = inTransaction(em -> em.createQuery("select concat('<', a.email, '>') from Account a",
                String.class).getResultList());
        assertThat(computed).hasSize(2).allSatisfy(v -> assertThat(v).doesNotContain("ada@", "grace@"));
        List<Tuple> tuples = inTransaction(em -> em.createQuery(
                "select a.name as name, a.email as email from Account a order by a.id", Tuple.class).getResultList());
        assertThat(tuples).extracting(t -> t.get("name", String.class) + " " + t.get("email", String.class))
                .containsExactly("Ada a***@example.com", "Grace g***@example.com");
    }

    @Test
    void entitiesLoadedByIdOrQueryCarryTheAddressMaskedToTheServiceAndInClearToSupport() {
        String asService = inTransaction(em -> em.find(Account.class, 1).getEmail());
        assertThat(asService).isEqualTo("a***@example.com");
        List<Account> all = inTransaction(em -> em.createQuery("select a from Account a order by a.id", Account.class)
                .getResultList());
        assertThat(all).extracting(Account::getEmail).containsExactly("a***@example.com", "g***@example.com");

        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "sam", null, AuthorityUtils.createAuthorityList("ROLE_SUPPORT")));
        String asSupport = inTransaction(em -> em.find(Account.class, 1).getEmail());
        assertThat(asSupport).isEqualTo("ada@example.com");
    }

    @Test
    void aNativeWriteWithoutABoundIsRefusedWithThePermissionSqlState() {
        assertThatThrownBy(() -> inTransaction(em -> em.createNativeQuery("DELETE FROM account").executeUpdate()))
                .hasRootCauseInstanceOf(SQLException.class)
                .rootCause().hasMessageContaining("baseline-no-unbounded-writes")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        assertThat(nativeColumn("SELECT count(*) FROM account")).singleElement()
                .satisfies(n -> assertThat(((Number) n).intValue()).isEqualTo(2));
    }
}
