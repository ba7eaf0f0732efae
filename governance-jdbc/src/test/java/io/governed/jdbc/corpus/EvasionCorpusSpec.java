package io.governed.jdbc.corpus;

import io.governed.jdbc.GovernanceException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every statement of the evasion corpus is refused, by the baseline policy and by the reference
 * policy, through the real driver, executed directly and prepared; and the database, read through
 * a raw connection afterwards, is exactly as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EvasionCorpusSpec {
    private Connection raw;
    private String before;

    abstract CorpusDatabase database();

    /** Makes sure the server is reachable and its databases exist; nothing for embedded H2. */
    void prepareServer() throws SQLException {
    }

    /** The database the corpus runs in. */
    abstract String databaseName();

    abstract String[] corpusFiles();

    @BeforeAll
    void fixture() throws SQLException {
        prepareServer();
        raw = database().raw(databaseName());
        database().layFixture(raw);
        before = database().snapshot(raw);
    }

    @AfterAll
    void close() throws SQLException {
        if (raw != null) {
            raw.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> theBaselineBlocksEveryEvasion() throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.principal", "order-service");
        p.setProperty("governed.kind", "service");
        return evasions(p);
    }

    @TestFactory
    Stream<DynamicTest> theReferencePolicyBlocksEveryEvasionForItsServices() throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.policy", "classpath:policies/reference-policy.yaml");
        p.setProperty("governed.principal", "order-service");
        p.setProperty("governed.kind", "service");
        return evasions(p);
    }

    private Stream<DynamicTest> evasions(Properties governance) throws SQLException {
        Connection governed = database().governed(databaseName(), governance);
        return Corpus.cases(corpusFiles()).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            assertThatThrownBy(() -> governed.createStatement().execute(c.sql()))
                    .as("executing %s", c)
                    .isInstanceOf(GovernanceException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            assertThatThrownBy(() -> governed.prepareStatement(c.sql()).execute())
                    .as("preparing %s", c)
                    .isInstanceOf(GovernanceException.class);
            assertThat(database().snapshot(raw)).as("the database after %s", c).isEqualTo(before);
        })).onClose(() -> {
            try {
                governed.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
