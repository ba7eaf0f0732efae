package io.governed.jdbc.rowfilter;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.GovernedTwins;
import io.governed.jdbc.support.JdbcValues;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
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
 * The MariaDB twin of {@link PostgresRowFilterRenameIT}, in a database of the test's own: a tenant the row filter
 * restricts, whose rules permit {@code alter}, tries to move the filtered rows out of the filter's reach ({@code RENAME
 * TABLE}, a swap of names, {@code ALTER TABLE … RENAME} within and out of the database, renaming, changing, retyping,
 * dropping or adding a column, exchanging, converting, dropping, truncating or reorganising a partition, removing the
 * partitioning, changing the engine). Each is refused (42501, naming the filter); then the tables, read through a raw
 * connection, are as they were, and neither tenant reads the other's rows under any name the rows could have gone to.
 * A view or a {@code MERGE} table the tenant defines over the filtered table shows the other tenant none of its rows.
 * MariaDB has no statement renaming a database ({@code RENAME DATABASE} was removed): the forms that exist are refused
 * or leave the database as it was.
 */
@RequiresDatabase(TestDatabase.MARIADB)
@ServerWide("MariaDB USE of another database, MariaDB schemas (databases), databases")
class MariaDbRowFilterRenameIT {
    private static final String SUFFIX = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String DB = "tw_db_" + SUFFIX;
    private static final String OTHER = "tw_db2_" + SUFFIX;
    private static final String URL = "mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000";
    private static final String SECRET_A = "TW-ROW-OF-TENANT-A";
    private static final String SECRET_B = "TW-ROW-OF-TENANT-B";
    private static final String ROWS = "(1, 'a', '" + SECRET_A + "'), (2, 'b', '" + SECRET_B + "')";
    /** Every name the filtered rows could be read under after one of the attacks. */
    private static final List<String> PLACES = List.of("tw_orders", DB + ".tw_orders", "tw_o2", "tw_tmp",
            OTHER + ".tw_orders", OTHER + ".tw_o2", "tw_porders", "tw_swap", "tw_free", "tw_clear", "tw_mclear", "tw_m",
            "tw_v");
    /** The tables of both databases as the fixture makes them: schema.name:type:engine. */
    private static final List<String> TABLES = List.of(
            DB + ".tw_clear:BASE TABLE:MyISAM", DB + ".tw_mclear:BASE TABLE:MyISAM", DB + ".tw_orders:BASE TABLE:MyISAM",
            DB + ".tw_porders:BASE TABLE:InnoDB", DB + ".tw_swap:BASE TABLE:InnoDB");
    private static Path policy;
    /** The same policy under {@code on-unparseable: allow}. */
    private static Path allowingUnparsed;
    /** The one raw connection of the class, multi-statement, for fixtures and checks. */
    private static Connection raw;

