package io.governed.jdbc;

import io.governed.identity.Identity;
import io.governed.jdbc.config.GovernedSettings;
import io.governed.jdbc.config.Setting;
import io.governed.jdbc.gate.DecisionFunction;
import io.governed.jdbc.gate.PolicyDecisions;
import io.governed.jdbc.gate.StatementGate;
import io.governed.jdbc.identity.IdentityResolver;
import io.governed.policy.Policy;
import io.governed.policy.engine.PolicyEngine;
import io.governed.policy.load.PolicyLoadException;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.SqlAnalyzer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Objects;

/**
 * One governance runtime: the gate and what decides at it (a policy, usually), the SQL analyser with
 * its cache, the default identity, and the identity resolver. Connections made with the same
 * governance settings share one runtime.
 *
 * <pre>{@code
 * Governance governance = Governance.builder()
 *         .policy(PolicyLoader.load("classpath:policies/app.yaml"))
 *         .defaultIdentity(Identity.builder("billing").kind(IdentityKind.SERVICE).build())
 *         .build();
 * DataSource ds = new GovernedDataSource(pool, governance);
 * }</pre>
 */
public final class Governance {
    private static final Logger LOG = LoggerFactory.getLogger(Governance.class);

    private final StatementGate gate;
    private final SqlAnalyzer analyzer;
    private final Identity defaultIdentity;
    private final IdentityResolver identityResolver;

    private Governance(Builder b) {
        this.analyzer = b.analyzer != null ? b.analyzer : new SqlAnalyzer();
        DecisionFunction decisions = b.decisionFunction;
        if (decisions == null) {
            decisions = new PolicyDecisions(new PolicyEngine(b.policy != null ? b.policy : baseline()), analyzer);
        }
        this.gate = new StatementGate(decisions);
        this.defaultIdentity = b.defaultIdentity;
        this.identityResolver = b.identityResolver;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The runtime the governance (non-identity) {@code governed.*} settings describe.
     *
     * @param defaultIdentity the identity of statements that have no other; may be {@code null}
     * @throws SQLException when the settings cannot be put into force
     */
    public static Governance fromSettings(GovernedSettings settings, Identity defaultIdentity) throws SQLException {
        String locations = settings.get(Setting.POLICY);
        Builder builder = builder().defaultIdentity(defaultIdentity);
        if (locations != null && !locations.isBlank()) {
            try {
                builder.policy(PolicyLoader.loadAll(locations));
            } catch (PolicyLoadException e) {
                throw new SQLException("The policy in governed.policy=" + locations + " cannot be used; fix it and connect again:\n"
                        + e.getMessage(), GovernedSettings.SQLSTATE_BAD_CONFIGURATION, e);
            } catch (RuntimeException e) {
                throw new SQLException("The policy in governed.policy=" + locations + " cannot be read: " + e.getMessage(),
                        GovernedSettings.SQLSTATE_BAD_CONFIGURATION, e);
            }
        }
        return builder.build();
    }

    /** The built-in baseline, with a warning: it is a safety net, not a policy. */
    private static Policy baseline() {
        LOG.warn("No governed.policy is set: the built-in baseline policy is in force (ordinary reads and writes allowed; "
                + "destructive DDL, grants, dynamic SQL, unbounded UPDATE/DELETE and multi-statement strings denied). "
                + "Set governed.policy to your own policy to decide who may do what.");
        return PolicyLoader.baseline();
    }

    public StatementGate gate() {
        return gate;
    }

    /** The SQL analyser, whose cache every connection of this runtime shares. */
    public SqlAnalyzer analyzer() {
        return analyzer;
    }

    /** The identity of statements that have no scoped, resolved or connection identity; may be {@code null}. */
    public Identity defaultIdentity() {
        return defaultIdentity;
    }

    /** The application's identity resolver, or {@code null}. */
    public IdentityResolver identityResolver() {
        return identityResolver;
    }

    /** Builds a {@link Governance}. */
    public static final class Builder {
        private DecisionFunction decisionFunction;
        private Policy policy;
        private SqlAnalyzer analyzer;
        private Identity defaultIdentity;
        private IdentityResolver identityResolver;

        private Builder() {
        }

        /** The policy that decides at the gate. Without a policy or a decision function, the built-in baseline decides. */
        public Builder policy(Policy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Something other than a policy that decides at the gate (a test double, a remote service); wins over {@link #policy}. */
        public Builder decisionFunction(DecisionFunction decisionFunction) {
            this.decisionFunction = Objects.requireNonNull(decisionFunction, "decisionFunction");
            return this;
        }

        /** The SQL analyser (its cache size, say); one of default size otherwise. */
        public Builder analyzer(SqlAnalyzer analyzer) {
            this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
            return this;
        }

        public Builder defaultIdentity(Identity identity) {
            this.defaultIdentity = identity;
            return this;
        }

        public Builder identityResolver(IdentityResolver resolver) {
            this.identityResolver = resolver;
            return this;
        }

        public Governance build() {
            return new Governance(this);
        }
    }
}
