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
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On H2 {@code DROP TABLE customers CASCADE} drops the views over it and the foreign keys of the tables referencing it,
 * {@code DROP VIEW … CASCADE} the views over the view, {@code DROP SCHEMA … CASCADE} the keys of other schemas' tables
 * into it. The driver does not read H2's dependencies: such a statement counts as dropping and altering any table, so a
 * forbid of either on a dependent refuses it, a permit of the named object alone does not permit it (the refusal says
 * how to go on), and only an identity permitted both on every table runs it. The dependents are read through a raw
 * connection.
 */
@RequiresDatabase(TestDatabase.H2)
class H2CascadeReachIT {
    private final String s = UniqueNames.of("csc").toUpperCase(Locale.ROOT);
    private final String s2 = UniqueNames.of("csc_other").toUpperCase(Locale.ROOT);
    private Path policy;

    @BeforeEach
    void objects() throws SQLException, IOException {
        try (Connection raw = TestDatabase.H2.connectRaw(); Statement st = raw.createStatement()) {
            for (String ddl : new String[]{
                    "CREATE SCHEMA {S}", "CREATE SCHEMA {S2}",
                    "CREATE TABLE {S2}.REGIONS (ID INT PRIMARY KEY)",
                    "INSERT INTO {S2}.REGIONS VALUES (1)",
                    "CREATE TABLE {S}.CUSTOMERS (ID INT PRIMARY KEY, NAME VARCHAR(20))",
                    "INSERT INTO {S}.CUSTOMERS VALUES (1, 'ann')",
                    "CREATE TABLE {S}.ORDERS (ID INT PRIMARY KEY, CUSTOMER_ID INT, REGION INT,"
                            + " CONSTRAINT ORDERS_CUSTOMER FOREIGN KEY (CUSTOMER_ID) REFERENCES {S}.CUSTOMERS (ID),"
                            + " CONSTRAINT ORDERS_REGION FOREIGN KEY (REGION) REFERENCES {S2}.REGIONS (ID))",
                    "INSERT INTO {S}.ORDERS VALUES (10, 1, 1)",
                    "CREATE VIEW {S}.CV AS SELECT ID, NAME FROM {S}.CUSTOMERS",
                    "CREATE VIEW {S}.CV2 AS SELECT NAME FROM {S}.CV"}) {
                st.execute(sql(ddl));
            }
        }
        policy = Files.createTempFile("h2-cascade-reach", ".yaml");
        Files.writeString(policy, sql("""
                version: 1
                default: deny
                rules:
                  - { id: clerks-named, effect: permit, principals: { groups: [clerks] }, actions: ["*"],
                      resources: ["{S}.CUSTOMERS", "{S}.CV", "{S2}.*"] }
                  - { id: owners, effect: permit, principals: { groups: [owners] }, actions: ["*"], resources: ["{S}.*"] }
                  - { id: dba, effect: permit, principals: { groups: [dba] }, actions: ["*"], resources: ["*"] }
                  - { id: keep-dependents, effect: forbid, actions: [drop, alter, delete, truncate],
                      resources: ["{S}.ORDERS", "{S}.CV2"], unless: { groups: [dba] } }
                """));
    }

    @AfterEach
    void drop() throws SQLException, IOException {
        try (Connection raw = TestDatabase.H2.connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("DROP SCHEMA IF EXISTS {S} CASCADE"));
            st.execute(sql("DROP SCHEMA IF EXISTS {S2} CASCADE"));
        }
        Files.deleteIfExists(policy);
    }

    private String sql(String template) {
        return template.replace("{S2}", s2).replace("{S}", s);
    }

    private Connection connect(String... groups) throws SQLException {
        return TestDatabase.H2.connectGoverned(policy, null, groups);
    }

    /** The foreign keys of ORDERS, the views of the schema and ORDERS' row count, read through a raw connection. */
    private String dependents() throws SQLException {
        try (Connection raw = TestDatabase.H2.connectRaw(); Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery(sql("SELECT"
                     + " COALESCE((SELECT LISTAGG(CONSTRAINT_NAME, ',') WITHIN GROUP (ORDER BY CONSTRAINT_NAME)"
                     + "   FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = '{S}' AND TABLE_NAME = 'ORDERS'"
                     + "   AND CONSTRAINT_TYPE = 'FOREIGN KEY'), '')"
                     + " || ' ' || COALESCE((SELECT LISTAGG(TABLE_NAME, ',') WITHIN GROUP (ORDER BY TABLE_NAME)"
                     + "   FROM INFORMATION_SCHEMA.VIEWS WHERE TABLE_SCHEMA = '{S}'), '')"
                     + " || ' ' || (SELECT COUNT(*) FROM {S}.ORDERS)"))) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static final String UNTOUCHED = "ORDERS_CUSTOMER,ORDERS_REGION CV,CV2 1";

    @ParameterizedTest
    @ValueSource(strings = {"DROP TABLE {S}.CUSTOMERS CASCADE", "DROP VIEW {S}.CV CASCADE", "DROP SCHEMA {S2} CASCADE",
            "DROP TABLE IF EXISTS {S}.CUSTOMERS CASCADE"})
    void aCascadeReachingADependentThePolicyKeepsIsRefused(String statement) throws SQLException {
        assertThat(dependents()).isEqualTo(UNTOUCHED);
        try (Connection c = connect("clerks"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(sql(statement))).isInstanceOf(GovernanceException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("keep-dependents");
        }
        assertThat(dependents()).isEqualTo(UNTOUCHED);
    }

    @Test
    void withoutAReadingOfDependenciesOnlyAnIdentityPermittedEveryTableRunsIt() throws SQLException {
        try (Connection c = connect("owners"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(sql("DROP VIEW {S}.CV CASCADE"))).isInstanceOf(GovernanceException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("drop or alter the dependents by name first");
        }
        assertThat(dependents()).isEqualTo(UNTOUCHED);
        try (Connection c = connect("dba"); Statement st = c.createStatement()) {
            st.execute(sql("DROP TABLE {S}.CUSTOMERS CASCADE"));
        }
        assertThat(dependents()).isEqualTo("ORDERS_REGION  1");
    }
}
