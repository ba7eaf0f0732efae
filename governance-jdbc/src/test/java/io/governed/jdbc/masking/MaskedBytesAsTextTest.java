package io.governed.jdbc.masking;

import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A result column computed from a masked column whose values are bytes (H2's JSON, a cast to VARBINARY) is masked to
 * bytes ({@code redact} gives none): read as text, it has no exact form, so {@code getString} is refused, as any getter
 * whose type the masked value has no exact form in, rather than giving {@code null} while {@code wasNull()} says the
 * value was not null.
 */
class MaskedBytesAsTextTest {
    private static Connection keep;
    private static Connection analyst;

    @BeforeAll
    static void database() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:gen_bytes_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        keep = h2.getConnection();
        try (Statement s = keep.createStatement()) {
            s.execute("CREATE TABLE people(id INT PRIMARY KEY, name VARCHAR(40), ssn VARCHAR(11))");
            s.execute("INSERT INTO people VALUES (1, 'ann', '123-45-6789')");
        }
        Governance governance = Governance.builder()
                .policy(PolicyLoader.fromString("non-interference.yaml", MaskedValuesNonInterferenceSpec.POLICY))
                .withoutAudit().defaultIdentity(MaskedValuesNonInterferenceSpec.ANALYST).build();
        analyst = new GovernedDataSource(h2, governance).getConnection();
    }

    @AfterAll
    static void close() throws SQLException {
        analyst.close();
        try (Statement s = keep.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON_OBJECT(KEY 'k' VALUE ssn)", "CAST(ssn AS VARBINARY)", "STRINGTOUTF8(ssn)"})
    void aMaskedValueThatIsBytesIsRefusedAsTextAndReadAsItsMaskedBytes(String expression) throws SQLException {
        try (Statement s = analyst.createStatement(); ResultSet rs = s.executeQuery("SELECT " + expression + " FROM people")) {
            assertThat(rs.next()).isTrue();
            SQLException refused = catchThrowableOfType(SQLException.class, () -> rs.getString(1));
            assertThat((Throwable) refused).as("getString of %s", expression).isNotNull();
            assertThat(refused.getSQLState()).isEqualTo("22M01");
            assertThat(refused.getMessage()).contains("getBytes").doesNotContain("123-45-6789").doesNotContain("6789");
            assertThat(catchThrowableOfType(SQLException.class, () -> rs.getNString(1)).getSQLState()).isEqualTo("22M01");
            assertThat(rs.getBytes(1)).isEmpty();
            assertThat(rs.wasNull()).isFalse();
            assertThat((byte[]) rs.getObject(1)).isEmpty();
            assertThat(rs.wasNull()).isFalse();
        }
    }
}
