package io.governed.spring.boot;

import io.governed.identity.Identity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signed-in user as each statement's identity, asked for at every statement and, with masks, at every getter of a
 * result: resolved once per authentication (a request's statements and getters share it), and afresh whenever the
 * authentication is another, is signed out, or is an application's own class that may answer differently each time.
 */
class SignedInUserIdentityTest {
    private final SpringSecurityIdentityResolver resolver = new SpringSecurityIdentityResolver();

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aSignedInUsersIdentityIsResolvedOnceAndFollowsEveryChangeOfTheAuthentication() throws Exception {
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "RS256").claim("sub", "alice").claim("tenant", "acme")
                .claim("exp", Instant.now().plusSeconds(600)).build();
        JwtAuthenticationToken alice = new JwtAuthenticationToken(jwt, AuthorityUtils.createAuthorityList("ROLE_ANALYST"));
        SecurityContextHolder.getContext().setAuthentication(alice);
        Identity first = resolver.currentIdentity();
        assertThat(first.principal()).isEqualTo("alice");
        assertThat(first.groups()).containsExactly("ANALYST");
        assertThat(first.attributes()).containsEntry("tenant", "acme");
        assertThat(resolver.currentIdentity()).as("the same authentication, asked again").isSameAs(first);

        // the same user signed in again with other authorities: another authentication
        SecurityContextHolder.getContext().setAuthentication(
                new JwtAuthenticationToken(jwt, AuthorityUtils.createAuthorityList("ROLE_ADMIN")));
        assertThat(resolver.currentIdentity().groups()).containsExactly("ADMIN");

        // the first authentication marked as no longer authenticated resolves nothing
        SecurityContextHolder.getContext().setAuthentication(alice);
        assertThat(resolver.currentIdentity().groups()).containsExactly("ANALYST");
        alice.setAuthenticated(false);
        assertThat(resolver.currentIdentity()).isNull();

        // another thread's user is its own
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "bob", null, AuthorityUtils.createAuthorityList("ROLE_SUPPORT")));
        Identity bob = resolver.currentIdentity();
        Identity elsewhere = CompletableFuture.supplyAsync(() -> {
            SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                    "carol", null, AuthorityUtils.createAuthorityList("ROLE_BILLING")));
            try {
                return resolver.currentIdentity();
            } finally {
                SecurityContextHolder.clearContext();
            }
        }).get();
        assertThat(elsewhere.principal()).isEqualTo("carol");
        assertThat(resolver.currentIdentity()).isSameAs(bob);
        assertThat(bob.groups()).containsExactly("SUPPORT");
    }

    @Test
    void anApplicationsOwnAuthenticationIsAskedAtEveryCall() {
        ChangingAuthentication own = new ChangingAuthentication("dave");
        own.roles.add("ROLE_ANALYST");
        SecurityContextHolder.getContext().setAuthentication(own);
        assertThat(resolver.currentIdentity().groups()).containsExactly("ANALYST");

        // the same object, its authorities changed in place and handed out as the same list
        own.roles.set(0, "ROLE_INTERN");
        assertThat(resolver.currentIdentity().groups()).containsExactly("INTERN");
    }

    /** An application's own authentication whose authorities change in place. */
    private static final class ChangingAuthentication extends AbstractAuthenticationToken {
        final List<String> roles = new ArrayList<>();
        private final List<GrantedAuthority> view = new ArrayList<>();
        private final String name;

        ChangingAuthentication(String name) {
            super(List.of());
            this.name = name;
            setAuthenticated(true);
        }

        @Override
        public Collection<GrantedAuthority> getAuthorities() {
            view.clear();
            roles.forEach(r -> view.add(() -> r));
            return view;
        }

        @Override
        public Object getCredentials() {
            return null;
        }

        @Override
        public Object getPrincipal() {
            return name;
        }
    }
}
