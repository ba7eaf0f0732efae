package io.governed.jdbc.it;

import io.governed.sql.BuiltInRoutines;
import io.governed.sql.Dialect;
import io.governed.sql.TableRef;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H2's twin of {@link MariaDbBuiltInNamesIT}: for every name on H2's list of built-ins, an alias of the name returning
 * a mark ({@code CREATE ALIAS}, which H2 refuses for its own functions' names) is called unqualified; the mark must
 * never come back. Embedded H2 in its regular mode: a name that is a built-in of a compatibility mode only
 * ({@code TO_DATE} in {@code MODE=Oracle}) runs an alias of the name in the regular mode, so it is not on the list.
 * The names the list has as FROM-only ({@link BuiltInRoutines#fromOnly()}) are the one exception: an alias of the name
 * runs in an expression, where the analysis takes the call for the alias's, and H2 runs its own in {@code FROM}.
 */
class H2BuiltInNamesIT {
    private static final int MARK = 424242;

    @Test
    void everyListedNameIsCalledAsH2sFunctionWhateverAliasHoldsIt() throws SQLException {
        List<String> reached = new ArrayList<>();
        try (Connection raw = DriverManager.getConnection("jdbc:h2:mem:builtInNames;DB_CLOSE_DELAY=0");
             Statement st = raw.createStatement()) {
            for (String name : BuiltInRoutines.of(Dialect.H2).names().stream().sorted().toList()) {
                String alias = name.toUpperCase(Locale.ROOT);
                try {
                    st.execute("CREATE ALIAS \"" + alias + "\" AS 'int mark() { return " + MARK + "; }'");
                } catch (SQLException refused) {
                    continue; // H2 keeps the name for its own function
                }
                try (ResultSet rs = st.executeQuery("SELECT " + name + "()")) {
                    if (rs.next() && String.valueOf(MARK).equals(rs.getString(1))) {
                        reached.add(name);
                    }
                } catch (SQLException theServersOwn) {
                    // refused for its arguments or its syntax: H2 read the name as its own function
                } finally {
                    st.execute("DROP ALIAS \"" + alias + "\"");
                }
            }
        }
        // SYSTEM_RANGE stays listed for its form in FROM, where H2 runs its own whatever alias of the name there is: it
        // is FROM-only, a built-in there alone, so its call in an expression is a call of the alias
        BuiltInRoutines list = BuiltInRoutines.of(Dialect.H2);
        assertThat(reached).as("listed names whose unqualified call runs an alias of the name")
                .containsExactlyInAnyOrderElementsOf(list.fromOnly());
        assertThat(reached).as("of those, the names the analysis takes for a built-in in an expression")
                .filteredOn(name -> list.isBuiltIn(new TableRef(null, name.toUpperCase(Locale.ROOT)))).isEmpty();
    }

    /** Each FROM-only name's form in FROM, which H2 runs as its own whatever alias holds the name. */
    private static final Map<String, String> FROM_FORMS = Map.of("system_range", "SELECT X FROM system_range(7, 7)");

    @Test
    void eachFromOnlyNameInFromIsH2sOwnWhateverAliasHoldsIt() throws SQLException {
        try (Connection raw = DriverManager.getConnection("jdbc:h2:mem:builtInNamesFrom;DB_CLOSE_DELAY=0");
             Statement st = raw.createStatement()) {
            for (String name : BuiltInRoutines.of(Dialect.H2).fromOnly()) {
                assertThat(FROM_FORMS).as("a form in FROM to try for " + name).containsKey(name);
                String alias = name.toUpperCase(Locale.ROOT);
                st.execute("CREATE ALIAS \"" + alias + "\" AS 'int mark(int a, int b) { return " + MARK + "; }'");
                try (ResultSet rs = st.executeQuery(FROM_FORMS.get(name))) {
                    assertThat(rs.next()).as(name).isTrue();
                    assertThat(rs.getInt(1)).as(name + " in FROM").isEqualTo(7);
                } finally {
                    st.execute("DROP ALIAS \"" + alias + "\"");
                }
            }
        }
    }
}
