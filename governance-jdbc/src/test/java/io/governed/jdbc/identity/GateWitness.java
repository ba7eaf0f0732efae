package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.gate.GateRequest;
import io.governed.jdbc.support.RecordingDecisions;
import org.h2.jdbcx.JdbcDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * An H2 data source governed by a recording decision function: each statement is tagged with a
 * marker, and the gate tells which identity the statement with that marker was checked as.
 */
final class GateWitness {
    static final Identity DEFAULT = Identity.human("app-default");

    final RecordingDecisions decisions = new RecordingDecisions();
    final GovernedDataSource dataSource;

    GateWitness() {
        this(b -> b);
    }

    GateWitness(UnaryOperator<Governance.Builder> settings) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:identity-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        dataSource = new GovernedDataSource(h2,
                settings.apply(Governance.builder().decisionFunction(decisions).defaultIdentity(DEFAULT)).build());
    }

    /** Runs the statement tagged {@code marker} on a connection of its own, and returns the marker. */
    String run(String marker) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql(marker));
        }
        return marker;
    }

    /** The principal the statement tagged {@code marker} was checked as at the gate. */
    String ranAs(String marker) {
        String sql = sql(marker);
        return decisions.requests().stream().filter(r -> r.sql().sql().equals(sql)).map(GateRequest::identity)
                .map(Identity::principal).reduce((a, b) -> {
                    throw new AssertionError("the statement tagged " + marker + " reached the gate twice");
                }).orElseThrow(() -> new AssertionError("the statement tagged " + marker + " never reached the gate"));
    }

    private static String sql(String marker) {
        return "SELECT '" + marker + "'";
    }
}
