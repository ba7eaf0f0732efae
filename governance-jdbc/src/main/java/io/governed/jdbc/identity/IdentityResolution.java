package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.identity.token.InvalidTokenException;
import io.governed.jdbc.identity.token.ServiceToken;
import io.governed.jdbc.identity.token.TokenRefusal;
import io.governed.jdbc.identity.token.TokenVerifier;
import io.governed.jdbc.identity.token.VerifiedIdentities;

import java.sql.SQLException;

/**
 * Who a statement runs as, decided when it runs, first found wins: the {@link IdentityContext#runAs
 * scoped identity} of the calling thread, the application's {@link IdentityResolver}, the connection's
 * own identity, the service account's verified token, then the configured default identity.
 *
 * <p>With {@code governed.identity.require-scoped=true} the last two are never used: a statement that
 * has neither a scoped nor a resolved identity is refused (SQLState 28000), so work handed to another
 * thread without its identity cannot run as whoever opened the connection.
 *
 * <p>A statement whose identity, found so, is the {@code migrationPrincipal} and states no purpose runs
 * with the purpose {@value #MIGRATION_PURPOSE}: policies (the baseline among them) let schema migrations
 * do what they exempt that purpose from, and each of its statements is audited with that purpose. An identity of
 * that name the resolver gives (a signed-in user's, which a user may choose), or a scope's identity a token was
 * verified for (a request's bearer token, whose principal a user may choose), or a connection's own or the default
 * identity a token was verified for, is refused (SQLState 28000) instead: the
 * name is only trusted where the application or its settings give it, the connection's service token
 * ({@code governed.identity.token}) included.
 *
 * <p>An identity verified from a token runs statements only until the token expires (beyond the clock
 * skew): then they are refused (SQLState 28000). One that claims to be verified but that no token verifier
 * of this process made is taken as asserted ({@link VerifiedIdentities}). The connection's service token
 * ({@code governed.identity.token}) is verified again then, and, read again from its file, may go on.
 *
 * @param resolver           the application's resolver, or {@code null}
 * @param defaultIdentity    the identity of statements that have no other, or {@code null}
 * @param requireScoped      whether a scoped or resolved identity is required
 * @param migrationPrincipal the principal that runs schema migrations ({@code governed.migration.principal}), or {@code null}
 * @param verifier           the token verifier ({@code governed.identity.jwks}), or {@code null}
 * @param serviceToken       the service account's token, the connection's identity when it asserts none, or {@code null}
 */
