package io.governed.jdbc.it;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.sql.BuiltInRoutines;
import io.governed.sql.Dialect;
import io.governed.sql.TableRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analysis takes an unqualified call of a name on MariaDB's list of built-ins for the server's own function: no
 * {@code call} permission, no body read, a result derived from its arguments alone. That holds only where the server
 * runs its own function whatever stored function of the name the database holds. Asked of the server for every name
 * on the list: a stored function of the name that returns a mark is created in a database of this test's own, and
 * the name is called unqualified with no arguments; the mark must never come back (the server's function answers,
 * or refuses the call for its arguments or its syntax) but for the names the list has as FROM-only
 * ({@link BuiltInRoutines#fromOnly()}), which the analysis takes for a call of the stored function in an expression,
 * and which in {@code FROM} are the server's own.
 */
@RequiresDatabase(TestDatabase.MARIADB)
class MariaDbBuiltInNamesIT {
    private static final String DB = TestDatabase.forkName("bi_names");
    private static final String URL = "jdbc:mariadb://127.0.0.1:3306/" + DB + "?connectTimeout=5000";
    private static final int MARK = 424242;

    @BeforeAll
    static void database() throws SQLException {
        TestDatabase.MARIADB.requireReachable();
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
            st.execute("CREATE DATABASE " + DB);
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement st = raw.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
        }
    }

    @Test
    void everyListedNameIsCalledAsTheServersFunctionWhateverStoredFunctionHoldsIt() throws SQLException {
        List<String> reached = new ArrayList<>();
        try (Connection raw = DriverManager.getConnection(URL, "root", ""); Statement st = raw.createStatement()) {
            for (String name : BuiltInRoutines.of(Dialect.MARIADB).names().stream().sorted().toList()) {
                st.execute("CREATE FUNCTION `" + name + "`() RETURNS INT RETURN " + MARK);
                try (ResultSet rs = st.executeQuery("SELECT " + name + "()")) {
                    if (rs.next() && String.valueOf(MARK).equals(rs.getString(1))) {
                        reached.add(name);
                    }
                } catch (SQLException theServersOwn) {
                    // refused for its arguments or its syntax: the server read the name as its own function
                } finally {
                    st.execute("DROP FUNCTION `" + name + "`");
                }
            }
        }
        // JSON_TABLE stays listed for its form in FROM, where no stored function may stand: it is FROM-only, a built-in
        // there alone, so its call in an expression is a call of the stored function, as for any name off the list
        BuiltInRoutines list = BuiltInRoutines.of(Dialect.MARIADB);
        assertThat(reached).as("listed names whose unqualified call runs a stored function of the name")
                .containsExactlyInAnyOrderElementsOf(list.fromOnly());
        assertThat(reached).as("of those, the names the analysis takes for a built-in in an expression")
                .filteredOn(name -> list.isBuiltIn(new TableRef(null, name))).isEmpty();
    }

    /** Each FROM-only name's form in FROM, which the server runs as its own whatever stored function holds the name. */
    private static final Map<String, String> FROM_FORMS = Map.of(
            "json_table", "SELECT t.x FROM json_table('[7]', '$[*]' COLUMNS (x INT PATH '$')) AS t");

    @Test
    void eachFromOnlyNameInFromIsTheServersOwnWhateverStoredFunctionHoldsIt() throws SQLException {
        try (Connection raw = DriverManager.getConnection(URL, "root", ""); Statement st = raw.createStatement()) {
            for (String name : BuiltInRoutines.of(Dialect.MARIADB).fromOnly()) {
                assertThat(FROM_FORMS).as("a form in FROM to try for " + name).containsKey(name);
                st.execute("CREATE FUNCTION `" + name + "`(v VARCHAR(40), p VARCHAR(40)) RETURNS INT RETURN " + MARK);
                try (ResultSet rs = st.executeQuery(FROM_FORMS.get(name))) {
                    assertThat(rs.next()).as(name).isTrue();
                    assertThat(rs.getInt(1)).as(name + " in FROM").isEqualTo(7);
                } finally {
                    st.execute("DROP FUNCTION `" + name + "`");
                }
            }
        }
    }
}
