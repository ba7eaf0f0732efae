package io.governed.jdbc.session;

/**
 * {@link H2StaleReadingTest}'s attacks on a database whose unquoted names H2 folds to lower case
 * ({@code DATABASE_TO_LOWER=TRUE}): its readings must be renewed on a schema change just the same.
 */
class H2StaleReadingLowerCaseTest extends H2StaleReadingTest {
    @Override
    String nameCase() {
        return ";DATABASE_TO_LOWER=TRUE";
    }
}
