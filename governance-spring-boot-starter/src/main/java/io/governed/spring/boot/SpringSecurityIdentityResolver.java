package io.governed.spring.boot;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.GovernanceException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.governed.jdbc.identity.IdentityRefusedException;
import io.governed.jdbc.identity.IdentityResolver;
import io.governed.jdbc.identity.token.InvalidTokenException;
import io.governed.jdbc.identity.token.TokenVerifier;
import io.governed.jdbc.identity.token.VerifiedToken;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.ClassUtils;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The signed-in user of Spring Security as the identity of each statement: the authentication's name as
 * principal (kind {@code human}), its authorities as groups ({@code ROLE_ADMIN} as {@code ADMIN}; others,
 * {@code SCOPE_orders.read} say, as they are), and for a JWT the claims whose values are text, numbers or
 * booleans as identity attributes ({@code tenant}, {@code email}, …). A web user never states a purpose this
 * way, and no request can be given the {@code migration} purpose by its name either: the driver gives that
 * purpose to any identity named as {@code governed.migration.principal} that states none, so a signed-in user
 * (or a verified token) whose name is the migration principal's (a user who registered as
 * {@code schema-owner}, say) would drop and retype tables as the migration does. Such an authentication
 * refuses the statement (SQLState 28000) instead; the migration principal is a name for schema work at
 * startup, never for a web request.
 * No authentication, or an anonymous one, resolves nothing, and the next source of identity is used.
 *
 * <p>With verified identity set up ({@code governed.identity.jwks}, {@code .issuer}, {@code .audience}), a
 * JWT authentication's bearer token is verified by the driver's own verifier instead, and the statement
 * runs as the verified identity it vouches for (an agent acting for a person, when the token has an
 * {@code act} claim); a token the verifier refuses refuses the statement (SQLState 28000). Verified
 * tokens are remembered for up to five minutes, never past their own expiry (and the verifier's clock skew), so a
 * request's statements verify its token once.
 */
public class SpringSecurityIdentityResolver implements IdentityResolver {
    private static final boolean JWT = ClassUtils.isPresent("org.springframework.security.oauth2.jwt.Jwt",
            SpringSecurityIdentityResolver.class.getClassLoader());
    private static final String ROLE_PREFIX = "ROLE_";
    private volatile TokenVerifier verifier;
    private volatile String migrationPrincipal;
    private final Cache<String, VerifiedToken> verified = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(5)).build();

    /** Verifies JWT authentications' bearer tokens with {@code verifier} ({@code null}: take their claims as they are). */
    public void useVerifier(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * Refuses authentications whose identity is named {@code principal} ({@code governed.migration.principal};
     * {@code null}: none is refused), so that no web request runs with the migration purpose.
     */
    public void refuseMigrationPrincipal(String principal) {
        this.migrationPrincipal = principal == null || principal.isBlank() ? null : principal.trim();
    }

    @Override
    public Identity currentIdentity() {
        return notTheMigrationPrincipal(resolve());
    }

    private Identity notTheMigrationPrincipal(Identity identity) {
        String migration = migrationPrincipal;
        if (identity != null && migration != null && migration.equals(identity.principal())) {
            throw new IdentityRefusedException(GovernanceException.failedClosed("The signed-in user of this request is "
                    + "named as governed.migration.principal, the identity of schema work at startup, which the "
                    + "statement would run as with the purpose 'migration'. No web request runs as the migration "
                    + "principal: rename the user, or give governed.migration.principal a name no user can have",
                    GovernanceException.SQLSTATE_NO_IDENTITY, null));
        }
        return identity;
    }

    private Identity resolve() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken || authentication.getName() == null) {
            return null;
        }
        TokenVerifier tokens = verifier;
        Resolved last = lastResolved.get();
        if (last != null && last.isFor(authentication, tokens)
                && (tokens == null || !tokens.expired(last.identity))) {
            return last.identity;
        }
        Identity identity = resolve(authentication, tokens);
        if (identity != null && SPRINGS_OWN.test(authentication)) {
            lastResolved.set(new Resolved(authentication, tokens, identity));
        }
        return identity;
    }

    /**
     * Spring Security's own authentication classes, whose name, principal and authorities are fixed when they are made
     * ({@code AbstractAuthenticationToken} keeps its authorities in an unmodifiable list): an identity resolved from one
     * of them holds for as long as it is the same object with the same principal and authorities. An application's own
     * {@code Authentication} may compute them afresh at every call, so its identity is resolved at every call.
     */
    private static final java.util.function.Predicate<Authentication> SPRINGS_OWN =
            a -> a.getClass().getName().startsWith("org.springframework.security.");

    /**
     * The identity last resolved on this thread, and what it was resolved from (held weakly: a pooled thread does not
     * keep its last request's authentication alive). Every getter of a result with masks asks for the identity of the
     * statement's reader, and resolving it afresh (the authorities, a JWT's claims, a new {@link Identity}) costs about
     * half a microsecond: a request reading a hundred rows of ten columns would pay it a thousand times.
     */
    private final ThreadLocal<Resolved> lastResolved = new ThreadLocal<>();

    private static final class Resolved {
        final java.lang.ref.WeakReference<Authentication> authentication;
        final java.lang.ref.WeakReference<Object> principal;
        final java.lang.ref.WeakReference<Object> authorities;
        final String name;
        final TokenVerifier verifier;
        final Identity identity;

        Resolved(Authentication authentication, TokenVerifier verifier, Identity identity) {
            this.authentication = new java.lang.ref.WeakReference<>(authentication);
            this.principal = new java.lang.ref.WeakReference<>(authentication.getPrincipal());
            this.authorities = new java.lang.ref.WeakReference<>(authentication.getAuthorities());
            this.name = authentication.getName();
            this.verifier = verifier;
            this.identity = identity;
        }

        /** Whether {@code a} is the very authentication this was resolved from, unchanged, under the same verifier. */
        boolean isFor(Authentication a, TokenVerifier tokens) {
            return authentication.get() == a && verifier == tokens && principal.get() == a.getPrincipal()
                    && authorities.get() == a.getAuthorities() && name.equals(a.getName());
        }
    }

    private Identity resolve(Authentication authentication, TokenVerifier tokens) {
        String bearer = JWT && tokens != null ? JwtClaims.tokenValue(authentication.getPrincipal()) : null;
        if (bearer != null) {
            VerifiedToken token = verified.getIfPresent(bearer);
            if (token != null && tokens.expired(token.identity())) {
                // remembered, but expired since (beyond the clock skew): verified again, which refuses it
                verified.invalidate(bearer);
                token = null;
            }
            if (token == null) {
                try {
                    token = tokens.verify(bearer);
                } catch (InvalidTokenException e) {
                    throw new IdentityRefusedException(e);
                }
                verified.put(bearer, token);
            }
            return token.identity();
        }
        Identity.Builder identity = Identity.builder(authentication.getName()).kind(IdentityKind.HUMAN);
        List<String> groups = new ArrayList<>();
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            String name = authority.getAuthority();
            if (name != null && !name.isBlank()) {
                groups.add(name.startsWith(ROLE_PREFIX) ? name.substring(ROLE_PREFIX.length()) : name);
            }
        }
        identity.groups(groups);
        if (JWT) {
            Map<String, Object> claims = JwtClaims.of(authentication.getPrincipal());
            claims.forEach((name, value) -> {
                if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
                    identity.attribute(name, value.toString());
                }
            });
        }
        return identity.build();
    }

    /** Kept apart so that nothing of Spring Security's OAuth2 support is loaded where it is not on the classpath. */
    private static final class JwtClaims {
        static Map<String, Object> of(Object principal) {
            return principal instanceof org.springframework.security.oauth2.jwt.Jwt jwt ? jwt.getClaims() : Map.of();
        }

        static String tokenValue(Object principal) {
            return principal instanceof org.springframework.security.oauth2.jwt.Jwt jwt ? jwt.getTokenValue() : null;
        }
    }
}
