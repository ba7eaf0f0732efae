package io.governed.spring.boot;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.identity.IdentityResolver;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.ClassUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The signed-in user of Spring Security as the identity of each statement: the authentication's name as
 * principal (kind {@code human}), its authorities as groups ({@code ROLE_ADMIN} as {@code ADMIN}; others,
 * {@code SCOPE_orders.read} say, as they are), and for a JWT the claims whose values are text, numbers or
 * booleans as identity attributes ({@code tenant}, {@code email}, …). A web user never states a purpose this
 * way, so no request can claim the {@code migration} purpose.
 * No authentication, or an anonymous one, resolves nothing, and the next source of identity is used.
 */
public class SpringSecurityIdentityResolver implements IdentityResolver {
    private static final boolean JWT = ClassUtils.isPresent("org.springframework.security.oauth2.jwt.Jwt",
            SpringSecurityIdentityResolver.class.getClassLoader());
    private static final String ROLE_PREFIX = "ROLE_";

    @Override
    public Identity currentIdentity() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken || authentication.getName() == null) {
            return null;
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
    }
}