public record IdentityResolution(IdentityResolver resolver, Identity defaultIdentity, boolean requireScoped,
                                 String migrationPrincipal, TokenVerifier verifier, ServiceToken serviceToken) {

    /** The purpose of schema migrations, as policies name it. */
    public static final String MIGRATION_PURPOSE = "migration";

    public IdentityResolution(IdentityResolver resolver, Identity defaultIdentity, boolean requireScoped) {
        this(resolver, defaultIdentity, requireScoped, null, null, null);
    }

    public IdentityResolution(IdentityResolver resolver, Identity defaultIdentity, boolean requireScoped,
                              String migrationPrincipal) {
        this(resolver, defaultIdentity, requireScoped, migrationPrincipal, null, null);
    }

    /**
     * The identity a statement run now, on this thread, on a connection whose own identity is
     * {@code connectionIdentity}, is checked as; {@code null} when there is none at all.
     *
     * @throws SQLException (28000) when a scoped or resolved identity is required and there is none
     */
    public Identity current(Identity connectionIdentity) throws SQLException {
        Identity found = VerifiedIdentities.established(find(connectionIdentity));
        if (found != null && found.isVerified() && expired(found)) {
            throw new InvalidTokenException(TokenRefusal.EXPIRED, "this statement's identity was verified from a token "
                    + "that has expired since; run the work with a fresh token");
        }
        if (found != null && isMigrationPrincipal(found)) {
            return found.toBuilder().purpose(MIGRATION_PURPOSE).build();
        }
        return found;
    }

    /**
     * Whether what {@link #current} gives on a thread whose scoped identity is {@code scoped}, for a connection whose own
     * identity is {@code connectionIdentity}, follows from these two alone, equal every time they are the same objects:
     * there is no resolver and no service token to ask, a scope is not required in vain, and the identity found is not
     * one verified from a token (whose expiry and vouching change with time). A reader asking for the current identity
     * at every value may then keep its answer while both stay the same.
     */
    public boolean fixedBy(Identity scoped, Identity connectionIdentity) {
        if (resolver != null || serviceToken != null || scoped == null && requireScoped) {
            return false;
        }
        Identity found = scoped != null ? scoped : connectionIdentity != null ? connectionIdentity : defaultIdentity;
        return found == null || !found.isVerified();
    }

    /** Whether {@code identity} is the migration principal stating no purpose, which runs with the migration purpose. */
    private boolean isMigrationPrincipal(Identity identity) {
        return migrationPrincipal != null && identity.purpose() == null && identity.principal().equals(migrationPrincipal);
    }

    private Identity find(Identity connectionIdentity) throws SQLException {
        Identity current = IdentityContext.scopedOrNull();
        if (current != null) {
            return notATokenOfTheMigrationPrincipal(current, "scope", false);
        }
        if ((current = resolvedIdentity()) != null) {
            return current;
        }
        if (requireScoped) {
            throw GovernanceException.failedClosed("No scoped identity on thread '" + Thread.currentThread().getName()
                    + "', and governed.identity.require-scoped=true refuses statements that would run as the connection's "
                    + "or the default identity. Run the work inside IdentityContext.runAs(identity, work); for work handed "
                    + "to other threads, submit it through IdentityContext.wrap(executor) (or wrap the task), or register "
                    + "the context-propagation accessor with your reactive library",
                    GovernanceException.SQLSTATE_NO_IDENTITY, null);
        }
        if (connectionIdentity != null) {
            return notATokenOfTheMigrationPrincipal(connectionIdentity, "connection (GovernedConnection.setIdentity)", true);
        }
        return serviceToken != null ? serviceToken.identity() : notATokenOfTheMigrationPrincipal(defaultIdentity,
                "governance's default identity", true);
    }

    /**
     * {@code identity}, unless a token verifier vouched for it and it names the migration principal (as its subject, or
     * as the actor of a delegated token): a token's principal is the issuer's, which a user or client of the issuer may
     * choose, so it is refused (28000) wherever the application hands it over, a scope, a connection's own identity or
     * the default. Only the connection's service token ({@code governed.identity.token}), which the settings give, may
     * name it, as the connection's identity ({@code settingsTrusted}), never in a scope.
     */
    private Identity notATokenOfTheMigrationPrincipal(Identity identity, String where, boolean settingsTrusted)
            throws SQLException {
        if (identity != null && identity.isVerified() && VerifiedIdentities.vouchedFor(identity)
                && isMigrationPrincipal(identity) && !(settingsTrusted && VerifiedIdentities.fromSettings(identity))) {
            throw GovernanceException.failedClosed("This statement's " + where + " runs as an identity verified from a "
                    + "token that names the principal of governed.migration.principal, which would run it with the "
                    + "purpose '" + MIGRATION_PURPOSE + "' and the exemptions schema work has. A token's principal is "
                    + "the issuer's (a user's, who may choose it), never taken as the migration identity outside the "
                    + "connection's own settings: run schema work on a connection whose governed.principal or "
                    + "governed.identity.token names it, and give no user or client of the issuer that name",
                    GovernanceException.SQLSTATE_NO_IDENTITY, null);
        }
        return identity;
    }

    /**
     * The identity the application's resolver gives on this thread now, or {@code null} when there is no resolver or it
     * gives none; what work handed to another thread should run as when the thread has no scoped identity. One named as
     * the migration principal is refused (28000), as for a statement: a resolver's identity (a signed-in user's, whose
     * name a user may choose) is never taken as the migration identity, and a scope made of it would be.
     *
     * @throws SQLException the resolver's refusal, or the refusal of the migration principal's name
     */
    public Identity resolvedIdentity() throws SQLException {
        if (resolver == null) {
            return null;
        }
        Identity resolved;
        try {
            resolved = resolver.currentIdentity();
        } catch (IdentityRefusedException e) {
            throw e.refusal();
        }
        if (resolved != null && isMigrationPrincipal(resolved)) {
            throw GovernanceException.failedClosed("The application's identity resolver gave this statement the "
                    + "identity named as governed.migration.principal, which would run it with the purpose '"
                    + MIGRATION_PURPOSE + "' and the exemptions schema work has. A resolver's identity (a signed-in "
                    + "user's, a request's) is never taken as the migration identity: run schema work inside "
                    + "IdentityContext.runAs, or on a connection of its own whose governed.principal names it, and "
                    + "give no user that name", GovernanceException.SQLSTATE_NO_IDENTITY, null);
        }
        return resolved;
    }

    private boolean expired(Identity identity) {
        if (verifier != null) {
            return verifier.expired(identity);
        }
        return java.time.Instant.now().isAfter(identity.provenance().expiresAt().plus(TokenVerifier.DEFAULT_CLOCK_SKEW));
    }
}
