package io.governed.jdbc.gate;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On PostgreSQL a foreign key's referential action writes a table the statement does not name: deleting a customer
 * deletes its orders ({@code ON DELETE CASCADE}), and their items in turn, and clears its notes' reference
 * ({@code SET NULL}); changing its key changes its orders' ({@code ON UPDATE CASCADE}); {@code TRUNCATE … CASCADE}
 * empties them all. A clerk permitted to write customers but not orders is refused each such statement (42501, naming
 * the table and the action to permit), and the tables hold what they held, read through a raw connection.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresForeignKeyCascadeIT {
    private final String customers = UniqueNames.of("fk_customers");
    private final String orders = UniqueNames.of("fk_orders");
    private final String items = UniqueNames.of("fk_items");
    private final String notes = UniqueNames.of("fk_notes");
    private Path policy;

    @BeforeEach
    void tables() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("CREATE TABLE public.{C} (id int PRIMARY KEY, name text)"));
            st.execute(sql("CREATE TABLE public.{O} (id int PRIMARY KEY, customer_id int REFERENCES public.{C}"
                    + " ON DELETE CASCADE ON UPDATE CASCADE, region text)"));
            st.execute(sql("CREATE TABLE public.{I} (id int PRIMARY KEY, order_id int REFERENCES public.{O} ON DELETE CASCADE)"));
            st.execute(sql("CREATE TABLE public.{N} (id int PRIMARY KEY, customer_id int REFERENCES public.{C} ON DELETE SET NULL)"));
            st.execute(sql("INSERT INTO public.{C} VALUES (1, 'ann'), (2, 'bob')"));
            st.execute(sql("INSERT INTO public.{O} VALUES (10, 1, 'north'), (20, 2, 'south')"));
            st.execute(sql("INSERT INTO public.{I} VALUES (100, 10), (200, 20)"));
            st.execute(sql("INSERT INTO public.{N} VALUES (1000, 1)"));
        }
        policy = Files.createTempFile("fk-cascades", ".yaml");
        Files.writeString(policy, sql("""
                version: 1
                default: deny
                rules:
                  - { id: clerks-customers, effect: permit, principals: { groups: [clerks] },
                      actions: [select, insert, update, delete, truncate], resources: ["public.{C}"] }
                  - { id: clerks-read, effect: permit, principals: { groups: [clerks] }, actions: [select],
                      resources: ["public.{O}", "public.{I}", "public.{N}"] }
                  - { id: order-clerks, effect: permit, principals: { groups: [order-clerks, item-clerks] },
                      actions: [delete], resources: ["public.{O}"] }
                  - { id: item-clerks, effect: permit, principals: { groups: [item-clerks, item-clerks-only] },
                      actions: [delete],
                      resources: ["public.{I}"] }
                  - { id: note-updaters, effect: permit, principals: { groups: [item-clerks-only] }, actions: [update],
                      resources: ["public.{N}"] }
                  - { id: everything, effect: permit, principals: { groups: [managers, leads] },
                      actions: [select, insert, update, delete, truncate], resources: ["public.{C}", "public.{O}",
                      "public.{I}", "public.{N}"] }
                row-filters:
                  - { id: own-region, tables: ["public.{O}"], filter: "region = 'north'", unless: { groups: [managers] } }
                """));
    }

    @AfterEach
    void drop() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("DROP TABLE IF EXISTS public.{I}, public.{N}, public.{O}, public.{C}"));
        }
        Files.deleteIfExists(policy);
    }

    private String sql(String template) {
        return template.replace("{C}", customers).replace("{O}", orders).replace("{I}", items).replace("{N}", notes);
    }

    private Connection connect(String... groups) throws SQLException {
        return TestDatabase.POSTGRESQL.connectGoverned(policy, null, groups);
    }

    private String rows() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery(sql("SELECT (SELECT string_agg(id || ':' || customer_id, ',' ORDER BY id)"
                     + " FROM public.{O}) || ' ' || (SELECT string_agg(id::text, ',' ORDER BY id) FROM public.{I})"
                     + " || ' ' || (SELECT string_agg(id || ':' || coalesce(customer_id::text, '-'), ',' ORDER BY id)"
                     + " FROM public.{N})"))) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static final String UNTOUCHED = "10:1,20:2 100,200 1000:1";

    private void refused(Statement st, String statement, String... fragments) {
        assertThatThrownBy(() -> st.execute(statement)).as(statement).isInstanceOf(GovernanceException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
    }

    @Test
    void aDeleteThatCascadesIntoATableTheCallerMayNotDeleteFromIsRefused() throws SQLException {
        try (Connection c = connect("clerks"); Statement st = c.createStatement()) {
            // the orders, or their items beneath them: whichever the refusal names first
            refused(st, sql("DELETE FROM {C} WHERE id = 1"), sql("whose rows the database deletes through a foreign key's"
                    + " ON DELETE CASCADE when the statement writes public.{C}"));
        }
        try (Connection c = connect("clerks", "item-clerks-only"); Statement st = c.createStatement()) {
            refused(st, sql("DELETE FROM {C} WHERE id = 1"), sql("delete on public.{O}, whose rows the database deletes"
                    + " through a foreign key's ON DELETE CASCADE when the statement writes public.{C}"));
        }
        assertThat(rows()).isEqualTo(UNTOUCHED);
    }

    @Test
    void theCascadeIsFollowedToTheTablesItReachesAndSetNullIsAnUpdate() throws SQLException {
        try (Connection c = connect("clerks", "order-clerks"); Statement st = c.createStatement()) {
            refused(st, sql("DELETE FROM {C} WHERE id = 1"), sql("delete on public.{I}"));
        }
        try (Connection c = connect("clerks", "item-clerks"); Statement st = c.createStatement()) {
            refused(st, sql("DELETE FROM {C} WHERE id = 1"), sql("update on public.{N}, whose rows the database updates"
                    + " through a foreign key's referential action"));
        }
        assertThat(rows()).isEqualTo(UNTOUCHED);
    }

    @Test
    void anUpdateOfTheKeyCascadesAsAnUpdate() throws SQLException {
        try (Connection c = connect("clerks"); Statement st = c.createStatement()) {
            refused(st, sql("UPDATE {C} SET id = 3 WHERE id = 2"), sql("update on public.{O}"));
        }
        assertThat(rows()).isEqualTo(UNTOUCHED);
    }

    @Test
    void truncateCascadeNeedsAPermitToTruncateTheReferencingTables() throws SQLException {
        try (Connection c = connect("clerks"); Statement st = c.createStatement()) {
            // the tables reached are named in the catalog's order of their names: items before orders
            refused(st, sql("TRUNCATE {C} CASCADE"), sql("truncate on public.{I}, which TRUNCATE … CASCADE empties"));
        }
        assertThat(rows()).isEqualTo(UNTOUCHED);
    }

    @Test
    void aRowFilterOnTheCascadedTableRefusesTheDeleteItCouldNotRestrict() throws SQLException {
        try (Connection c = connect("leads"); Statement st = c.createStatement()) {
            refused(st, sql("DELETE FROM {C} WHERE id = 2"), "row filter own-region restricts " + sql("public.{O}"));
        }
        assertThat(rows()).isEqualTo(UNTOUCHED);
        try (Connection c = connect("managers"); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql("DELETE FROM {C} WHERE id = 2"))).as("no filter restricts managers")
                    .isEqualTo(1);
        }
        assertThat(rows()).as("the database cascaded").isEqualTo("10:1 100 1000:1");
    }
}
