package io.governed.policy.pattern;

import io.governed.sql.Dialect;
import io.governed.sql.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TablePatternTest {

    private static final TableRef PUBLIC_USERS = new TableRef("public", "users");
    private static final TableRef UNQUALIFIED_USERS = new TableRef(null, "users");

    @Test
    void onePartMatchesTheNameInAnySchema() {
        TablePattern users = TablePattern.parse("users");
        assertThat(users.matches(PUBLIC_USERS, null, Dialect.POSTGRESQL)).isTrue();
        assertThat(users.matches(new TableRef("billing", "users"), null, Dialect.POSTGRESQL)).isTrue();
        assertThat(users.matches(new TableRef("public", "user"), null, Dialect.POSTGRESQL)).isFalse();
    }

    @Test
    void twoPartsMatchSchemaAndName() {
        TablePattern pattern = TablePattern.parse("public.*");
        assertThat(pattern.matches(PUBLIC_USERS, null, Dialect.POSTGRESQL)).isTrue();
        assertThat(pattern.matches(new TableRef("billing", "users"), null, Dialect.POSTGRESQL)).isFalse();
    }

    @Test
    void anUnqualifiedTableTakesTheDefaultSchemaWhenKnown() {
        TablePattern pattern = TablePattern.parse("public.users");
        assertThat(pattern.matches(UNQUALIFIED_USERS, "public", Dialect.POSTGRESQL)).isTrue();
        assertThat(pattern.matches(UNQUALIFIED_USERS, "billing", Dialect.POSTGRESQL)).isFalse();
        assertThat(pattern.matches(UNQUALIFIED_USERS, null, Dialect.POSTGRESQL))
                .as("without a default schema only the table part is compared").isTrue();
    }

    @Test
    void unquotedPartsFoldAsTheDatabaseFolds() {
        TablePattern upper = TablePattern.parse("Public.Users");
        assertThat(upper.matches(PUBLIC_USERS, null, Dialect.POSTGRESQL)).isTrue();
        assertThat(upper.matches(new TableRef("PUBLIC", "USERS"), null, Dialect.H2)).isTrue();
        assertThat(upper.matches(new TableRef("public", "Users"), null, Dialect.POSTGRESQL))
                .as("PostgreSQL's quoted \"Users\" is another table than users").isFalse();
        assertThat(TablePattern.parse("USERS").matches(new TableRef("app", "users"), null, Dialect.MARIADB))
                .as("MariaDB compares names ignoring case").isTrue();
    }

    @Test
    void aQuotedPartIsMatchedExactly() {
        TablePattern quoted = TablePattern.parse("\"Users\"");
        assertThat(quoted.matches(new TableRef("public", "Users"), null, Dialect.POSTGRESQL)).isTrue();
        assertThat(quoted.matches(PUBLIC_USERS, null, Dialect.POSTGRESQL)).isFalse();
        assertThat(quoted.matches(new TableRef("app", "USERS"), null, Dialect.MARIADB)).isFalse();
        assertThat(TablePattern.parse("\"my.table\"").matches(new TableRef(null, "my.table"), null, Dialect.POSTGRESQL))
                .as("a dot inside quotes belongs to the name").isTrue();
        assertThat(TablePattern.parse("\"a*\"").matches(new TableRef(null, "ab"), null, Dialect.POSTGRESQL))
                .as("a star inside quotes is no wildcard").isFalse();
        assertThat(TablePattern.parse("\"say \"\"hi\"\"\"").matches(new TableRef(null, "say \"hi\""), null, Dialect.POSTGRESQL))
                .isTrue();
    }

    @Test
    void aStarMatchesAnyRunWithinAPart() {
        TablePattern pattern = TablePattern.parse("audit_*_log");
        assertThat(pattern.matches(new TableRef(null, "audit_user_log"), null, Dialect.POSTGRESQL)).isTrue();
        assertThat(pattern.matches(new TableRef(null, "audit__log"), null, Dialect.POSTGRESQL)).isTrue();
        assertThat(pattern.matches(new TableRef(null, "audit_user_logs"), null, Dialect.POSTGRESQL)).isFalse();
        assertThat(pattern.matches(new TableRef(null, "AUDIT_X_LOG"), null, Dialect.MARIADB)).isTrue();
        assertThat(pattern.matches(new TableRef(null, "AUDIT_X_LOG"), null, Dialect.POSTGRESQL)).isFalse();
        assertThat(TablePattern.parse("*").matches(new TableRef("any", "thing"), null, Dialect.ORACLE)).isTrue();
        assertThat(TablePattern.parse("*a*a*").matches(new TableRef(null, "banana"), null, Dialect.POSTGRESQL)).isTrue();
        assertThat(TablePattern.parse("*a*a*a*a").matches(new TableRef(null, "banana"), null, Dialect.POSTGRESQL)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a.", ".a", "a..b", "a.b.c", "my table", " users", "us\"ers", "\"users", "\"Us\"ers", "\"\""})
    void malformedPatternsAreRejectedWithAnExplanation(String text) {
        assertThatThrownBy(() -> TablePattern.parse(text))
                .isInstanceOf(InvalidPatternException.class)
                .hasMessageMatching("(?s).*(empty|parts|whitespace|quote).*");
    }

    @Test
    void tooManyPartsSaysHowManyAreAllowed() {
        assertThatThrownBy(() -> TablePattern.parse("db.public.users"))
                .hasMessageContaining("has 3 parts but may have at most 2");
    }
}
