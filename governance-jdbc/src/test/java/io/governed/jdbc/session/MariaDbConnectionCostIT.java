package io.governed.jdbc.session;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the driver's own catalog reads cost a MariaDB connection, counted by the server: the session's
 * {@code Questions} (every command a client sent it) before and after each case, less the reading's own.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbConnectionCostIT {
    private static final String ORDERS = UniqueNames.of("cc_orders");
    private static final String ITEMS = UniqueNames.of("cc_items");
    private static final String ORDERS_VIEW = UniqueNames.of("cc_orders_v");
    private static final String POLICY = """
            version: 1
            default: deny
            classification: { tags: { pii.email: ["*.email"] } }
            rules:
              - { id: read, effect: permit, actions: [select], resources: ["%s.cc_*"] }
            masks:
              - { id: mask-email, columns: { tags: [pii.email] }, function: partial, keep-last: 4, unless: { groups: [services] } }
            """.formatted(TestDatabase.DATABASE);

    private static final Identity AGENT = Identity.builder("cc-agent").kind(IdentityKind.AGENT).build();
    private static final Identity SERVICE = Identity.builder("cc-service").kind(IdentityKind.SERVICE).groups("services")
            .build();

    @BeforeAll
    static void tables() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            for (String table : new String[] {ORDERS, ITEMS}) {
                s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, email text, note text)");
                s.execute("INSERT INTO " + table + " VALUES (1, 'ann@example.com', 'one')");
            }
            s.execute("CREATE VIEW " + ORDERS_VIEW + " AS SELECT id, email FROM " + ORDERS);
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = TestDatabase.MARIADB.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP VIEW IF EXISTS " + ORDERS_VIEW);
            s.execute("DROP TABLE IF EXISTS " + ORDERS + ", " + ITEMS);
        }
    }

    /** The commands the session of {@code raw} received so far, not counting this reading's. */
    private static long questions(Connection raw) throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Questions'")) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(2);
        }
    }

    private static String email(PreparedStatement s) throws SQLException {
        s.setInt(1, 1);
        try (ResultSet rs = s.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    /**
     * A kept prepared statement's point select, run again within the session reading's age: the application's statement
     * alone reaches the server for the unmasked service; the masked agent's is judged on a reading made as it runs.
     */
    @Test
    void aKeptPointSelectSendsTheApplicationsStatementAlone() throws Exception {
        for (String relation : new String[] {ORDERS, ORDERS_VIEW}) {
            for (Identity identity : new Identity[] {AGENT, SERVICE}) {
                Governance governance = Governance.builder().policy(PolicyLoader.fromString("cc.yaml", POLICY))
                        .withoutAudit().defaultIdentity(identity).build();
                try (Connection raw = TestDatabase.MARIADB.connectRaw();
                     Connection c = new GovernedConnection(raw, governance, null, Dialect.MARIADB);
                     PreparedStatement kept = c.prepareStatement("SELECT email FROM " + relation + " WHERE id = ?")) {
                    assertThat(email(kept)).as(identity.principal()).isEqualTo(identity == AGENT ? "***********.com"
                            : "ann@example.com");
                    email(kept);
                    long before = questions(raw);
                    email(kept);
                    // the masked agent's run is judged on a reading of the session made as it runs: one query for the
                    // database and what the relations the statement named (a view's own ones too) are and hold
                    assertThat(questions(raw) - before - 1).as(identity.principal() + " on " + relation)
                            .isEqualTo(identity == AGENT ? 2 : 1);
                }
            }
        }
    }

    /** Prints what each case sends (run with -Dgoverned.measure=true): the counts in benchmarks/README.md. */
    @Test
    @EnabledIfSystemProperty(named = "governed.measure", matches = "true")
    void measure() throws Exception {
        for (Identity identity : new Identity[] {AGENT, SERVICE}) {
            Governance governance = Governance.builder().policy(PolicyLoader.fromString("cc.yaml", POLICY)).withoutAudit()
                    .defaultIdentity(identity).build();
            try (Connection raw = TestDatabase.MARIADB.connectRaw()) {
                long[] at = {questions(raw)};
                java.util.function.Supplier<Long> since = () -> {
                    try {
                        long now = questions(raw);
                        long sent = now - at[0] - 1;
                        at[0] = now;
                        return sent;
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                };
                Connection c = new GovernedConnection(raw, governance, null, Dialect.MARIADB);
                System.out.println("[" + identity.principal() + "] (a) open: " + since.get() + " commands");
                PreparedStatement kept = c.prepareStatement("SELECT email FROM " + ORDERS + " WHERE id = ?");
                String first = email(kept);
                System.out.println("[" + identity.principal() + "] (a) first statement: " + since.get() + " commands");
                try (PreparedStatement items = c.prepareStatement("SELECT email FROM " + ITEMS + " WHERE id = ?")) {
                    email(items);
                }
                System.out.println("[" + identity.principal() + "] (b) first statement naming another table: "
                        + since.get() + " commands");
                email(kept);
                since.get();
                email(kept);
                System.out.println("[" + identity.principal() + "] (c) kept point select (" + first + "): "
                        + since.get() + " commands");
                Thread.sleep(SessionState.MAXIMUM_AGE_SECONDS * 1_000 + 100);
                since.get();
                email(kept);
                System.out.println("[" + identity.principal() + "] (c) kept point select after the session reading's age: "
                        + since.get() + " commands");
                kept.close();
            }
        }
    }
}
