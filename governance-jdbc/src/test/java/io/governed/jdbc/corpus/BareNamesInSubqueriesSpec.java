package io.governed.jdbc.corpus;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An unqualified name inside a subquery is the written table's column when the subquery's table has none of that name:
 * {@code DELETE FROM payments WHERE id IN (SELECT id FROM audit_log)} deletes every payment once audit_log has a row.
 * Through the real driver under the baseline policy, such writes are refused with a reason that names the name and the
 * table, and the data read through a raw connection is unchanged; the same writes over tables that have the names run.
 */
abstract class BareNamesInSubqueriesSpec {
    static final String DATABASE = "governed_bare_names";

    abstract CorpusDatabase database();

    abstract void ensureDatabase() throws SQLException;

    @BeforeEach
    void fixture() throws SQLException {
        ensureDatabase();
        try (Connection raw = database().raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS payments");
            s.execute("DROP TABLE IF EXISTS audit_log");
            s.execute("DROP TABLE IF EXISTS orders");
            s.execute("DROP TABLE IF EXISTS customers");
            s.execute("CREATE TABLE payments (id INT PRIMARY KEY, amount INT NOT NULL)");
            s.execute("CREATE TABLE audit_log (entry_no INT PRIMARY KEY, action VARCHAR(20))");
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, status VARCHAR(10))");
            s.execute("CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL)");
            s.execute("INSERT INTO payments VALUES (1, 10), (2, 20), (3, 30), (4, 40)");
            s.execute("INSERT INTO audit_log VALUES (1, 'login'), (2, 'logout')");
            s.execute("INSERT INTO customers VALUES (1, 'x'), (2, 'y'), (3, 'x')");
            s.execute("INSERT INTO orders VALUES (1, 1), (2, 2), (3, 3), (4, 2)");
        }
    }

    /** A service under the built-in baseline policy: no governed.policy. */
    private Connection governed() throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.audit", "memory");
        p.setProperty("governed.principal", "order-service");
        p.setProperty("governed.kind", "service");
        return database().governed(DATABASE, p);
    }

    @Test
    void aBareNameTheSubquerysTableLacksIsRefusedAndNothingIsDeleted() throws SQLException {
        for (String sql : new String[] {
                "DELETE FROM payments WHERE id IN (SELECT id FROM audit_log)",
                "UPDATE payments SET amount = 0 WHERE id IN (SELECT id FROM audit_log)",
                "DELETE FROM payments WHERE id = ANY (SELECT id FROM audit_log)",
                "DELETE FROM payments WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.entry_no = 1 AND id = payments.id)",
                "DELETE FROM payments WHERE id IN (SELECT id FROM audit_log WHERE entry_no IN (SELECT entry_no FROM audit_log))"}) {
            try (Connection governed = governed(); Statement s = governed.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate(sql)).as(sql)
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("42501");
                            assertThat(e.getMessage()).contains("unqualified name id").contains("audit_log")
                                    .contains("Qualify");
                        });
                assertThatThrownBy(() -> {
                    try (var p = governed.prepareStatement(sql)) {
                        p.executeUpdate();
                    }
                }).as(sql).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            }
            assertThat(payments()).as(sql).isEqualTo("1:10 2:20 3:30 4:40");
        }
    }

    @Test
    void theSameWritesOverTablesThatHaveTheNamesRun() throws SQLException {
        try (Connection governed = governed(); Statement s = governed.createStatement()) {
            assertThat(s.executeUpdate("DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE status = 'x')"))
                    .isEqualTo(2);
            assertThat(s.executeUpdate("UPDATE payments SET amount = 0 WHERE EXISTS (SELECT 1 FROM customers c"
                    + " WHERE c.id = payments.id AND status = 'y')")).isEqualTo(1);
            assertThat(s.executeUpdate("DELETE FROM payments WHERE id IN (SELECT a.entry_no FROM audit_log a)")).isEqualTo(2);
            // run again under the same reading of the session: the kept decision, no new catalog lookup needed
            assertThat(s.executeUpdate("DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE status = 'x')"))
                    .isZero();
        }
        assertThat(payments()).isEqualTo("3:30 4:40");
        try (Connection raw = database().raw(DATABASE); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    private String payments() throws SQLException {
        StringBuilder b = new StringBuilder();
        try (Connection raw = database().raw(DATABASE); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, amount FROM payments ORDER BY id")) {
            while (rs.next()) {
                b.append(b.length() == 0 ? "" : " ").append(rs.getInt(1)).append(':').append(rs.getInt(2));
            }
        }
        return b.toString();
    }
}
