package io.governed.jdbc.rowfilter;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.GovernedTwins;
import io.governed.jdbc.support.JdbcValues;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
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
 * The embedded H2 twin of {@link PostgresRowFilterRenameIT}, in an in-memory database of the test's own: a tenant the
 * row filter restricts, whose rules permit {@code alter}, tries to move the filtered rows out of the filter's reach
 * ({@code ALTER TABLE … RENAME TO}, H2's {@code ALTER COLUMN … RENAME TO}, {@code RENAME COLUMN}, dropping, retyping or
 * adding a column, {@code ALTER SCHEMA … RENAME TO}, a {@code CREATE SYNONYM} for the filtered table, renaming a view
 * over it). Each is refused (42501, naming the filter); then the catalog, read through a raw connection, is as it was,
 * and neither tenant reads the other's rows under any name the rows could have gone to.
 */
@RequiresDatabase(TestDatabase.H2)
class H2RowFilterRenameIT {
    private static final String URL = "h2:mem:tw_rename_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8)
            + ";DB_CLOSE_DELAY=-1";
    private static final String SECRET_A = "TW-ROW-OF-TENANT-A";
    private static final String SECRET_B = "TW-ROW-OF-TENANT-B";
    private static final String ROWS = "(1, 'a', '" + SECRET_A + "'), (2, 'b', '" + SECRET_B + "')";
    /** Every name the filtered rows could be read under after one of the attacks. */
    private static final List<String> PLACES = List.of("TW_ORDERS", "PUBLIC.TW_ORDERS", "TW_S.TW_ORDERS", "TW_O2",
            "TW_S.TW_O2", "TW_S2.TW_ORDERS", "TW_SYN", "TW_S.TW_SYN", "TW_OV", "TW_OV2", "TW_FV", "TW_FV2", "TW_CLEAR");
    /** The relations as the fixture makes them: schema.name:type. */
    private static final List<String> TABLES = List.of("PUBLIC.TW_CLEAR:BASE TABLE", "PUBLIC.TW_FV:VIEW",
            "PUBLIC.TW_ORDERS:BASE TABLE", "PUBLIC.TW_OV:VIEW", "TW_S.TW_ORDERS:BASE TABLE");
    private static Path policy;
    /** The same policy under {@code on-unparseable: allow}. */
    private static Path allowingUnparsed;
    /** The one raw connection of the class; it also keeps the in-memory database open. */
    private static Connection raw;

