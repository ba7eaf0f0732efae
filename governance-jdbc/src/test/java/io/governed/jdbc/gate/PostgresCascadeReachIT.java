package io.governed.jdbc.gate;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
 * On PostgreSQL a statement with {@code CASCADE} drops or changes objects it does not name: {@code DROP TABLE
 * customers CASCADE} drops the views over it and the foreign keys of the tables referencing it, {@code DROP FUNCTION
 * f() CASCADE} the triggers and defaults calling it, {@code DROP SEQUENCE … CASCADE} the defaults taking its values,
 * {@code DROP SCHEMA … CASCADE} other schemas' keys into it, {@code ALTER TABLE … DROP COLUMN … CASCADE} the views
 * reading the column; {@code TRUNCATE … CASCADE} and a {@code TRUNCATE} of an inheritance parent empty tables it does
 * not name. A clerk permitted everything on the object named, under a forbid of every such change of the dependents,
 * is refused each statement (42501), and the dependents are still there, read through a raw connection. An identity
 * permitted the dependents too drops them with it: the catalog tells which they are.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresCascadeReachIT {
    /** The role a test gives tables to, then drops. */
    private static final String OWNER = UniqueNames.of("csc_owner");
    private final String s = UniqueNames.of("csc");
    private final String s2 = UniqueNames.of("csc_other");
    private Path policy;

    @BeforeEach
    void objects() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            for (String ddl : new String[]{
                    "CREATE SCHEMA {S}", "CREATE SCHEMA {S2}",
                    "CREATE TABLE {S2}.regions (id int PRIMARY KEY)",
                    "INSERT INTO {S2}.regions VALUES (1)",
                    "CREATE DOMAIN {S}.amount AS numeric CHECK (VALUE >= 0)",
                    "CREATE SEQUENCE {S}.seq",
                    "CREATE FUNCTION {S}.f() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
                    "CREATE FUNCTION {S}.g() RETURNS text LANGUAGE sql AS 'SELECT ''x''::text'",
                    "CREATE TABLE {S}.customers (id int PRIMARY KEY, name text)",
                    "INSERT INTO {S}.customers VALUES (1, 'ann')",
                    "CREATE TABLE {S}.orders (id int PRIMARY KEY DEFAULT nextval('{S}.seq'), customer_id int"
                            + " CONSTRAINT orders_customer REFERENCES {S}.customers, region int CONSTRAINT orders_region"
                            + " REFERENCES {S2}.regions, code text DEFAULT {S}.g(), total {S}.amount)",
                    "INSERT INTO {S}.orders VALUES (10, 1, 1, 'a', 5)",
                    "CREATE TRIGGER orders_stamp BEFORE INSERT ON {S}.orders FOR EACH ROW EXECUTE FUNCTION {S}.f()",
                    "CREATE VIEW {S}.cv AS SELECT id, name FROM {S}.customers",
                    "CREATE VIEW {S}.cv2 AS SELECT name FROM {S}.cv",
                    "CREATE VIEW {S}.pv AS SELECT id FROM {S}.customers",
                    "CREATE VIEW {S}.pv2 AS SELECT id FROM {S}.pv",
                    "CREATE TABLE {S}.parent (id int)",
                    "CREATE TABLE {S}.child (note text) INHERITS ({S}.parent)",
                    "INSERT INTO {S}.parent VALUES (1)", "INSERT INTO {S}.child VALUES (2, 'kept')"}) {
                st.execute(sql(ddl));
            }
        }
        policy = Files.createTempFile("cascade-reach", ".yaml");
        Files.writeString(policy, sql("""
                version: 1
                default: deny
                rules:
                  - { id: clerks-named, effect: permit, principals: { groups: [clerks] }, actions: ["*"],
                      resources: ["{S}.customers", "{S}.cv", "{S}.pv", "{S}.f", "{S}.g", "{S}.seq", "{S}.parent",
                      "{S}.amount", "{S2}.*"] }
                  - { id: owners, effect: permit, principals: { groups: [owners] }, actions: ["*"], resources: ["{S}.*"] }
                  - { id: keep-dependents, effect: forbid, actions: [drop, alter, delete, truncate, update],
                      resources: ["{S}.orders", "{S}.cv2", "{S}.child"],
                      message: The orders and their views stay }
                """));
    }

    @AfterEach
    void drop() throws SQLException, IOException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("DROP SCHEMA IF EXISTS {S} CASCADE"));
            st.execute(sql("DROP SCHEMA IF EXISTS {S2} CASCADE"));
        }
        Files.deleteIfExists(policy);
    }

    private String sql(String template) {
        return template.replace("{S2}", s2).replace("{S}", s);
    }

    private Connection connect(String... groups) throws SQLException {
        return TestDatabase.POSTGRESQL.connectGoverned(policy, null, groups);
    }

    /** What the dependents look like, read through a raw connection. */
    private String dependents() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery(sql("SELECT"
                     + " (SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint WHERE conrelid = '{S}.orders'::regclass"
                     + "   AND contype = 'f')"
                     + " || ' ' || (SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_class c"
                     + "   JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '{S}' AND c.relkind = 'v')"
                     + " || ' ' || (SELECT count(*) FROM pg_trigger WHERE tgrelid = '{S}.orders'::regclass AND NOT tgisinternal)"
                     + " || ' ' || (SELECT count(*) FROM pg_attrdef WHERE adrelid = '{S}.orders'::regclass)"
                     + " || ' ' || (SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid ="
                     + "   '{S}.orders'::regclass AND attnum > 0 AND NOT attisdropped)"
                     + " || ' ' || (SELECT count(*) FROM {S}.orders) || ' ' || (SELECT count(*) FROM {S}.child)"
                     + " || ' ' || (SELECT count(*) FROM ONLY {S}.parent)"
                     + " || ' ' || (SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid ="
                     + "   '{S}.customers'::regclass AND attnum > 0 AND NOT attisdropped)"))) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String untouched() {
        return "orders_customer,orders_region cv,cv2,pv,pv2 1 2 id,customer_id,region,code,total 1 1 1 id,name";
    }

    private void refused(Statement st, String statement, String... fragments) {
        assertThatThrownBy(() -> st.execute(statement)).as(statement).isInstanceOf(GovernanceException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
    }

    /**
     * Each statement, by a clerk permitted everything on the object it names, reaches a dependent the policy keeps:
     * {@code DROP TABLE customers CASCADE} the foreign key orders_customer of orders and view cv2 (over cv); {@code DROP
     * VIEW cv CASCADE} cv2; the column drop cv and cv2, which read it; {@code DROP FUNCTION f() CASCADE} the trigger
     * orders_stamp of orders; {@code g()} the default of orders.code; the sequence the default of orders.id; the other
     * schema the foreign key orders_region of orders; the domain the column orders.total; the drop of customers' primary key the foreign key
     * orders_customer, which depends on its index.
     */
    @ParameterizedTest
    @ValueSource(strings = {"DROP TABLE {S}.customers CASCADE", "DROP VIEW {S}.cv CASCADE",
            "ALTER TABLE {S}.customers DROP COLUMN name CASCADE", "DROP FUNCTION {S}.f() CASCADE",
            "DROP FUNCTION {S}.g() CASCADE", "DROP SEQUENCE {S}.seq CASCADE", "DROP SCHEMA {S2} CASCADE",
            "DROP DOMAIN {S}.amount CASCADE", "DROP TABLE IF EXISTS {S}.customers CASCADE",
            "ALTER TABLE {S}.customers DROP CONSTRAINT customers_pkey CASCADE"})
    void aCascadeReachingADependentThePolicyKeepsIsRefused(String statement) throws SQLException {
        assertThat(dependents()).isEqualTo(untouched());
        try (Connection c = connect("clerks"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(sql(statement))).isInstanceOf(GovernanceException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        assertThat(dependents()).isEqualTo(untouched());
    }

    @Test
    void theRefusalSaysWhatTheCascadeReaches() throws SQLException {
        try (Connection c = connect("clerks"); Statement st = c.createStatement()) {
            refused(st, sql("DROP VIEW {S}.cv CASCADE"), "keep-dependents");
            refused(st, sql("DROP FUNCTION {S}.f() CASCADE"), "keep-dependents");
            // without CASCADE the database refuses, and the gate lets it say so
            assertThatThrownBy(() -> st.execute(sql("DROP FUNCTION {S}.f()"))).isInstanceOf(SQLException.class)
                    .isNotInstanceOf(GovernanceException.class);
        }
        assertThat(dependents()).isEqualTo(untouched());
    }

    @Test
    void truncationsThatEmptyTablesTheStatementDoesNotNameAreRefused() throws SQLException {
        try (Connection c = connect("clerks"); Statement st = c.createStatement()) {
            refused(st, sql("TRUNCATE {S}.customers CASCADE"), "keep-dependents");
            // an inheritance parent's TRUNCATE empties its children; ONLY, which does not, is judged alike
            refused(st, sql("TRUNCATE {S}.parent"), "keep-dependents");
            refused(st, sql("TRUNCATE ONLY {S}.parent"), "keep-dependents");
            refused(st, sql("DELETE FROM {S}.parent"), "keep-dependents");
        }
        assertThat(dependents()).isEqualTo(untouched());
    }

    /**
     * {@code DROP OWNED BY r} drops every object r owns, which the statement does not list: here a ledger no rule
     * names and the orders table the policy keeps. It counts as a drop and an alter of any table, so this policy's
     * forbid of dropping the dependents refuses it (as it did before; without such a forbid, a permit of drop on one
     * table let it run: CascadedDropRulesTest), and the ledger stays.
     */
    @Test
    void aDropOfWhatARoleOwnsIsRefusedToAClerkPermittedSomeObjects() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE ROLE " + OWNER);
            st.execute(sql("CREATE TABLE {S}.ledger (id int)"));
            st.execute(sql("ALTER TABLE {S}.ledger OWNER TO ") + OWNER);
        }
        try {
            try (Connection c = connect("clerks"); Statement st = c.createStatement()) {
                refused(st, "DROP OWNED BY " + OWNER, "keep-dependents");
            }
            try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement();
                 ResultSet rs = st.executeQuery(sql("SELECT count(*) FROM pg_tables WHERE schemaname = '{S}'"
                         + " AND tablename = 'ledger'"))) {
                rs.next();
                assertThat(rs.getInt(1)).as("the ledger, read raw").isEqualTo(1);
            }
            try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
                st.execute(sql("ALTER TABLE {S}.orders OWNER TO ") + OWNER);
            }
            try (Connection c = connect("clerks"); Statement st = c.createStatement()) {
                refused(st, "DROP OWNED BY " + OWNER + " CASCADE", "keep-dependents");
            }
            assertThat(dependents()).isEqualTo(untouched());
        } finally {
            try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
                st.execute(sql("ALTER TABLE IF EXISTS {S}.orders OWNER TO CURRENT_USER"));
                st.execute(sql("DROP TABLE IF EXISTS {S}.ledger"));
                st.execute("DROP ROLE " + OWNER);
            }
        }
    }

    @Test
    void anIdentityPermittedTheDependentsDropsThemWithTheObject() throws SQLException {
        try (Connection c = connect("owners"); Statement st = c.createStatement()) {
            // the catalog names pv2 as the one dependent: a permit of {S}.* covers it, no permit of "*" is needed
            st.execute(sql("DROP VIEW {S}.pv CASCADE"));
        }
        assertThat(dependents()).isEqualTo(untouched().replace(",pv,pv2", ""));
    }

    @Test
    void aDependentNoRulePermitsIsNamedInTheRefusal() throws SQLException {
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("CREATE VIEW {S}.pv3 AS SELECT id FROM {S}.pv2"));
        }
        try (Connection c = connect("clerks"); Statement st = c.createStatement()) {
            refused(st, sql("DROP VIEW {S}.pv CASCADE"), sql("No rule permits drop on {S}.pv2"),
                    "through the statement's CASCADE");
        }
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery(sql("SELECT count(*) FROM pg_views WHERE schemaname = '{S}'"
                     + " AND viewname IN ('pv', 'pv2', 'pv3')"))) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }
}
