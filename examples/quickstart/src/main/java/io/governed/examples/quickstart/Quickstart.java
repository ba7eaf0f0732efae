package io.governed.examples.quickstart;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.identity.IdentityContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The main demo: an application that used {@code jdbc:h2:mem:shop} swaps in
 * {@code jdbc:governed:h2:mem:shop} and from then on every statement passes governance.
 */
public final class Quickstart {

    public static void main(String[] args) throws SQLException {
        // 1. The only change an application makes: the URL, plus who is calling.
        Properties settings = new Properties();
        settings.setProperty("governed.principal", "order-service");
        settings.setProperty("governed.kind", "service");

        try (Connection db = DriverManager.getConnection("jdbc:governed:h2:mem:shop;DB_CLOSE_DELAY=-1", settings)) {
            section("Connected through " + db.getClass().getSimpleName() + " to " + db.getMetaData().getURL());

            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE customers(id INT PRIMARY KEY, name VARCHAR(40), email VARCHAR(80), ssn VARCHAR(11))");
                s.execute("CREATE TABLE orders(id INT PRIMARY KEY, customer_id INT, total DECIMAL(10,2), tenant_id VARCHAR(10))");
            }
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO customers VALUES (?, ?, ?, ?)")) {
                insert(insert, 1, "Ada Lovelace", "ada@example.com", "123-45-6789");
                insert(insert, 2, "Alan Turing", "alan@example.com", "987-65-4321");
                insert.executeBatch();
            }
            System.out.println("order-service created two tables and two customers");

            // 2. Ordinary work runs as the connection's identity.
            printCustomers(db);

            // 3. An AI agent acting for a human: the scope decides the identity of each statement,
            //    on whatever pooled connection it runs.
            Identity agent = Identity.builder("support-agent").kind(IdentityKind.AGENT)
                    .onBehalfOf(Identity.builder("alice").groups("analysts").build())
                    .purpose("answer ticket 4711").build();
            section("The same connection, used by " + agent.describe() + " for '" + agent.purpose() + "'");
            IdentityContext.runAs(agent, () -> printCustomers(db));

            // 4. What governance refuses never reaches the database.
            section("A destructive statement");
            try (Statement s = db.createStatement()) {
                s.execute("DROP TABLE customers");
                System.out.println("DROP TABLE customers ran (no policy forbids it yet)");
            } catch (GovernanceException denied) {
                System.out.println("refused [" + denied.getSQLState() + "]: " + denied.getMessage());
            }
        }
    }

    private static void insert(PreparedStatement insert, int id, String name, String email, String ssn) throws SQLException {
        insert.setInt(1, id);
        insert.setString(2, name);
        insert.setString(3, email);
        insert.setString(4, ssn);
        insert.addBatch();
    }

    private static void printCustomers(Connection db) throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name, email, ssn FROM customers ORDER BY id")) {
            while (rs.next()) {
                System.out.printf("  %d  %-14s %-18s %s%n", rs.getInt("id"), rs.getString("name"),
                        rs.getString("email"), rs.getString("ssn"));
            }
        }
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }
}
