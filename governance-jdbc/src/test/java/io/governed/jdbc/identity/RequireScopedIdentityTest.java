package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * With governed.identity.require-scoped=true a statement that has neither a scoped (runAs) nor a
 * resolved identity is refused with 28000 and a message saying how to fix it, instead of running as
 * the connection's or the default identity; nothing of it reaches the gate. Work handed to a thread
 * without its scope is the case this catches.
 */
class RequireScopedIdentityTest {
    private static final Identity ALICE = Identity.human("alice");
    private final AtomicReference<Identity> resolved = new AtomicReference<>();
    private final GateWitness gate = new GateWitness(b -> b.requireScopedIdentity(true).identityResolver(resolved::get));
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static void assertRefusedForWantOfAScope(Throwable thrown) {
        assertThat(thrown).isInstanceOf(SQLException.class)
                .hasMessageContaining("governed.identity.require-scoped=true")
                .hasMessageContaining("IdentityContext.runAs").hasMessageContaining("IdentityContext.wrap");
        assertThat(((SQLException) thrown).getSQLState()).isEqualTo("28000");
    }

    @Test
    void aStatementWithoutAScopeIsRefusedEvenOnAConnectionWithItsOwnIdentity() throws SQLException {
        try (Connection c = gate.dataSource.getConnection()) {
            c.unwrap(GovernedConnection.class).setIdentity(Identity.builder("billing").kind(IdentityKind.SERVICE).build());
            assertRefusedForWantOfAScope(org.assertj.core.api.Assertions.catchThrowable(() -> c.createStatement().execute("SELECT 1")));
            assertRefusedForWantOfAScope(org.assertj.core.api.Assertions.catchThrowable(() -> c.prepareStatement("SELECT 2")));
        }
        assertThat(gate.decisions.requests()).as("nothing reached the gate").isEmpty();
    }

    @Test
    void aScopedOrAResolvedIdentityIsEnough() throws Exception {
        assertThat(gate.ranAs(IdentityContext.runAs(ALICE, () -> gate.run("scoped")))).isEqualTo("alice");
        resolved.set(Identity.human("resolved-bob"));
        assertThat(gate.ranAs(gate.run("resolved"))).isEqualTo("resolved-bob");
    }

    @Test
    void workHandedToAnotherThreadWithoutItsScopeIsRefusedAndWithItRuns() throws Exception {
        Future<String> lost = IdentityContext.runAs(ALICE, () -> pool.submit(() -> gate.run("lost")));
        assertThatThrownBy(lost::get).isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertRefusedForWantOfAScope(e.getCause()));
        Future<String> carried = IdentityContext.runAs(ALICE, () -> IdentityContext.wrap(pool).submit(() -> gate.run("carried")));
        assertThat(gate.ranAs(carried.get())).isEqualTo("alice");
        assertThat(gate.decisions.sqlSeen()).containsExactly("SELECT 'carried'");
    }

    @Test
    void theSettingIsReadFromTheConnectionPropertiesAndTakesTrueOrFalse() throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("governed.principal", "app");
        settings.setProperty("governed.identity.require-scoped", "true");
        String url = "jdbc:governed:h2:mem:require-scoped-" + UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(url, settings); Statement st = c.createStatement()) {
            assertRefusedForWantOfAScope(org.assertj.core.api.Assertions.catchThrowable(() -> st.execute("SELECT 1")));
            IdentityContext.runAs(ALICE, () -> st.execute("SELECT 1"));
        }
        settings.setProperty("governed.identity.require-scoped", "always");
        assertThatThrownBy(() -> DriverManager.getConnection(url, settings)).isInstanceOf(SQLException.class)
                .hasMessageContaining("governed.identity.require-scoped").hasMessageContaining("true or false")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    }
}
