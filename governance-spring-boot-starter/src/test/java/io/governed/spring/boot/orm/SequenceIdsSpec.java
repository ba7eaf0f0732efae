package io.governed.spring.boot.orm;

import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hibernate's sequence id generator through the governed driver, as an order service under a policy with a mask: each
 * insert draws its id with a query ({@code select nextval('…')} on PostgreSQL, {@code select next value for …} on
 * MariaDB), whose value must come back as the sequence gave it, not masked (on PostgreSQL a masked 0 gave every row the
 * same id: Hibernate refused the second as a duplicate). The rows are read back through a raw connection, and the
 * masked column through Hibernate.
 */
abstract class SequenceIdsSpec {
    /** The raw driver's URL of the test database, with its user. */
    private final String url;

    SequenceIdsSpec(String url) {
        this.url = url;
    }

    /**
     * Whether the server at {@code url} answers; with CI=true always, so that an unreachable server fails the test
     * instead of skipping it.
     */
    static boolean reachable(String url, String server) {
        if ("true".equals(System.getenv("CI"))) {
            return true;
        }
        try (Connection c = DriverManager.getConnection(url)) {
            return c.isValid(2);
        } catch (SQLException e) {
            System.err.println(server + " is unreachable, so the Hibernate sequence test is skipped; start it to run the test");
            return false;
        }
    }

    /** The statements that make the table and its sequence (the service may not create them). */
    abstract List<String> schema();

    private String governedUrl() {
        return "jdbc:governed:" + url.substring("jdbc:".length());
    }

    private Connection raw() throws SQLException {
        return DriverManager.getConnection(url);
    }

    private static List<String> dropSchema() {
        return List.of("DROP TABLE IF EXISTS orm_ticket", "DROP SEQUENCE IF EXISTS orm_ticket_seq");
    }

    @Test
    void eachRowGetsTheNextValueOfItsSequence() throws Exception {
        try (Connection raw = raw(); Statement s = raw.createStatement()) {
            for (String sql : dropSchema()) {
                s.execute(sql);
            }
            for (String sql : schema()) {
                s.execute(sql);
            }
        }
        List<Long> ids = new ArrayList<>();
        try (SessionFactory factory = sessionFactory()) {
            factory.inTransaction(session -> {
                for (int i = 0; i < 3; i++) {
                    Ticket ticket = new Ticket("printer " + i, "078-05-112" + i);
                    session.persist(ticket);
                    ids.add(ticket.getId());
                }
            });
            assertThat(ids).as("ids drawn from the sequence").containsExactly(500L, 501L, 502L);
            String shown = factory.fromSession(session -> session.find(Ticket.class, 501L).getSsn());
            assertThat(shown).as("the masked column, read back").isEqualTo("*******1121");
        }
        try (Connection raw = raw(); Statement s = raw.createStatement();
             ResultSet rows = s.executeQuery("SELECT id, ssn FROM orm_ticket ORDER BY id")) {
            List<String> stored = new ArrayList<>();
            while (rows.next()) {
                stored.add(rows.getLong(1) + " " + rows.getString(2));
            }
            assertThat(stored).containsExactly("500 078-05-1120", "501 078-05-1121", "502 078-05-1122");
        } finally {
            try (Connection raw = raw(); Statement s = raw.createStatement()) {
                for (String sql : dropSchema()) {
                    s.execute(sql);
                }
            }
        }
    }

    private SessionFactory sessionFactory() throws URISyntaxException {
        Path policy = Path.of(SequenceIdsSpec.class.getResource("/orm/masking-policy.yaml").toURI());
        return new Configuration()
                .addAnnotatedClass(Ticket.class)
                .setProperty("hibernate.connection.url", governedUrl())
                .setProperty("hibernate.connection.governed.policy", policy.toString())
                .setProperty("hibernate.connection.governed.principal", "order-service")
                .setProperty("hibernate.connection.governed.kind", "service")
                .setProperty("hibernate.hbm2ddl.auto", "none")
                .buildSessionFactory();
    }
}
