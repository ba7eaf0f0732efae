package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * H2's user variables ({@code SET @v = x}, {@code SET(@v, x)}, {@code @v}) are judged as MariaDB's are: the session
 * keeps them past the statement and its caller, so a masked value may not be kept in one by anyone, the callers the
 * mask exempts included, and a variable's value counts as masked wherever it is written.
 */
class H2UserVariablesTest {

    private final PolicyEngine masked = new PolicyEngine(PolicyLoader.fromString("masked.yaml", """
            version: 1
            rules:
              - { id: all, effect: permit, actions: ["*"] }
            masks:
              - { id: mask-ssn, columns: { patterns: ["*.ssn"] }, function: redact, unless: { groups: [pii-readers] } }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private static final Identity EXEMPT = human("dora", "pii-readers");
    private static final Identity ANALYST = human("ann", "analysts");

    private Decision decide(Identity identity, String sql) {
        return masked.decide(identity, analyzer.analyze(sql, Dialect.H2), DecisionContext.defaultSchema("PUBLIC"));
    }

    @Test
    void aMaskedValueKeptInAUserVariableIsRefusedToEveryCaller() {
        for (String sql : List.of("SET @x = (SELECT ssn FROM customers WHERE id = 1)",
                "SET @x = 1, @y = (SELECT MAX(ssn) FROM customers)",
                "SELECT SET(@x, ssn) FROM customers WHERE id = 1")) {
            for (Identity identity : List.of(EXEMPT, ANALYST)) {
                Decision decision = decide(identity, sql);
                assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
                assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
            }
        }
    }

    @Test
    void aVariablesValueWrittenToATableCountsAsMasked() {
        Decision decision = decide(ANALYST, "INSERT INTO notes (body) VALUES (@x)");
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).containsExactly("mask-ssn");
    }

    @Test
    void aValueNoMaskCoversMayBeKept() {
        for (String sql : List.of("SET @x = 1", "SET @x = (SELECT name FROM customers WHERE id = 1)", "SET @y = @x")) {
            assertThat(decide(ANALYST, sql).effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
        }
    }
}
