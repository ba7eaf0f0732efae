package io.governed.examples.bankapp;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.identity.IdentityContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The composed policy in force through the driver: {@code governed.policy} names the platform jar's file and the
 * application's, and the platform's mask function comes from its jar.
 */
class BankAppOnH2Test {
    private static final String DATABASE = "h2:mem:bank;DB_CLOSE_DELAY=-1";
    private static final Identity MIGRATION = Identity.builder("flyway").kind(IdentityKind.SERVICE).purpose("migration").build();
    private static final Identity TELLER = Identity.builder("tom").groups("tellers").attribute("tenant", "north").build();

    @BeforeAll
    static void createTheBank() throws SQLException {
        try (Connection db = BankApp.connect(DATABASE, "orders-service")) {
            IdentityContext.runAs(MIGRATION, () -> {
                try (Statement s = db.createStatement()) {
                    s.execute("CREATE SCHEMA IF NOT EXISTS bank");
                    s.execute("CREATE TABLE bank.customers(id INT PRIMARY KEY, name VARCHAR(40), email VARCHAR(80),"
                            + " iban VARCHAR(40), tenant_id VARCHAR(10))");
                    s.execute("INSERT INTO bank.customers VALUES (1, 'Ada', 'ada@example.com', 'DE89 3704 0044 0532 0130 00', 'north'),"
                            + " (2, 'Bob', 'bob@example.com', 'FR14 2004 1010 0505 0001 3M02 606', 'south')");
                }
            });
        }
    }

    private static List<String> rows(Connection db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getString(i));
                }
                rows.add(String.join(" | ", values));
            }
        }
        return rows;
    }

    @Test
    void aTellerSeesTheirTenantsCustomersWithTheIbanMaskedByThePlatformsFunction() throws SQLException {
        try (Connection db = BankApp.connect(DATABASE, "orders-service")) {
            List<String> rows = IdentityContext.runAs(TELLER, () -> rows(db, "SELECT name, email, iban FROM bank.customers"));

            assertThat(rows).containsExactly("Ada | a***@example.com | DE** **** **** **** **30 00");
        }
    }

    @Test
    void theApplicationsServiceCannotDropWhatThePlatformForbids() throws SQLException {
        try (Connection db = BankApp.connect(DATABASE, "orders-service"); Statement s = db.createStatement()) {
            assertThatThrownBy(() -> s.execute("DROP TABLE bank.customers"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("platform-no-destructive-ddl");
        }
    }
}
