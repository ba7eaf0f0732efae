package io.governed.jdbc.it;
import io.governed.jdbc.support.TestDatabase;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * A row filter's rewrite restricts only the callers it applies to: one it exempts (support) reads every row, and a
 * value it kept in the session (a user variable, a setting, LAST_INSERT_ID) would stay there for the pooled
 * connection's next borrower, whoever the filter restricts. Keeping a value read from a filtered table is refused to
 * every caller, and so is creating a temporary table, which the session keeps as well; the session is checked through a
 * raw borrowing of the same connection.
 */
class PooledSessionFilteredValuesIT extends PooledSessionFixture {
    PooledSessionFilteredValuesIT() {
        super("psf");
    }

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    String policy() {
        return """
                version: 1
                default: deny
                classification:
                  auto-detect: false
                rules:
                  - id: everyone-reads-and-writes
                    effect: permit
                    principals: { kinds: [human, service, agent] }
                    actions: [select, insert, update, set, create]
                    resources: ["*"]
                row-filters:
                  - id: own-customer
                    tables: ["%s"]
                    filter: "name = :identity.customer"
                    unless: { groups: [support] }
                """.formatted(customers);
    }

    @Test
    void anUnrestrictedCallerMayNotKeepFilteredRowsInThePooledSession() throws Exception {
        for (String plant : List.of(
                "SET @n = (SELECT name FROM " + customers + " WHERE id = 1)",
                "SELECT @m := name FROM " + customers + " WHERE id = 1",
                "SELECT @hit := 1 FROM " + customers + " WHERE name LIKE 'A%'",
                "SELECT LAST_INSERT_ID(id + 4000) FROM " + customers + " WHERE name = 'Ann'",
                "SET @@session.max_join_size = (SELECT id + 5000 FROM " + customers + " WHERE name = 'Ann')")) {
            assertRefusedAs(SUPPORT, plant, "row filter own-customer");
        }
        assertThat(rawSession("SELECT CONCAT_WS(',', @n, @m, @hit)")).as("the session holds no value of Ann's row")
                .containsExactly("");
        assertThat(rawSession("SELECT LAST_INSERT_ID()")).doesNotContain("4001");
        assertThat(rawSession("SELECT @@max_join_size")).doesNotContain("5001");

        assertThat(queryAs(BOB, "SELECT @n")).as("what the next borrower reads").containsExactly((String) null);
        assertThat(queryAs(SUPPORT, "SELECT name FROM " + customers)).as("reading stays allowed").containsExactly("Ann");
        assertThat(queryAs(BOB, "SELECT name FROM " + customers)).as("and filtered").isEmpty();
        assertThat(queryAs(SUPPORT, "SELECT @s := status FROM " + orders + " WHERE id = 0"))
                .as("a value of a table no filter names may be kept").containsExactly("open");
    }

    @Test
    void anUnrestrictedCallerMayNotCopyFilteredRowsIntoATemporaryTable() throws Exception {
        assertRefusedAs(SUPPORT, "CREATE TEMPORARY TABLE psf_copy AS SELECT * FROM " + customers, "temporary table");
        assertRefusedAs(SUPPORT, "CREATE TEMPORARY TABLE " + customers + " AS SELECT * FROM " + TestDatabase.DATABASE + "." + customers,
                "temporary table");
        assertRefusedAs(SUPPORT, "CREATE TEMPORARY TABLE psf_empty (name VARCHAR(40))", "temporary table");
        assertThat(rawSession("SELECT count(*) FROM information_schema.tables WHERE table_name = 'psf_copy'"))
                .containsExactly("0");
        assertThat(queryAs(BOB, "SELECT name FROM " + customers)).as("the next borrower reads the filtered table")
                .isEmpty();
        assertThatThrownBy(() -> rawSession("SELECT name FROM psf_empty")).as("no temporary table was made")
                .isInstanceOf(java.sql.SQLException.class);
    }
}