    @BeforeAll
    static void database() throws SQLException, IOException {
        raw = DriverManager.getConnection("jdbc:" + URL, "sa", "");
        policy = Files.createTempFile("tw-h2-rename-policy", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                row-filters:
                  - id: tenant-isolation
                    tables: ["PUBLIC.TW_ORDERS", "TW_S.TW_ORDERS", "PUBLIC.TW_FV"]
                    filter: "tenant = :identity.tenant"
                    unless: { names: [tw-migrator] }
                """);
        allowingUnparsed = Files.createTempFile("tw-h2-rename-policy-allow", ".yaml");
        Files.writeString(allowingUnparsed, "on-unparseable: allow\n" + Files.readString(policy));
    }

    @AfterAll
    static void dropDatabase() throws SQLException, IOException {
        try (Statement st = raw.createStatement()) {
            st.execute("DROP ALL OBJECTS");
        } finally {
            raw.close();
            Files.deleteIfExists(policy);
            Files.deleteIfExists(allowingUnparsed);
        }
    }

    /** Everything made anew in one statement text (H2's DDL commits on its own, so no transaction holds it). */
    @BeforeEach
    void fixtures() throws SQLException {
        try (Statement st = raw.createStatement()) {
            st.execute("DROP ALL OBJECTS; CREATE SCHEMA TW_S;"
                    + " CREATE TABLE PUBLIC.TW_ORDERS (ID INT, TENANT VARCHAR(8), NOTE VARCHAR(40));"
                    + " INSERT INTO PUBLIC.TW_ORDERS VALUES " + ROWS + ";"
                    + " CREATE TABLE TW_S.TW_ORDERS (ID INT, TENANT VARCHAR(8), NOTE VARCHAR(40));"
                    + " INSERT INTO TW_S.TW_ORDERS VALUES " + ROWS + ";"
                    + " CREATE TABLE PUBLIC.TW_CLEAR (ID INT, TENANT VARCHAR(8), NOTE VARCHAR(40));"
                    + " INSERT INTO PUBLIC.TW_CLEAR VALUES (7, 'a', 'clear-row');"
                    + " CREATE VIEW PUBLIC.TW_OV AS SELECT ID, TENANT, NOTE FROM PUBLIC.TW_ORDERS;"
                    + " CREATE VIEW PUBLIC.TW_FV AS SELECT ID, TENANT, NOTE FROM TW_S.TW_ORDERS");
        }
    }

    private static Connection governed(String principal, String tenant) throws SQLException {
        return governed(policy, principal, tenant);
    }

    private static Connection governed(Path policy, String principal, String tenant) throws SQLException {
        return GovernedTwins.governed(URL, "sa", policy, principal, "service", tenant);
    }

    /** Every value every governed read of every place gives the tenant (places it is refused or that do not exist: none). */
    private static String everythingSeenBy(String tenant) throws SQLException {
        try (Connection c = governed("tw-tenant-" + tenant, tenant)) {
            return String.join("\n", GovernedTwins.everythingSeen(c, PLACES));
        }
    }

    private static List<String> rawList(String sql) throws SQLException {
        return JdbcValues.firstColumnOfLast(raw, sql);
    }

    private static void assertUnchanged(String after) throws SQLException {
        assertThat(rawList("SELECT TABLE_SCHEMA || '.' || TABLE_NAME || ':' || TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE TABLE_SCHEMA <> 'INFORMATION_SCHEMA' ORDER BY 1")).as("relations after " + after)
                .containsExactlyElementsOf(TABLES);
        assertThat(rawList("SELECT SYNONYM_SCHEMA || '.' || SYNONYM_NAME FROM INFORMATION_SCHEMA.SYNONYMS"))
                .as("synonyms after " + after).isEmpty();
        assertThat(rawList("SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA ORDER BY 1")).as("schemas after " + after)
                .containsExactly("INFORMATION_SCHEMA", "PUBLIC", "TW_S");
        for (String schema : List.of("PUBLIC", "TW_S")) {
            assertThat(rawList("SELECT COLUMN_NAME || ' ' || DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = '"
                    + schema + "' AND TABLE_NAME = 'TW_ORDERS' ORDER BY ORDINAL_POSITION")).as(schema + " columns after " + after)
                    .containsExactly("ID INTEGER", "TENANT CHARACTER VARYING", "NOTE CHARACTER VARYING");
            assertThat(rawList("SELECT ID || '|' || TENANT || '|' || NOTE FROM " + schema + ".TW_ORDERS ORDER BY ID"))
                    .as(schema + ".TW_ORDERS after " + after).containsExactly("1|a|" + SECRET_A, "2|b|" + SECRET_B);
        }
    }

    private static void assertIsolated(String after) throws SQLException {
        assertThat(everythingSeenBy("b")).as("tenant b after " + after).doesNotContain(SECRET_A);
        assertThat(everythingSeenBy("a")).as("tenant a after " + after).doesNotContain(SECRET_B);
    }

    private static SQLException attempt(String principal, String tenant, String sql) {
        return GovernedTwins.attempt(() -> governed(principal, tenant), sql);
    }

    private static void assertRefusedNamingTheFilter(SQLException refused, String sql) {
        assertThat((Throwable) refused).as(sql).isInstanceOf(GovernanceException.class);
        assertThat(refused.getSQLState()).as(sql).isEqualTo("42501");
        assertThat(refused.getMessage()).as(sql).contains("tenant-isolation", "exempts").doesNotContain(SECRET_A, SECRET_B);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "ALTER TABLE TW_ORDERS RENAME TO TW_O2",
            "ALTER TABLE PUBLIC.TW_ORDERS RENAME TO TW_O2",
            "ALTER TABLE IF EXISTS TW_S.TW_ORDERS RENAME TO TW_O2",
            "ALTER TABLE TW_ORDERS ALTER COLUMN TENANT RENAME TO TENANT2",
            "ALTER TABLE TW_S.TW_ORDERS ALTER COLUMN TENANT RENAME TO TENANT2",
            "ALTER TABLE TW_ORDERS RENAME COLUMN TENANT TO TENANT2",
            "ALTER TABLE TW_ORDERS DROP COLUMN TENANT",
            "ALTER TABLE TW_ORDERS ALTER COLUMN TENANT SET DATA TYPE VARCHAR(1)",
            "ALTER TABLE TW_ORDERS ALTER COLUMN TENANT SET DEFAULT 'b'",
            "ALTER TABLE TW_ORDERS ADD COLUMN TW_X INT",
            "ALTER SCHEMA TW_S RENAME TO TW_S2",
            "ALTER SCHEMA PUBLIC RENAME TO TW_S2",
            "CREATE SYNONYM TW_SYN FOR TW_ORDERS",
            "CREATE OR REPLACE SYNONYM TW_S.TW_SYN FOR TW_S.TW_ORDERS",
            "ALTER VIEW TW_FV RENAME TO TW_FV2",
            "ALTER VIEW IF EXISTS PUBLIC.TW_FV RENAME TO TW_FV2",
    })
    void theFilteredTenantCannotMoveTheRowsOutOfTheFiltersReach(String attack) throws SQLException {
        assertRefusedNamingTheFilter(attempt("tw-tenant-a", "a", attack), attack);
        assertUnchanged(attack);
        assertIsolated(attack);
    }

    /** Renaming a clear table into the filtered table's name, or giving it that name as a synonym, after the migration. */
    @Test
    void theFilteredTenantCannotRenameAClearTableIntoTheFilteredName() throws SQLException {
        assertThat((Throwable) attempt("tw-migrator", null, "ALTER TABLE PUBLIC.TW_ORDERS RENAME TO TW_O2")).isNull();
        for (String attack : List.of("ALTER TABLE TW_CLEAR RENAME TO TW_ORDERS",
                "ALTER TABLE PUBLIC.TW_CLEAR RENAME TO TW_ORDERS", "CREATE SYNONYM TW_ORDERS FOR TW_CLEAR")) {
            SQLException refused = attempt("tw-tenant-a", "a", attack);
            assertRefusedNamingTheFilter(refused, attack);
            assertThat(refused.getMessage()).as(attack).contains("TW_ORDERS");
            assertThat(rawList("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'"
                    + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1")).as(attack).containsExactly("TW_CLEAR", "TW_O2");
            assertThat(rawList("SELECT SYNONYM_NAME FROM INFORMATION_SCHEMA.SYNONYMS")).as(attack).isEmpty();
        }
    }

    /**
     * Forms the parser does not read ({@code CREATE SYNONYM IF NOT EXISTS}) are refused also under {@code
     * on-unparseable: allow}: the row filter cannot restrict what it cannot read, and the text names the filtered table.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "CREATE SYNONYM IF NOT EXISTS TW_SYN FOR PUBLIC.TW_ORDERS",
            "ALTER TABLE IF EXISTS TW_ORDERS ALTER COLUMN IF EXISTS TENANT RENAME TO TENANT2",
    })
    void anUnreadFormIsRefusedEvenWhereUnparseableStatementsAreAllowed(String attack) throws SQLException {
        SQLException refused;
        try (Connection c = governed(allowingUnparsed, "tw-tenant-a", "a"); Statement st = c.createStatement()) {
            st.execute(attack);
            refused = null;
        } catch (SQLException e) {
            refused = e;
        }
        assertThat((Throwable) refused).as(attack).isInstanceOf(GovernanceException.class);
        assertThat(refused.getSQLState()).as(attack).isEqualTo("42501");
        assertThat(refused.getMessage()).as(attack).contains("tenant-isolation").doesNotContain(SECRET_A, SECRET_B);
        assertUnchanged(attack);
        assertIsolated(attack);
    }

    /**
     * A view the filter does not name, over the filtered table, is renamed or not (its own ALTER touches no row of the
     * table beneath it, which the filter follows by the table's name): under either name it shows neither tenant the
     * other's rows, and the table is as it was.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ALTER VIEW TW_OV RENAME TO TW_OV2", "ALTER VIEW IF EXISTS PUBLIC.TW_OV RENAME TO TW_OV2"})
    void aViewOverTheFilteredTableShowsNoOtherTenantsRowsUnderAnyName(String rename) throws SQLException {
        assertIsolated("nothing");
        SQLException refused = attempt("tw-tenant-a", "a", rename);
        if (refused != null) {
            assertThat(refused.getMessage()).as(rename).doesNotContain(SECRET_A, SECRET_B);
        }
        assertIsolated(rename);
        assertThat(rawList("SELECT ID || '|' || TENANT || '|' || NOTE FROM PUBLIC.TW_ORDERS ORDER BY ID"))
                .containsExactly("1|a|" + SECRET_A, "2|b|" + SECRET_B);
    }
}
