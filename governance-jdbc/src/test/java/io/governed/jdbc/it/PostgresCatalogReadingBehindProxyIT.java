package io.governed.jdbc.it;

import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pgjdbc's connections behind a proxy the governed data source cannot see through by class (a {@code java.lang.reflect}
 * proxy of {@link Connection}, defined in the class loader of {@code java.sql}, as a test double or an instrumenting
 * agent makes), so that pgjdbc's transaction state is asked through {@code unwrap} only. Inside the application's
 * transaction, a statement judged on user code read as it runs (a service's {@code CREATE SCHEMA}, as Flyway sends in
 * its transaction; a masked agent's query) reads the catalog under a savepoint: the reading must leave the transaction
 * as it was, its earlier row kept and the statement run, as on the plain driver. So too behind a proxy that does not
 * unwrap to pgjdbc's connection at all, whose transaction state cannot be asked.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresCatalogReadingBehindProxyIT {
    private static final String DB = TestDatabase.forkName("fc_db");

    private static final String POLICY = """
            version: 1
            default: deny
            classification: { auto-detect: false, tags: { pii.ssn: ["*.ssn"] } }
            rules:
              - { id: work, effect: permit, principals: { kinds: [agent, service] }, actions: ["*"], resources: ["*"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [svc] } }
            """;

    private static String url;
    @TempDir
    static Path dir;
    private static Path policy;

    @BeforeAll
    static void database() throws Exception {
        TestDatabase.POSTGRESQL.requireReachable();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + DB);
        }
        url = "jdbc:postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5";
        policy = dir.resolve("behind-proxy.yaml");
        Files.writeString(policy, POLICY);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    @BeforeEach
    void objects() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS fc_made CASCADE");
            st.execute("DROP TABLE IF EXISTS public.fc_rows");
            st.execute("CREATE TABLE public.fc_rows (id int PRIMARY KEY, ssn text)");
        }
    }

    /**
     * In the application's transaction, after a row it inserted: the service's (no mask applies to it)
     * {@code CREATE SCHEMA}, a definition judged on user code read as it runs; the masked agent's query, a statement
     * of a limited caller judged so. Each runs, and the commit keeps the row and the schema.
     */
    @ParameterizedTest
    @CsvSource({"service, false", "agent, false", "service, true", "agent, true"})
    void aReadingUnderASavepointLeavesTheTransactionAsItWas(String who, boolean opaque) throws Exception {
        try (GovernedDataSource governed = new GovernedDataSource(behindProxy(opaque), settings(who));
             Connection c = governed.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            assertThat(st.executeUpdate("INSERT INTO public.fc_rows VALUES (1, '123-45-6789')")).isEqualTo(1);
            if (who.equals("service")) {
                st.execute("CREATE SCHEMA fc_made");
            } else {
                try (ResultSet rs = st.executeQuery("SELECT ssn FROM public.fc_rows WHERE id = 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).endsWith("6789").doesNotContain("123-45");
                }
            }
            assertThat(st.executeUpdate("INSERT INTO public.fc_rows VALUES (2, '222-33-4444')")).isEqualTo(1);
            c.commit();
        }
        assertThat(rawValue("SELECT string_agg(id::text, ',' ORDER BY id) FROM public.fc_rows"))
                .as("the rows of the transaction, committed").isEqualTo("1,2");
        if (who.equals("service")) {
            assertThat(rawValue("SELECT count(*) FROM pg_namespace WHERE nspname = 'fc_made'")).isEqualTo("1");
        }
    }

    private static Properties settings(String who) {
        Properties p = new Properties();
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.connect.unlisted-data-source", "allow"); // pgjdbc's own, behind a proxy
        if (who.equals("service")) {
            p.setProperty("governed.principal", "svc");
            p.setProperty("governed.kind", "service");
            p.setProperty("governed.groups", "svc");
        } else {
            p.setProperty("governed.principal", "ann");
            p.setProperty("governed.kind", "agent");
        }
        return p;
    }

    /**
     * pgjdbc's data source, whose connections are proxies of {@link Connection} only, passing every call on; when
     * {@code opaque}, ones that do not unwrap to pgjdbc's connection either (so its transaction state cannot be asked).
     */
    private static DataSource behindProxy(boolean opaque) {
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(url);
        postgres.setUser(TestDatabase.POSTGRESQL.user());
        postgres.setPassword("");
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(postgres, method, args);
                    if (!(result instanceof Connection raw)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, a) -> {
                                if (opaque && m.getName().equals("isWrapperFor")) {
                                    return a[0] == Connection.class;
                                }
                                if (opaque && m.getName().equals("unwrap")) {
                                    if (a[0] == Connection.class) {
                                        return p;
                                    }
                                    throw new SQLException("not a wrapper for " + a[0]);
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

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection(url, TestDatabase.POSTGRESQL.user(), "");
    }

    private static String rawValue(String sql) throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
