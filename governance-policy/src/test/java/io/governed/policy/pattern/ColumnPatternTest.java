package io.governed.policy.pattern;

import io.governed.sql.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one rule by which column patterns (classification tags and masks' {@code patterns}) match a
 * column: parts from the right, each folded and compared as the dialect's database would, quoted
 * parts exactly, {@code *} any run within a part; an unknown schema or table could be anything.
 */
class ColumnPatternTest {

    @ParameterizedTest(name = "[{index}] {0} ~ {1}.{2}.{3} in {4}: could {5}, certainly {6}")
    @CsvSource(delimiter = '|', nullValues = "?", textBlock = """
            # pattern                  | schema | table     | column      | dialect    | could | certainly
            # parts are matched from the right
            email                      | public | users     | email       | POSTGRESQL | true  | true
            users.email                | public | users     | email       | POSTGRESQL | true  | true
            public.users.email         | public | users     | email       | POSTGRESQL | true  | true
            orders.email               | public | users     | email       | POSTGRESQL | false | false
            billing.users.email        | public | users     | email       | POSTGRESQL | false | false
            mail                       | public | users     | email       | POSTGRESQL | false | false
            emails                     | public | users     | email       | POSTGRESQL | false | false
            # * matches any run of characters within one part, in each part
            *                          | public | users     | email       | POSTGRESQL | true  | true
            *.email                    | public | users     | email       | POSTGRESQL | true  | true
            *.*.email                  | public | users     | email       | POSTGRESQL | true  | true
            pub*.u*.*mail              | public | users     | email       | POSTGRESQL | true  | true
            p*c.*.e*l                  | public | users     | email       | POSTGRESQL | true  | true
            x*.users.email             | public | users     | email       | POSTGRESQL | false | false
            *.x*.email                 | public | users     | email       | POSTGRESQL | false | false
            *.*_email                  | public | orders    | work_email  | POSTGRESQL | true  | true
            *.*_email                  | public | orders    | email       | POSTGRESQL | false | false
            *.*_email                  | public | orders    | work_email2 | POSTGRESQL | false | false
            **                         | public | users     | email       | POSTGRESQL | true  | true
            *a*a*a*b                   | public | users     | banana      | POSTGRESQL | false | false
            # an unquoted part is folded and compared as the dialect's database does
            Email                      | public | users     | email       | POSTGRESQL | true  | true
            Email                      | public | users     | Email       | POSTGRESQL | false | false
            E*L                        | public | users     | email       | POSTGRESQL | true  | true
            Public.Users.Email         | public | users     | email       | POSTGRESQL | true  | true
            email                      | PUBLIC | USERS     | EMAIL       | H2         | true  | true
            email                      | PUBLIC | USERS     | email       | H2         | false | false
            e*l                        | PUBLIC | USERS     | EMAIL       | H2         | true  | true
            e*l                        | PUBLIC | USERS     | Email       | H2         | false | false
            hr.people.email            | HR     | PEOPLE    | EMAIL       | ORACLE     | true  | true
            EMAIL                      | app    | users     | email       | MARIADB    | true  | true
            App.Users.E*l              | app    | users     | EMAIL       | MARIADB    | true  | true
            Users.EMAIL                | dbo    | users     | Email       | SQLSERVER  | true  | true
            USERS.email                | ?      | Users     | EMAIL       | GENERIC    | true  | true
            # a quoted part is compared exactly, and * and . in it are ordinary characters
            "Email"                    | public | users     | Email       | POSTGRESQL | true  | true
            "Email"                    | public | users     | email       | POSTGRESQL | false | false
            "EMAIL"                    | PUBLIC | USERS     | EMAIL       | H2         | true  | true
            "email"                    | PUBLIC | USERS     | EMAIL       | H2         | false | false
            "Email"                    | app    | users     | email       | MARIADB    | false | false
            public."users".email       | public | users     | email       | POSTGRESQL | true  | true
            "a.b"."Email"              | public | a.b       | Email       | POSTGRESQL | true  | true
            "a*".email                 | public | ab        | email       | POSTGRESQL | false | false
            "a*".email                 | public | a*        | email       | POSTGRESQL | true  | true
            "say ""hi""\".email        | public | say "hi"  | email       | POSTGRESQL | true  | true
            # an unknown schema or table could be anything: it could match any part, certainly only *
            public.users.email         | ?      | users     | email       | POSTGRESQL | true  | false
            billing.*.email            | ?      | users     | email       | POSTGRESQL | true  | false
            *.users.email              | ?      | users     | email       | POSTGRESQL | true  | true
            *.*.email                  | ?      | ?         | email       | POSTGRESQL | true  | true
            users.email                | ?      | ?         | email       | POSTGRESQL | true  | false
            *.email                    | ?      | ?         | email       | POSTGRESQL | true  | true
            email                      | ?      | ?         | email       | POSTGRESQL | true  | true
            p*.*.email                 | ?      | ?         | email       | POSTGRESQL | true  | false
            "Users".email              | ?      | ?         | email       | POSTGRESQL | true  | false
            users.ssn                  | ?      | ?         | email       | POSTGRESQL | false | false
            orders.email               | ?      | users     | email       | POSTGRESQL | false | false
            public.orders.email        | public | ?         | email       | POSTGRESQL | true  | false
            other.orders.email         | public | ?         | email       | POSTGRESQL | false | false
            test.users.ssn             | ?      | users     | ssn         | MARIADB    | true  | false
            """)
    void matchesAColumnAsTheDatabaseWouldNameIt(String pattern, String schema, String table, String column, Dialect dialect,
                                                boolean could, boolean certainly) {
        ColumnPattern parsed = ColumnPattern.parse(pattern);
        assertThat(parsed.couldMatch(schema, table, column, dialect)).as("could match").isEqualTo(could);
        assertThat(parsed.certainlyMatches(schema, table, column, dialect)).as("certainly matches").isEqualTo(certainly);
    }

    @Test
    void manyStarsDoNotBacktrackForever() {
        String name = "a".repeat(5_000);
        assertThat(ColumnPattern.parse("*a*a*a*a*a*a*a*a*b").couldMatch("s", "t", name, Dialect.POSTGRESQL)).isFalse();
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "db.public.users.email | has 4 parts but may have at most 3",
            "users. | has an empty part",
            ".email | has an empty part",
            "users..email | has an empty part",
            "\"users.email | has an unterminated quote",
            "\"users\"x.email | has text after a closing quote",
            "us\"ers.email | has a quote inside a part",
            "users.e mail | contains whitespace",
            "' users.email' | contains whitespace",
            "\"\".email | has an empty quoted part",
            "'' | must not be empty"})
    void refusesMalformedPatternsSayingWhatToWrite(String pattern, String problem) {
        assertThatThrownBy(() -> ColumnPattern.parse(pattern))
                .isInstanceOf(InvalidPatternException.class)
                .hasMessageContaining("column pattern")
                .hasMessageContaining(problem);
    }

    @Test
    void twoPatternsAreEqualWhenWrittenAlike() {
        assertThat(ColumnPattern.parse("*.email")).isEqualTo(ColumnPattern.parse("*.email"))
                .hasSameHashCodeAs(ColumnPattern.parse("*.email"))
                .isNotEqualTo(ColumnPattern.parse("email"))
                .hasToString("*.email");
    }
}
