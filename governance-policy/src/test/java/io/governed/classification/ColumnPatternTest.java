package io.governed.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColumnPatternTest {
    private static final QualifiedColumn USERS_EMAIL = new QualifiedColumn("public", "users", "email");

    @ParameterizedTest(name = "{0} matches public.users.email: {1}")
    @CsvSource({
            "email, true", "EMAIL, true", "*.email, true", "users.email, true", "public.users.email, true",
            "*.*.email, true", "*, true", "e*, true", "*ai*, true", "*l, true", "e*m*l, true", "**, true",
            "Users.Email, true", "pub*.u*.*mail, true",
            "mail, false", "emails, false", "*.*_email, false", "orders.email, false", "other.users.email, false",
            "users.e, false", "e*x, false", "\"Email\", false", "\"email\", true", "public.\"users\".email, true"})
    void matchesFromTheRightPartByPart(String pattern, boolean matches) {
        assertThat(ColumnPattern.parse(pattern).matches(USERS_EMAIL)).isEqualTo(matches);
    }

    @Test
    void matchesPolicyStyleSuffixPatterns() {
        ColumnPattern suffix = ColumnPattern.parse("*.*_email");
        assertThat(suffix.matches(new QualifiedColumn("public", "orders", "customer_email"))).isTrue();
        assertThat(suffix.matches(new QualifiedColumn("public", "orders", "email"))).isFalse();
        assertThat(suffix.matches(new QualifiedColumn("public", "orders", "customer_email_verified"))).isFalse();
    }

    @Test
    void aNamedTableOrSchemaNeverMatchesAnUnknownOne() {
        QualifiedColumn unknownTable = QualifiedColumn.named("email");
        assertThat(ColumnPattern.parse("users.email").matches(unknownTable)).isFalse();
        assertThat(ColumnPattern.parse("*.email").matches(unknownTable)).isTrue();
        assertThat(ColumnPattern.parse("public.users.email").matches(new QualifiedColumn(null, "users", "email"))).isFalse();
    }

    @Test
    void quotedPartsKeepDotsAndCase() {
        QualifiedColumn dotted = new QualifiedColumn(null, "a.b", "Email");
        assertThat(ColumnPattern.parse("\"a.b\".\"Email\"").matches(dotted)).isTrue();
        assertThat(ColumnPattern.parse("\"a.b\".\"email\"").matches(dotted)).isFalse();
    }

    @Test
    void manyStarsDoNotBacktrackForever() {
        String name = "a".repeat(5_000);
        assertThat(ColumnPattern.parse("*a*a*a*a*a*a*a*a*b").matches(QualifiedColumn.named(name))).isFalse();
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "a.b.c.d | has 4 parts", "users. | ends with a dot", ".email | empty part", "users..email | empty part",
            "\"users.email | unclosed quote", "\"users\"x.email | after a closing quote", "us\"ers.email | quote inside",
            "'' | empty"})
    void refusesMalformedPatternsSayingWhatToWrite(String pattern, String problem) {
        assertThatThrownBy(() -> ColumnPattern.parse(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem);
    }
}