    @BeforeAll
    static void database() throws SQLException, IOException {
        raw = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + TestDatabase.DATABASE + "?allowMultiQueries=true&connectTimeout=5000",
                "root", "");
        policy = Files.createTempFile("tw-rename-policy", ".yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
                row-filters:
                  - id: tenant-isolation
                    tables: ["%1$s.tw_orders", "%1$s.tw_porders"]
                    filter: "tenant = :identity.tenant"
                    unless: { names: [tw-migrator] }
                """.formatted(DB));
        allowingUnparsed = Files.createTempFile("tw-rename-policy-allow", ".yaml");
        Files.writeString(allowingUnparsed, "on-unparseable: allow\n" + Files.readString(policy));
    }

    @AfterAll
    static void dropDatabase() throws SQLException, IOException {
        try (Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + "; DROP DATABASE IF EXISTS " + OTHER);
        } finally {
            raw.close();
            Files.deleteIfExists(policy);
            Files.deleteIfExists(allowingUnparsed);
        }
    }

    /** Both databases made anew in one round trip (MariaDB's DDL commits on its own, so no transaction holds it). */
    @BeforeEach
    void fixtures() throws SQLException {
        try (Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB + "; DROP DATABASE IF EXISTS " + OTHER + ";"
                    + " CREATE DATABASE " + DB + "; CREATE DATABASE " + OTHER + "; USE " + DB + ";"
                    + " CREATE TABLE tw_orders (id int, tenant varchar(8), note varchar(40)) ENGINE=MyISAM;"
                    + " INSERT INTO tw_orders VALUES " + ROWS + ";"
                    + " CREATE TABLE tw_porders (id int, tenant varchar(8), note varchar(40)) ENGINE=InnoDB"
                    + "  PARTITION BY LIST COLUMNS (tenant) (PARTITION pa VALUES IN ('a'), PARTITION pb VALUES IN ('b'));"
                    + " INSERT INTO tw_porders VALUES " + ROWS + ";"
                    + " CREATE TABLE tw_swap (id int, tenant varchar(8), note varchar(40)) ENGINE=InnoDB;"
                    + " CREATE TABLE tw_clear (id int, tenant varchar(8), note varchar(40)) ENGINE=MyISAM;"
                    + " INSERT INTO tw_clear VALUES (7, 'a', 'clear-row');"
                    + " CREATE TABLE tw_mclear (id int, tenant varchar(8), note varchar(40)) ENGINE=MyISAM;"
                    + " USE " + TestDatabase.DATABASE);
        }
    }

    private static Connection governed(String principal, String tenant) throws SQLException {
        return governed(policy, principal, tenant);
    }

    private static Connection governed(Path policy, String principal, String tenant) throws SQLException {
        return GovernedTwins.governed(URL, "root", policy, principal, "service", tenant);
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

    private static List<String> tables() throws SQLException {
        return rawList("SELECT concat(table_schema, '.', table_name, ':', table_type, ':', coalesce(engine, '-'))"
                + " FROM information_schema.tables WHERE table_schema IN ('" + DB + "', '" + OTHER + "') ORDER BY 1");
    }

    /** Everything the fixture made, read raw: the tables, the filtered table's columns, the rows and the partitions. */
    private static void assertUnchanged(String after) throws SQLException {
        assertThat(tables()).as("tables after " + after).containsExactlyElementsOf(TABLES);
        assertThat(rawList("SELECT concat(column_name, ' ', column_type) FROM information_schema.columns"
                + " WHERE table_schema = '" + DB + "' AND table_name = 'tw_orders' ORDER BY ordinal_position"))
                .as("columns after " + after).containsExactly("id int(11)", "tenant varchar(8)", "note varchar(40)");
        for (String table : List.of("tw_orders", "tw_porders PARTITION (pa, pb)")) {
            assertThat(rawList("SELECT concat(id, '|', tenant, '|', note) FROM " + DB + "." + table + " ORDER BY id"))
                    .as(table + " after " + after).containsExactly("1|a|" + SECRET_A, "2|b|" + SECRET_B);
        }
        assertThat(rawList("SELECT partition_name FROM information_schema.partitions WHERE table_schema = '" + DB
                + "' AND table_name = 'tw_porders' ORDER BY 1")).as("partitions after " + after).containsExactly("pa", "pb");
        assertThat(rawList("SELECT count(*) FROM " + DB + ".tw_swap")).as("tw_swap after " + after).containsExactly("0");
        assertThat(rawList("SELECT count(*) FROM " + DB + ".tw_mclear")).as("tw_mclear after " + after).containsExactly("0");
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
            "RENAME TABLE tw_orders TO tw_o2",
            "RENAME TABLE tw_orders TO {OTHER}.tw_orders",
            "RENAME TABLE {DB}.tw_orders TO {OTHER}.tw_o2",
            "RENAME TABLE tw_orders TO tw_tmp, tw_clear TO tw_orders",
            "RENAME TABLE tw_clear TO tw_tmp, tw_orders TO tw_o2",
            "RENAME TABLE IF EXISTS tw_orders TO tw_o2",
            "ALTER TABLE tw_orders RENAME TO tw_o2",
            "ALTER TABLE tw_orders RENAME AS tw_o2",
            "ALTER TABLE tw_orders RENAME TO {OTHER}.tw_orders",
            "ALTER TABLE {DB}.tw_orders RENAME {OTHER}.tw_o2",
            "ALTER TABLE tw_orders RENAME COLUMN tenant TO tenant2",
            "ALTER TABLE tw_orders CHANGE tenant tenant2 varchar(8)",
            "ALTER TABLE tw_orders CHANGE COLUMN tenant tenant varchar(1)",
            "ALTER TABLE tw_orders MODIFY tenant int",
            "ALTER TABLE tw_orders DROP COLUMN tenant",
            "ALTER TABLE tw_orders ADD COLUMN tw_x int",
            "ALTER TABLE tw_orders ENGINE=InnoDB",
            "ALTER TABLE tw_porders EXCHANGE PARTITION pb WITH TABLE tw_swap",
            "ALTER TABLE tw_porders REMOVE PARTITIONING",
            "ALTER TABLE tw_porders DROP PARTITION pb",
            "ALTER TABLE tw_porders TRUNCATE PARTITION pb",
            "ALTER TABLE tw_porders REORGANIZE PARTITION pb INTO (PARTITION pb2 VALUES IN ('b'))",
            "ALTER TABLE tw_porders RENAME TO tw_o2",
    })
    void theFilteredTenantCannotMoveTheRowsOutOfTheFiltersReach(String form) throws SQLException {
        String attack = form.replace("{DB}", DB).replace("{OTHER}", OTHER);
        assertRefusedNamingTheFilter(attempt("tw-tenant-a", "a", attack), attack);
        assertUnchanged(attack);
        assertIsolated(attack);
    }

    /**
     * Forms the parser does not read ({@code CONVERT PARTITION … TO TABLE}, which would make the partition of tenant
     * b a table of its own) are refused also under {@code on-unparseable: allow}: the row filter cannot restrict what
     * it cannot read, and the text names the filtered table.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "ALTER TABLE tw_porders CONVERT PARTITION pb TO TABLE tw_free",
            "ALTER TABLE tw_orders RENAME TO tw_o2, ALGORITHM=COPY",
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

    /** Renaming a clear table into the filtered table's name, after the migration moved the filtered one away. */
    @Test
    void theFilteredTenantCannotRenameAClearTableIntoTheFilteredName() throws SQLException {
        assertThat((Throwable) attempt("tw-migrator", null, "RENAME TABLE tw_orders TO tw_o2")).isNull();
        for (String attack : List.of("RENAME TABLE tw_clear TO tw_orders", "ALTER TABLE tw_clear RENAME TO tw_orders",
                "ALTER TABLE tw_clear RENAME TO " + DB + ".tw_orders")) {
            SQLException refused = attempt("tw-tenant-a", "a", attack);
            assertRefusedNamingTheFilter(refused, attack);
            assertThat(refused.getMessage()).as(attack).contains(DB + ".tw_orders");
            assertThat(rawList("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + DB + "'"
                    + " AND table_name IN ('tw_orders', 'tw_o2', 'tw_clear') ORDER BY 1")).as(attack)
                    .containsExactly("tw_clear", "tw_o2");
        }
    }

    /**
     * A view or a MERGE table the filtered tenant defines over the filtered table (or a clear table it turns into a
     * MERGE table over it) shows neither tenant the other's rows, whether the definition is refused or not.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "CREATE OR REPLACE VIEW tw_v AS SELECT * FROM tw_orders",
            "CREATE ALGORITHM=TEMPTABLE SQL SECURITY DEFINER VIEW tw_v AS SELECT id, tenant, note FROM tw_orders",
            "CREATE TABLE tw_m (id int, tenant varchar(8), note varchar(40)) ENGINE=MERGE UNION=(tw_orders)",
            "ALTER TABLE tw_mclear ENGINE=MERGE UNION=(tw_orders)",
            "ALTER TABLE tw_mclear UNION=(tw_orders) ENGINE=MERGE INSERT_METHOD=LAST",
    })
    void aViewOrMergeTableOverTheFilteredTableShowsNoOtherTenantsRows(String definition) throws SQLException {
        List<String> seen;
        try (Connection c = governed("tw-tenant-a", "a")) {
            try (Statement st = c.createStatement()) {
                st.execute(definition);
            } catch (SQLException refused) {
                assertThat(refused.getMessage()).as(definition).doesNotContain(SECRET_A, SECRET_B);
            }
            // on the connection that ran the definition, whose session the driver had read before it ran
            seen = GovernedTwins.everythingSeen(c, PLACES);
        }
        assertThat(String.join("\n", seen)).as("tenant a, on the same connection, after " + definition)
                .doesNotContain(SECRET_B);
        assertIsolated(definition);
        assertThat(rawList("SELECT concat(id, '|', tenant, '|', note) FROM " + DB + ".tw_orders ORDER BY id"))
                .containsExactly("1|a|" + SECRET_A, "2|b|" + SECRET_B);
    }

    /**
     * MariaDB renames no database ({@code RENAME DATABASE} is a syntax error since 5.1.23); {@code ALTER DATABASE}
     * changes defaults or, for a name of before 5.1, its directory: none of it moves a table's rows. Each form leaves
     * the tables as they were and the tenants apart.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "RENAME DATABASE {DB} TO {OTHER}",
            "ALTER DATABASE {DB} CHARACTER SET latin1",
            "ALTER SCHEMA {DB} COMMENT 'tw'",
            "ALTER DATABASE `#mysql50#{DB}` UPGRADE DATA DIRECTORY NAME",
    })
    void aDatabaseIsNotRenamed(String form) throws SQLException {
        String attack = form.replace("{DB}", DB).replace("{OTHER}", OTHER);
        SQLException refused = attempt("tw-tenant-a", "a", attack);
        if (refused != null) {
            assertThat(refused.getMessage()).as(attack).doesNotContain(SECRET_A, SECRET_B);
        }
        assertUnchanged(attack);
        assertIsolated(attack);
    }
}
