package io.governed.jdbc.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run of a caller whose own schema holds a {@code sem_customers} table (its ssn {@code 000-00-0000}) beside another
 * schema's table of the same name, around a call of a routine that may switch the session to that other schema: what
 * the caller reads before the call must be its own table's; what it reads after (every getter of {@code SELECT ssn} and
 * {@code SELECT *}) and the texts of what is refused, including its {@code DELETE FROM sem_customers}, are returned for
 * the test to check. The texts are lower case, which H2 folds to upper and PostgreSQL keeps.
 */
public final class SchemaSwitchingCall {

    private SchemaSwitchingCall() {
    }

    /** What the caller on {@code governed} saw after running {@code call} (a query returning a row). */
    public static List<String> seenAfter(Connection governed, String call) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Statement st = governed.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT ssn FROM sem_customers")) {
                while (rs.next()) {
                    assertThat(rs.getString(1)).as("the caller's own table, before the call").isEqualTo("000-00-0000");
                }
            }
            try (ResultSet rs = st.executeQuery(call)) {
                assertThat(rs.next()).isTrue();
            }
            for (String sql : List.of("SELECT ssn FROM sem_customers", "SELECT * FROM sem_customers")) {
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            seen.addAll(EveryGetter.of(rs, i, rs.getMetaData().getColumnLabel(i)).values());
                        }
                    }
                } catch (SQLException refused) {
                    seen.addAll(ExceptionTexts.of(refused));
                }
            }
            try {
                st.executeUpdate("DELETE FROM sem_customers");
            } catch (SQLException refused) {
                seen.addAll(ExceptionTexts.of(refused));
            }
        }
        return seen;
    }
}
