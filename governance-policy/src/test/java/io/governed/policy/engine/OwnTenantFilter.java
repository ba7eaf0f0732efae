package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;

import static io.governed.policy.Identities.human;

/**
 * A policy that permits everything and filters {@code public.orders} to the caller's tenant, {@code support} exempt:
 * for tests of what a row filter must keep from callers it restricts when another caller it does not restrict acts first.
 */
final class OwnTenantFilter {
    static final Identity SUPPORT = human("sam", "support");
    static final Identity TENANT = Identity.builder("tia").attribute("tenant", "a").build();

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("own-tenant.yaml", """
            version: 1
            rules:
              - { id: all, effect: permit, actions: ["*"] }
            row-filters:
              - { id: own-tenant, tables: ["public.orders"], filter: "tenant_id = :identity.tenant", unless: { groups: [support] } }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    Decision decide(Identity identity, String sql, Dialect dialect) {
        return engine.decide(identity, analyzer.analyze(sql, dialect), DecisionContext.defaultSchema("public"));
    }
}
