package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.MemorySink;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code governed.identity.resolver}: an application's resolver for connections configured by URL alone. */
class ConfiguredIdentityResolverTest {
    private final String sink = "resolver-" + UUID.randomUUID();

    /** What a servlet filter would set for the request being served. */
    public static final class RequestUserResolver implements IdentityResolver {
        static final ThreadLocal<String> USER = new ThreadLocal<>();

        @Override
        public Identity currentIdentity() {
            String user = USER.get();
            return user == null ? null : Identity.builder(user).groups("web").build();
        }
    }

    /** Not a resolver. */
    public static final class NotAResolver {
    }

    @AfterEach
    void clear() {
        RequestUserResolver.USER.remove();
    }

    private Connection connect(String resolver) throws SQLException {
        Properties p = new Properties();
        p.setProperty("governed.principal", "app");
        p.setProperty("governed.audit", "memory:" + sink);
        p.setProperty("governed.identity.resolver", resolver);
        return DriverManager.getConnection("jdbc:governed:h2:mem:resolver-" + UUID.randomUUID(), p);
    }

    @Test
    void theNamedResolverIsAskedAtEachStatement() throws SQLException {
        try (Connection c = connect(RequestUserResolver.class.getName())) {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT 1");
                RequestUserResolver.USER.set("alice");
                st.execute("SELECT 2");
                RequestUserResolver.USER.set("bob");
                st.execute("SELECT 3");
            } // an event is complete when its results are closed
            c.unwrap(GovernedConnection.class).governance().flushAudit();
            List<AuditEvent> events = MemorySink.named(sink).events();
            assertThat(events).extracting(AuditEvent::principal).containsExactly("app", "alice", "bob");
            assertThat(events.get(1).groups()).containsExactly("web");
        }
    }

    @Test
    void aClassThatCannotBeLoadedIsAConfigurationError() {
        assertThatThrownBy(() -> connect("com.example.Missing"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("governed.identity.resolver names the class 'com.example.Missing', which is not on the classpath")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
        assertThatThrownBy(() -> connect(NotAResolver.class.getName()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("does not implement io.governed.jdbc.identity.IdentityResolver");
    }
}
