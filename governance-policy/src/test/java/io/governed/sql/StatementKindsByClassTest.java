package io.governed.sql;

import static io.governed.sql.Analyses.pg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.StatementVisitor;
import net.sf.jsqlparser.statement.create.database.CreateDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The statements the walker reads by their class alone (databases, domains, types, publications, subscriptions): each
 * gets its kind from a list of exact classes, and any other class that reaches that point, a subclass or a kind a newer
 * parser adds, is refused instead of being named by the first word of its class.
 */
class StatementKindsByClassTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "CREATE DATABASE reports                                        | CREATE",
        "CREATE DOMAIN positive AS int CHECK (VALUE > 0)                | CREATE",
        "ALTER DOMAIN positive SET DEFAULT 1                            | ALTER",
        "CREATE TYPE mood AS ENUM ('sad', 'ok')                          | CREATE",
        "ALTER TYPE mood ADD VALUE 'happy'                              | ALTER",
        "CREATE PUBLICATION everything FOR TABLE orders                 | CREATE",
        "ALTER PUBLICATION everything ADD TABLE orders                  | ALTER",
        "CREATE SUBSCRIPTION copy CONNECTION 'dbname=x' PUBLICATION p   | CREATE",
        "ALTER SUBSCRIPTION copy REFRESH PUBLICATION                    | ALTER",
    })
    void kindOfEachStatementReadByItsClass(String sql, Action action) {
        assertThat(pg(sql).action()).isEqualTo(action);
    }

    @Test
    void aSubscriptionWritesTablesItDoesNotName() throws Exception {
        // its rows arrive in the tables the other server's publications name: a policy allowing writes to one table only
        // must not let it through as a create of nothing
        assertThat(pg("CREATE SUBSCRIPTION copy CONNECTION 'dbname=x' PUBLICATION p").tablesWritten())
                .contains(new TableRef("*", "*"));
        assertThat(pg("ALTER SUBSCRIPTION copy REFRESH PUBLICATION").tablesWritten()).contains(new TableRef("*", "*"));
    }

    @Test
    void aPublicationNamesTheTablesItPublishes() {
        assertThat(pg("CREATE PUBLICATION everything FOR TABLE orders").tablesRead())
                .anySatisfy(t -> assertThat(t.name()).isEqualTo("orders"));
    }

    @Test
    void aSubclassOfAClassReadByItsKindIsRefused() throws Exception {
        CreateDatabase parsed = (CreateDatabase) CCJSqlParserUtil.parse("CREATE DATABASE reports");
        CreateDatabase subclass = new CreateDatabase() {
            @Override
            public String toString() {
                return parsed.toString();
            }
        };
        assertThatThrownBy(() -> walk(subclass)).isInstanceOf(UnreadForm.class)
                .hasMessageContaining("is not a kind the analysis reads");
    }

    @Test
    void aStatementClassNoRuleReadsIsRefusedWhateverItsNameSays() {
        // a class named like a create, of words no rule reads: its kind is not guessed from the name of its class (it
        // was read as a CREATE of nothing before)
        Statement unknown = new CreateNothingStatement();
        assertThatThrownBy(() -> walk(unknown)).isInstanceOf(UnreadForm.class)
                .hasMessageContaining("CreateNothingStatement statement is not a kind the analysis reads");
    }

    private static void walk(Statement statement) {
        Scope outer = new Scope(null, Dialect.POSTGRESQL);
        new StatementWalker(Dialect.POSTGRESQL).analyze(statement, new Scope(outer, Dialect.POSTGRESQL));
    }

    /** A statement class of no parser, named like a create, printed in words no rule reads. */
    private static final class CreateNothingStatement implements Statement {
        @Override
        public <T, S> T accept(StatementVisitor<T> visitor, S context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String toString() {
            return "FROBNICATE everything";
        }
    }
}
