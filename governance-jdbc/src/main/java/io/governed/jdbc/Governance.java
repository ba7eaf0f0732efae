package io.governed.jdbc;

import io.governed.identity.Identity;
import io.governed.jdbc.config.GovernedSettings;
import io.governed.jdbc.gate.DecisionFunction;
import io.governed.jdbc.gate.StatementGate;
import io.governed.jdbc.identity.IdentityResolver;

import java.sql.SQLException;
import java.util.Objects;

/**
 * One governance runtime: the gate and what decides at it, the default identity, and the identity
 * resolver. Connections made with the same governance settings share one runtime.
 *
 * <pre>{@code
 * Governance governance = Governance.builder()
 *         .decisionFunction(myDecisions)
 *         .defaultIdentity(Identity.builder("billing").kind(IdentityKind.SERVICE).build())
 *         .build();
 * DataSource ds = new GovernedDataSource(pool, governance);
 * }</pre>
 */
public final class Governance {
    private final StatementGate gate;
    private final Identity defaultIdentity;
    private final IdentityResolver identityResolver;

    private Governance(Builder b) {
        this.gate = new StatementGate(b.decisionFunction);
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
        Objects.requireNonNull(settings, "settings");
        return builder().defaultIdentity(defaultIdentity).build();
    }

    public StatementGate gate() {
        return gate;
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
        private DecisionFunction decisionFunction = DecisionFunction.ALLOW_ALL;
        private Identity defaultIdentity;
        private IdentityResolver identityResolver;

        private Builder() {
        }

        /** What decides at the gate. */
        public Builder decisionFunction(DecisionFunction decisionFunction) {
            this.decisionFunction = Objects.requireNonNull(decisionFunction, "decisionFunction");
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
