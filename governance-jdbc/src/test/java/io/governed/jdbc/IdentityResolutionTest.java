package io.governed.jdbc;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.RecordingDecisions;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each statement is checked as: scoped identity, then the resolver's, then the connection's, then the default. */
class IdentityResolutionTest {
    private final Identity alice = Identity.builder("alice").groups("analysts").build();
    private final Identity bob = Identity.human("bob");
    private final Identity service = Identity.builder("billing").kind(IdentityKind.SERVICE).build();
    private final Identity fallback = Identity.human("default-user");
    private final RecordingDecisions decisions = new RecordingDecisions();
    private final AtomicReference<Identity> resolved = new AtomicReference<>();

    private Connection connection() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:identity");
        Governance governance = Governance.builder().decisionFunction(decisions)
                .defaultIdentity(fallback).identityResolver(resolved::get).build();
        return new GovernedDataSource(h2, governance).getConnection();
    }

    private String lastPrincipal() {
        return decisions.last().identity().principal();
    }

    @Test
    void precedenceIsScopedThenResolverThenConnectionThenDefault() throws SQLException {
        try (Connection c = connection()) {
            c.createStatement().execute("SELECT 1");
            assertThat(lastPrincipal()).isEqualTo("default-user");

            c.unwrap(GovernedConnection.class).setIdentity(service);
            c.createStatement().execute("SELECT 1");
            assertThat(lastPrincipal()).isEqualTo("billing");

            resolved.set(bob);
            c.createStatement().execute("SELECT 1");
            assertThat(lastPrincipal()).isEqualTo("bob");

            IdentityContext.runAs(alice, () -> c.createStatement().execute("SELECT 1"));
            assertThat(lastPrincipal()).isEqualTo("alice");

            c.createStatement().execute("SELECT 1");
            assertThat(lastPrincipal()).as("the scope has ended").isEqualTo("bob");
        }
    }

    @Test
    void scopesNestAndTheOuterIdentityIsBackAfterAnException() throws SQLException {
        try (Connection c = connection()) {
            IdentityContext.runAs(alice, () -> {
                assertThatThrownBy(() -> IdentityContext.runAs(bob, () -> {
                    c.createStatement().execute("SELECT 1");
                    throw new SQLException("boom");
                })).hasMessage("boom");
                assertThat(lastPrincipal()).isEqualTo("bob");
                c.createStatement().execute("SELECT 1");
                assertThat(lastPrincipal()).isEqualTo("alice");
            });
            assertThat(IdentityContext.scoped()).isEmpty();
        }
    }

    @Test
    void aScopeOnOneThreadIsInvisibleToAnother() throws Exception {
        try (Connection c = connection()) {
            AtomicReference<String> seenElsewhere = new AtomicReference<>();
            IdentityContext.runAs(alice, () -> {
                Thread other = new Thread(() -> {
                    try {
                        c.createStatement().execute("SELECT 1");
                        seenElsewhere.set(lastPrincipal());
                    } catch (SQLException e) {
                        seenElsewhere.set(e.toString());
                    }
                });
                other.start();
                other.join();
            });
            assertThat(seenElsewhere.get()).isEqualTo("default-user");
        }
    }

    @Test
    void anAgentCarriesWhomItActsForAndWhy() {
        Identity agent = Identity.builder("support-bot").kind(IdentityKind.AGENT)
                .onBehalfOf(alice).purpose("refund ticket 4711").build();
        assertThat(agent.describe()).isEqualTo("support-bot for alice");
        assertThat(agent.onBehalfOf().groups()).containsExactly("analysts");
        assertThat(agent.purpose()).isEqualTo("refund ticket 4711");
    }
}
