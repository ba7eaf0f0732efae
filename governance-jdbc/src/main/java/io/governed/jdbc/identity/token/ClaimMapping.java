package io.governed.jdbc.identity.token;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which claims of a verified token make the identity. A claim path is a top-level claim name
 * ({@code cognito:groups}, {@code https://example.com/roles}), or a dotted path into nested claims
 * ({@code realm_access.roles}); {@code *SUFFIX} takes every top-level claim whose name ends with
 * {@code SUFFIX} (Auth0's namespaced claims: {@code *}{@code /roles}).
 *
 * @param principal  claims naming the principal, the first present wins
 * @param groups     claims holding groups or roles (a list of strings, or one string), all taken
 * @param kind       the claim holding {@code human}, {@code service} or {@code agent}, or {@code null}:
 *                   then a client-credentials token is a service and any other a human
 * @param purpose    the claim holding the purpose, or {@code null}
 * @param attributes identity attribute name → claim
 * @param audience   claims that may hold the expected audience ({@code aud}; Cognito access tokens use {@code client_id})
 */
public record ClaimMapping(List<String> principal, List<String> groups, String kind, String purpose,
                           Map<String, String> attributes, List<String> audience) {

    /** The names {@link #preset} knows. */
    public static final List<String> PRESETS = List.of("standard", "okta", "entra", "keycloak", "auth0", "cognito");

    private static final List<String> AUD = List.of("aud");

    /** {@code sub}, {@code groups}: what most OpenID Connect providers issue. */
    public static final ClaimMapping STANDARD = new ClaimMapping(List.of("sub"), List.of("groups"), null, null, Map.of(), AUD);

    public ClaimMapping {
        principal = List.copyOf(principal);
        if (principal.isEmpty()) {
            throw new IllegalArgumentException("a claim mapping needs at least one principal claim, like sub");
        }
        groups = List.copyOf(groups);
        attributes = Map.copyOf(attributes);
        audience = List.copyOf(audience);
        if (audience.isEmpty()) {
            throw new IllegalArgumentException("a claim mapping needs at least one audience claim, like aud");
        }
    }

    /**
     * The preset for an identity provider: {@code standard}, {@code okta} ({@code groups}), {@code entra}
     * ({@code oid}; {@code groups} and app {@code roles}), {@code keycloak} ({@code preferred_username};
     * {@code realm_access.roles}), {@code auth0} (namespaced {@code …/groups} and {@code …/roles} claims),
     * {@code cognito} ({@code username}; {@code cognito:groups}; audience in {@code aud} or {@code client_id}).
     *
     * @throws IllegalArgumentException naming the presets for any other name
     */
    public static ClaimMapping preset(String name) {
        String key = name == null ? "standard" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "", "standard", "okta" -> STANDARD;
            case "entra" -> new ClaimMapping(List.of("oid", "sub"), List.of("groups", "roles"), null, null, Map.of(), AUD);
            case "keycloak" -> new ClaimMapping(List.of("preferred_username", "sub"), List.of("realm_access.roles", "groups"),
                    null, null, Map.of(), AUD);
            case "auth0" -> new ClaimMapping(List.of("sub"), List.of("*/groups", "*/roles"), null, null, Map.of(), AUD);
            case "cognito" -> new ClaimMapping(List.of("username", "cognito:username", "sub"), List.of("cognito:groups"),
                    null, null, Map.of(), List.of("aud", "client_id"));
            default -> throw new IllegalArgumentException("unknown claim mapping preset '" + name + "': use one of "
                    + String.join(", ", PRESETS));
        };
    }

    public ClaimMapping withPrincipal(List<String> claims) {
        return new ClaimMapping(claims, groups, kind, purpose, attributes, audience);
    }

    public ClaimMapping withGroups(List<String> claims) {
        return new ClaimMapping(principal, claims, kind, purpose, attributes, audience);
    }

    public ClaimMapping withKind(String claim) {
        return new ClaimMapping(principal, groups, claim, purpose, attributes, audience);
    }

    public ClaimMapping withPurpose(String claim) {
        return new ClaimMapping(principal, groups, kind, claim, attributes, audience);
    }

    /** This mapping, also taking identity attribute {@code name} from {@code claim}. */
    public ClaimMapping withAttribute(String name, String claim) {
        Map<String, String> more = new LinkedHashMap<>(attributes);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(claim, "claim"));
        return new ClaimMapping(principal, groups, kind, purpose, more, audience);
    }

    /** The values of the claim at {@code path} in {@code claims}: none when absent. */
    static List<Object> values(Map<String, Object> claims, String path) {
        List<Object> found = new ArrayList<>();
        if (path.startsWith("*") && path.length() > 1) {
            String suffix = path.substring(1);
            claims.forEach((name, value) -> {
                if (name.endsWith(suffix)) {
                    found.add(value);
                }
            });
            return found;
        }
        if (claims.containsKey(path)) {
            found.add(claims.get(path));
            return found;
        }
        Object at = claims;
        for (String part : path.split("\\.")) {
            if (!(at instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return found;
            }
            at = map.get(part);
        }
        found.add(at);
        return found;
    }
}
