package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.sql.Dialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQL the analysis cannot see (EXECUTE of a statement prepared by name, PREPARE, DO) is refused to a caller a row
 * filter restricts, even where a rule permits dynamic SQL: no rewrite reaches the tables it reads, and a statement an
 * exempt caller prepared on a pooled connection stays there for the next borrower.
 */
class DynamicSqlUnderRowFiltersTest {

    private static final Identity SUPPORT = OwnTenantFilter.SUPPORT;
    private static final Identity TENANT = OwnTenantFilter.TENANT;
    private final OwnTenantFilter policy = new OwnTenantFilter();

    private Decision decide(Identity identity, String sql, Dialect dialect) {
        return policy.decide(identity, sql, dialect);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | EXECUTE p",
            "POSTGRESQL | EXECUTE p(1)",
            "MARIADB    | EXECUTE s",
    })
    void runningAStatementPreparedByNameIsRefusedToACallerAFilterRestricts(Dialect dialect, String sql) {
        Decision decision = decide(TENANT, sql, dialect);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("own-tenant");
        assertThat(decision.reason()).as(sql).contains("SQL the analysis cannot see", "row filter own-tenant",
                "Run the statement itself");
        assertThat(decide(SUPPORT, sql, dialect).effect()).as("exempt: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }
}
