package io.governed.jdbc.it;

import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.EveryGetter;
import io.governed.jdbc.support.ExceptionTexts;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One identity that may read the customers' SSNs plants one in the session (a custom setting, a user variable) for an
 * identity the policy denies the customers table: the next borrower, another identity's statement within the same
 * borrowing of a GovernedDataSource connection, another identity's statement on one shared {@code jdbc:governed:}
 * connection. The second identity reads the session through a query on a table it may read; every getter is looked at.
 */
abstract class SessionLeftoversForbiddenFixture extends SessionLeftoversFixture {

    SessionLeftoversForbiddenFixture(String prefix) {
        super(prefix);
    }

    /** The statements that plant the SSN (refused ones are skipped: nothing planted). */
    abstract List<String> plants();

    /** A query of {@link #orders} that also reads what {@link #plants()} planted. */
    abstract String readBack();

    /** The delegate driver's settings for a shared connection whose session can be reset. */
    abstract Properties resettable();

    @Override
    String policy() {
        return """
                version: 1
                default: deny
                on-unparseable: allow
                rules:
                  - id: pii-readers-do-anything
                    effect: permit
                    principals: { groups: [pii-readers] }
                    actions: ["*"]
                    resources: ["*"]
                  - id: analysts-read-orders
                    effect: permit
                    principals: { groups: [analysts] }
                    actions: [select, set]
                    resources: ["%s"]
                """.formatted(orders);
    }

    @Test
    void theCustomersAreDeniedToBob() {
        assertThat(attempt(() -> borrowAs(BOB, "SELECT ssn FROM " + customers))).contains("No rule permits select");
    }

    @Test
    void theNextBorrowerFindsNothingPlanted() throws Exception {
        for (String plant : plants()) {
            attempt(() -> borrowAs(PII_READER, plant));
            assertThat(attempt(() -> IdentityContext.runAs(BOB, () -> {
                try (Connection c = governed.getConnection()) {
                    return everyGetter(c);
                }
            }))).as(plant).doesNotContain("6789");
        }
    }

    @Test
    void anotherIdentityWithinOneBorrowingFindsNothingPlanted() throws Exception {
        int planted = 0;
        for (String plant : plants()) {
            try (Connection c = governed.getConnection()) {
                attempt(() -> sharedAs(c, PII_READER, plant));
                if (attempt(() -> IdentityContext.runAs(PII_READER, () -> everyGetter(c))).contains("6789")) {
                    planted++; // the planter itself reads it back
                }
                assertThat(attempt(() -> IdentityContext.runAs(BOB, () -> everyGetter(c)))).as(plant)
                        .doesNotContain("6789");
            }
        }
        assertThat(planted).as("plants that ran").isPositive();
    }

    @Test
    void anotherIdentityOnASharedConnectionFindsNothingPlanted() throws Exception {
        for (Properties settings : List.of(resettable(), new Properties())) {
            Connection c = sharedConnection(settings);
            for (String plant : plants()) {
                attempt(() -> sharedAs(c, PII_READER, plant));
                assertThat(attempt(() -> IdentityContext.runAs(BOB, () -> everyGetter(c)))).as(plant + " " + settings)
                        .doesNotContain("6789");
            }
        }
    }

    private List<String> everyGetter(Connection c) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(readBack())) {
            return EveryGetter.ofAllRows(rs);
        }
    }

    interface Attempt {
        Object run() throws Exception;
    }

    /** What an attempt gives, or the messages of its refusal, as text. */
    static String attempt(Attempt attempt) {
        try {
            return String.valueOf(attempt.run());
        } catch (Exception refused) {
            return String.join(" | ", ExceptionTexts.of(refused));
        }
    }
}
