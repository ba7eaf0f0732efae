package io.governed.jdbc.it;

import io.governed.sql.BuiltInRoutines;
import io.governed.sql.Dialect;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H2's twin of {@link MariaDbBuiltInNamesIT}: for every name on H2's list of built-ins, an alias of the name returning
 * a mark ({@code CREATE ALIAS}, which H2 refuses for its own functions' names) is called unqualified; the mark must
 * never come back. Embedded H2 in its regular mode: a name that is a built-in of a compatibility mode only
 * ({@code TO_DATE} in {@code MODE=Oracle}) runs an alias of the name in the regular mode, so it is not on the list.
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
        // SYSTEM_RANGE stays listed for its form in FROM, where H2 runs its own whatever alias of the name there is;
        // its call in an expression runs the alias (a gap POLICY.md names)
        assertThat(reached).as("listed names whose unqualified call runs an alias of the name")
                .containsExactly("system_range");
    }
}
