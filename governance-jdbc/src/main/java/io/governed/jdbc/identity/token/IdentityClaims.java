package io.governed.jdbc.identity.token;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.identity.IdentityProvenance;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes an {@link Identity} of a verified token's claims as a {@link ClaimMapping} says. A token with
 * an {@code act} claim (RFC 8693) is an actor acting for the token's subject: the identity is the
 * actor's (kind {@code agent} unless its claims say otherwise), acting on behalf of the subject with
 * the subject's own groups. Nested {@code act} claims are earlier actors: the outermost is the current
 * one, and the chain reads current actor → earlier actors → subject.
 */
final class IdentityClaims {
    /** Deepest {@code act} nesting accepted. */
    static final int MAX_ACTORS = 8;
    private static final String ACT = "act";
    /** Claims whose value equal to {@code sub} marks a token a client obtained for itself (client credentials). */
    private static final List<String> CLIENT_ID_CLAIMS = List.of("cid", "client_id", "azp", "appid", "oid");

    private final ClaimMapping mapping;
    private final Set<String> allowedActors;

    IdentityClaims(ClaimMapping mapping, Set<String> allowedActors) {
        this.mapping = mapping;
        this.allowedActors = allowedActors;
    }

    Identity identity(Map<String, Object> claims, IdentityProvenance provenance) throws InvalidTokenException {
        Map<String, String> attributes = attributes(claims);
        Identity.Builder subject = party(claims, attributes, provenance,
                kindOf(claims, serviceToken(claims) ? IdentityKind.SERVICE : IdentityKind.HUMAN));
        List<Map<String, Object>> actors = actors(claims);
        if (actors.isEmpty()) {
            return subject.purpose(purpose(claims)).build();
        }
        Identity current = subject.build();
        for (int i = actors.size() - 1; i >= 0; i--) { // innermost (earliest) actor first
            Map<String, Object> actor = actors.get(i);
            Identity.Builder b = party(actor, attributes, provenance, kindOf(actor, IdentityKind.AGENT)).onBehalfOf(current);
            current = i == 0 ? b.purpose(purpose(claims)).build() : b.build();
            if (!allowedActors.isEmpty() && !allowedActors.contains(current.principal())) {
                throw new InvalidTokenException(TokenRefusal.ACTOR_NOT_ALLOWED, null);
            }
        }
        return current;
    }

    /** The {@code act} claims, outermost (the current actor) first. */
    private static List<Map<String, Object>> actors(Map<String, Object> claims) throws InvalidTokenException {
        List<Map<String, Object>> actors = new ArrayList<>();
        Object act = claims.get(ACT);
        while (act != null) {
            if (!(act instanceof Map<?, ?> map)) {
                throw new InvalidTokenException(TokenRefusal.BAD_CLAIM, "act must be a JSON object");
            }
            if (actors.size() == MAX_ACTORS) {
                throw new InvalidTokenException(TokenRefusal.BAD_CLAIM, "act is nested deeper than " + MAX_ACTORS);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> actor = (Map<String, Object>) map;
            actors.add(actor);
            act = actor.get(ACT);
        }
        return actors;
    }

    /**
     * One party of the token: the subject, or an actor (from its {@code act} object). The attributes are
     * the token's (a tenant, say), the same for every party.
     */
    private Identity.Builder party(Map<String, Object> claims, Map<String, String> attributes, IdentityProvenance provenance,
                                   IdentityKind kind) throws InvalidTokenException {
        Identity.Builder b = Identity.builder(principal(claims)).kind(kind).provenance(provenance);
        for (String path : mapping.groups()) {
            for (Object value : ClaimMapping.values(claims, path)) {
                b.groups(texts(value, path));
            }
        }
        attributes.forEach(b::attribute);
        return b;
    }

    /** The identity attributes the token's top-level claims give (scalar values only). */
    private Map<String, String> attributes(Map<String, Object> claims) {
        Map<String, String> attributes = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> attribute : mapping.attributes().entrySet()) {
            for (Object value : ClaimMapping.values(claims, attribute.getValue())) {
                if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                    attributes.put(attribute.getKey(), value.toString());
                }
            }
        }
        return attributes;
    }

    private String principal(Map<String, Object> claims) throws InvalidTokenException {
        for (String path : mapping.principal()) {
            for (Object value : ClaimMapping.values(claims, path)) {
                if (value instanceof String text && !text.isBlank()) {
                    return exact(text, path);
                }
            }
        }
        throw new InvalidTokenException(TokenRefusal.MISSING_CLAIM, "none of " + String.join(", ", mapping.principal())
                + " names the principal; set governed.identity.claim.principal");
    }

    private IdentityKind kindOf(Map<String, Object> claims, IdentityKind otherwise) throws InvalidTokenException {
        if (mapping.kind() == null) {
            return otherwise;
        }
        List<Object> values = ClaimMapping.values(claims, mapping.kind());
        if (values.isEmpty()) {
            return otherwise;
        }
        try {
            return IdentityKind.parse(values.get(0) instanceof String text ? text : null);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException(TokenRefusal.BAD_CLAIM, mapping.kind() + " must be human, service or agent");
        }
    }

    private String purpose(Map<String, Object> claims) {
        if (mapping.purpose() == null) {
            return null;
        }
        return ClaimMapping.values(claims, mapping.purpose()).stream()
                .filter(String.class::isInstance).map(String.class::cast).findFirst().orElse(null);
    }

    /**
     * Whether a client obtained the token for itself (OAuth client credentials): Auth0's
     * {@code gty}, Entra's {@code idtyp: app}, a Keycloak service account, or a subject equal to the
     * client id (Okta's {@code cid}, Cognito's {@code client_id}, Entra's {@code oid} of an app).
     */
    static boolean serviceToken(Map<String, Object> claims) {
        if ("client-credentials".equals(claims.get("gty")) || "app".equals(claims.get("idtyp"))) {
            return true;
        }
        if (claims.get("preferred_username") instanceof String name && name.startsWith("service-account-")) {
            return true;
        }
        Object sub = claims.get("sub");
        return sub != null && CLIENT_ID_CLAIMS.stream().anyMatch(claim -> sub.equals(claims.get(claim)));
    }

    /**
     * A name as the issuer signed it. One with white space at either end or a control character is refused rather than
     * trimmed: trimmed, {@code "dba\u0000"} or {@code " dba"} would become {@code dba}, a name the issuer did not vouch
     * for. A blank text is left as it is (it names nothing and is skipped).
     */
    private static String exact(String text, String path) throws InvalidTokenException {
        if (text.isBlank()) {
            return text;
        }
        boolean control = text.chars().anyMatch(Character::isISOControl);
        if (control || !text.strip().equals(text)) {
            throw new InvalidTokenException(TokenRefusal.BAD_CLAIM, path + " must not begin or end with white space nor hold "
                    + "control characters (a name is never trimmed into another)");
        }
        return text;
    }

    private static Collection<String> texts(Object value, String path) throws InvalidTokenException {
        if (value instanceof String text) {
            return List.of(exact(text, path));
        }
        if (value instanceof Collection<?> list) {
            List<String> texts = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String text)) {
                    throw new InvalidTokenException(TokenRefusal.BAD_CLAIM, path + " must be a list of strings");
                }
                texts.add(exact(text, path));
            }
            return texts;
        }
        throw new InvalidTokenException(TokenRefusal.BAD_CLAIM, path + " must be a string or a list of strings");
    }
}
