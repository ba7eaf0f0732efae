package io.governed.policy.pattern;

import io.governed.sql.Dialect;
import io.governed.sql.TableRef;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ColumnPatternTest {

    private static final TableRef USERS = new TableRef("public", "users");
    private static final Dialect PG = Dialect.POSTGRESQL;

    @Test
    void partsAreMatchedFromTheRight() {
        assertThat(ColumnPattern.parse("email").matches(USERS, "email", null, PG)).isTrue();
        assertThat(ColumnPattern.parse("users.email").matches(USERS, "email", null, PG)).isTrue();
        assertThat(ColumnPattern.parse("orders.email").matches(USERS, "email", null, PG)).isFalse();
        assertThat(ColumnPattern.parse("public.users.email").matches(USERS, "email", null, PG)).isTrue();
        assertThat(ColumnPattern.parse("billing.users.email").matches(USERS, "email", null, PG)).isFalse();
    }

    @Test
    void wildcardsMatchWithinOnePart() {
        ColumnPattern pattern = ColumnPattern.parse("*.*_email");
        assertThat(pattern.matches(USERS, "work_email", null, PG)).isTrue();
        assertThat(pattern.matches(USERS, "email", null, PG)).isFalse();
        assertThat(pattern.matches(USERS, "work_email_verified", null, PG)).isFalse();
    }

    @Test
    void theSchemaPartUsesTheDefaultSchemaForUnqualifiedTables() {
        ColumnPattern pattern = ColumnPattern.parse("public.users.email");
        TableRef unqualified = new TableRef(null, "users");
        assertThat(pattern.matches(unqualified, "email", "public", PG)).isTrue();
        assertThat(pattern.matches(unqualified, "email", "billing", PG)).isFalse();
        assertThat(pattern.matches(unqualified, "email", null, PG)).isTrue();
    }

    @Test
    void couldMatchAColumnOfATableWhenTheTablePartsMatch() {
        assertThat(ColumnPattern.parse("*.ssn").couldMatchColumnOf(USERS, null, PG)).isTrue();
        assertThat(ColumnPattern.parse("ssn").couldMatchColumnOf(USERS, null, PG)).isTrue();
        assertThat(ColumnPattern.parse("people.ssn").couldMatchColumnOf(USERS, null, PG)).isFalse();
    }

    @Test
    void fourPartsAreTooMany() {
        assertThatThrownBy(() -> ColumnPattern.parse("db.public.users.email"))
                .isInstanceOf(InvalidPatternException.class)
                .hasMessageContaining("at most 3");
    }
}
