package io.governed.jdbc.rowfilter;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.GovernedTwins;
import io.governed.jdbc.support.JdbcValues;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL, in a database of the test's own: a tenant the row filter restricts, whose rules permit {@code alter},
 * tries to move the filtered rows out of the filter's reach (renaming the table, moving it to another schema, renaming
 * the schema, renaming a clear table into the filtered name, renaming, dropping or retyping the filter's column,
 * detaching a partition). Each statement is refused (42501, naming the filter and what to do); then both tenants read
 * every name the rows could have gone to through the governed driver and never see the other tenant's rows, and the
 * catalog, read through a raw connection, still holds the tables as they were. The migration identity the filter
 * exempts may rename.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRowFilterRenameIT {
    private static final String DB = "rf_db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String URL = "postgresql://127.0.0.1:5432/" + DB + "?connectTimeout=5";
    private static final String SECRET_A = "RF-ROW-OF-TENANT-A";
    private static final String SECRET_B = "RF-ROW-OF-TENANT-B";
    /** Every name the filtered rows could be read under after one of the attacks. */
    private static final List<String> PLACES = List.of("rf_orders", "public.rf_orders", "rf_o2", "public.rf_o2",
            "rf_other.rf_orders", "rf_p2.rf_orders", "rf_p2.rf_porders", "rf_p2.rf_porders_b", "rf_porders",
            "rf_porders_b", "rf_free", "rf_clear", "rf_v");
    private static Path policy;

    @BeforeAll
    static void database() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE DATABASE " + DB);
        }
        policy = Files.createTempFile("rf-rename-policy", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                row-filters:
                  - id: tenant-isolation
                    tables: ["public.rf_orders", "public.rf_porders"]
                    filter: "tenant_id = :identity.tenant"
                    unless: { names: [rf-migrator] }
                """);
    }

    @AfterAll
    static void dropDatabase() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
        Files.deleteIfExists(policy);
    }

    @BeforeEach
    void tables() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA rf_other");
            st.execute("CREATE TABLE public.rf_orders (id int, tenant_id text, note text)");
            st.execute("INSERT INTO public.rf_orders VALUES (1, 'a', '" + SECRET_A + "'), (2, 'b', '" + SECRET_B + "')");
            st.execute("CREATE TABLE public.rf_porders (id int, tenant_id text, note text) PARTITION BY LIST (tenant_id)");
            st.execute("CREATE TABLE public.rf_porders_a PARTITION OF public.rf_porders FOR VALUES IN ('a')");
            st.execute("CREATE TABLE public.rf_porders_b PARTITION OF public.rf_porders FOR VALUES IN ('b')");
            st.execute("INSERT INTO public.rf_porders VALUES (1, 'a', '" + SECRET_A + "'), (2, 'b', '" + SECRET_B + "')");
            st.execute("CREATE TABLE public.rf_clear (id int, tenant_id text, note text)");
            st.execute("INSERT INTO public.rf_clear VALUES (7, 'a', 'clear-row')");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection raw = raw(); Statement st = raw.createStatement()) {
            // whatever an attack left (the database is the test's own): the schemas made anew
            st.execute("DROP SCHEMA IF EXISTS rf_p2 CASCADE");
            st.execute("DROP SCHEMA IF EXISTS rf_other CASCADE");
            st.execute("DROP SCHEMA IF EXISTS public CASCADE");
            st.execute("CREATE SCHEMA public");
        }
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:" + URL, "postgres", "");
    }

    private static Connection governed(String principal, String tenant) throws SQLException {
        return GovernedTwins.governed(URL, "postgres", policy, principal, "service", tenant);
    }

    /** Every value every governed read of every place gives the tenant (places it is refused or that do not exist: none). */
    private static String everythingSeenBy(String tenant) throws SQLException {
        try (Connection c = governed("rf-tenant-" + tenant, tenant)) {
            return String.join("\n", GovernedTwins.everythingSeen(c, PLACES));
        }
    }

    private static List<String> rawList(String sql) throws SQLException {
        try (Connection raw = raw()) {
            return JdbcValues.firstColumnOfLast(raw, sql);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER TABLE rf_orders RENAME TO rf_o2",
            "ALTER TABLE public.rf_orders RENAME TO rf_o2",
            "ALTER TABLE rf_orders SET SCHEMA rf_other",
            "ALTER SCHEMA public RENAME TO rf_p2",
            "ALTER TABLE rf_orders RENAME COLUMN tenant_id TO t2",
            "ALTER TABLE rf_orders DROP COLUMN tenant_id",
            "ALTER TABLE rf_orders ALTER COLUMN tenant_id TYPE int USING 1",
            "ALTER TABLE rf_porders DETACH PARTITION rf_porders_b",
            "ALTER TABLE rf_porders_b RENAME TO rf_free",
            "ALTER TABLE rf_porders RENAME TO rf_o2",
    })
    void theFilteredTenantCannotMoveTheRowsOutOfTheFiltersReach(String attack) throws SQLException {
        try (Connection c = governed("rf-tenant-a", "a"); Statement st = c.createStatement()) {
            SQLException refused = null;
            try {
                st.execute(attack);
            } catch (SQLException e) {
                refused = e;
            }
            assertThat((Throwable) refused).as(attack).isInstanceOf(GovernanceException.class);
            assertThat(refused.getSQLState()).isEqualTo("42501");
            assertThat(refused.getMessage()).contains("tenant-isolation", "exempts").doesNotContain(SECRET_A, SECRET_B);
        }
        assertThat(everythingSeenBy("b")).as(attack).doesNotContain(SECRET_A);
        assertThat(everythingSeenBy("a")).as(attack).doesNotContain(SECRET_B);
        assertThat(rawList("SELECT table_schema || '.' || table_name FROM information_schema.tables"
                + " WHERE table_name LIKE 'rf\\_%' ORDER BY 1")).as(attack).containsExactly(
                "public.rf_clear", "public.rf_orders", "public.rf_porders", "public.rf_porders_a", "public.rf_porders_b");
        assertThat(rawList("SELECT column_name || ' ' || data_type FROM information_schema.columns"
                + " WHERE table_schema = 'public' AND table_name = 'rf_orders' ORDER BY ordinal_position"))
                .containsExactly("id integer", "tenant_id text", "note text");
        assertThat(rawList("SELECT count(*) FROM public.rf_porders")).containsExactly("2");
    }

    /** Renaming a clear table into the filtered table's name, after the filtered one was moved away by the migration. */
    @Test
    void theFilteredTenantCannotRenameAClearTableIntoTheFilteredName() throws SQLException {
        try (Connection migrator = governed("rf-migrator", null); Statement st = migrator.createStatement()) {
            st.execute("ALTER TABLE rf_orders RENAME TO rf_o2"); // the identity the filter exempts may
        }
        try (Connection c = governed("rf-tenant-a", "a"); Statement st = c.createStatement()) {
            SQLException refused = null;
            try {
                st.execute("ALTER TABLE rf_clear RENAME TO rf_orders");
            } catch (SQLException e) {
                refused = e;
            }
            assertThat((Throwable) refused).isInstanceOf(GovernanceException.class);
            assertThat(refused.getMessage()).contains("tenant-isolation", "public.rf_orders");
        }
        assertThat(rawList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                + " AND table_name IN ('rf_orders', 'rf_o2', 'rf_clear') ORDER BY 1")).containsExactly("rf_clear", "rf_o2");
    }

    /** A view the filtered tenant defines over the filtered table shows the other tenant no row of the first one's. */
    @Test
    void aViewOverTheFilteredTableShowsNoOtherTenantsRows() throws SQLException {
        try (Connection c = governed("rf-tenant-a", "a"); Statement st = c.createStatement()) {
            try {
                st.execute("CREATE VIEW rf_v AS SELECT * FROM rf_orders");
            } catch (SQLException refused) {
                assertThat(refused.getMessage()).doesNotContain(SECRET_A, SECRET_B);
            }
        }
        assertThat(everythingSeenBy("b")).doesNotContain(SECRET_A);
        assertThat(everythingSeenBy("a")).doesNotContain(SECRET_B);
    }
}
