package io.governed.jdbc.it;

import io.governed.identity.Identity;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.JdbcValues;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PooledSessionFixture} under a policy that lets every identity run anything but read the SSN in clear (unless a
 * pii-reader), with a second customer, Bob; and, besides the pool, one {@code jdbc:governed:} connection shared by
 * several identities, each statement run as one of them ({@link #sharedAs}): the fixture of the ITs on what one
 * identity leaves in a session (settings, variables, prepared statements, cursors, locks, channels) for the next.
 */
abstract class SessionLeftoversFixture extends PooledSessionFixture {
    /** Another identity no mask applies to: what it reads of the session is not masked. */
    static final Identity OTHER_READER =
            Identity.builder("rex").kind(io.governed.identity.IdentityKind.HUMAN).groups("pii-readers").build();
    private final List<Connection> shared = new ArrayList<>();
    private Path policyFile;

    SessionLeftoversFixture(String prefix) {
        super(prefix);
    }

    @Override
    String policy() {
        return """
                version: 1
                default: deny
                on-unparseable: allow
                classification:
                  auto-detect: false
                  tags:
                    pii.ssn: ["*.ssn"]
                rules:
                  - id: everyone-does-anything
                    effect: permit
                    principals: { kinds: [human, service, agent] }
                    actions: ["*"]
                    resources: ["*"]
                masks:
                  - id: mask-ids
                    columns: { tags: [pii.ssn] }
                    function: partial
                    keep-last: 4
                    unless: { groups: [pii-readers] }
                """;
    }

    @AfterEach
    void closeShared() throws Exception {
        for (Connection c : shared) {
            c.close();
        }
        if (policyFile != null) {
            Files.deleteIfExists(policyFile);
        }
    }

    /** A connection through {@code jdbc:governed:} under {@link #policy()}, with the delegate driver's {@code settings}. */
    Connection sharedConnection(Properties settings) throws Exception {
        if (policyFile == null) {
            policyFile = Files.createTempFile(getClass().getSimpleName(), ".yaml");
            Files.writeString(policyFile, policy());
        }
        Properties all = new Properties();
        all.putAll(settings);
        all.setProperty("governed.policy", policyFile.toString());
        Connection c = database().connectGoverned(all);
        shared.add(c);
        return c;
    }

    /** Runs {@code statements} on {@code c} as {@code identity}; returns the last one's first column. */
    static List<String> sharedAs(Connection c, Identity identity, String... statements) throws Exception {
        return IdentityContext.runAs(identity, () -> JdbcValues.firstColumnOfLast(c, statements));
    }

    /** Runs {@code statements} as {@code identity} in one borrowing of the GovernedDataSource; returns the last one's first column. */
    List<String> borrowAs(Identity identity, String... statements) throws Exception {
        return IdentityContext.runAs(identity, () -> {
            try (Connection c = governed.getConnection()) {
                return JdbcValues.firstColumnOfLast(c, statements);
            }
        });
    }

    /** Sets client info {@code name} to {@code value} on {@code c} as {@code identity}, and checks it reads back so. */
    static void setClientInfoAs(Connection c, Identity identity, String name, String value) throws Exception {
        IdentityContext.runAs(identity, () -> {
            java.util.Properties info = new java.util.Properties();
            info.setProperty(name, value);
            c.setClientInfo(info);
            assertThat(c.getClientInfo(name)).as("read back by who set it").isEqualTo(value);
            return null;
        });
    }

    /** What {@code identity} reads of {@code c}'s client info: every value, by {@code getClientInfo()} and by name. */
    static List<String> clientInfoAs(Connection c, Identity identity, String name) throws Exception {
        return IdentityContext.runAs(identity, () -> {
            List<String> read = new ArrayList<>();
            read.add(c.getClientInfo(name));
            c.getClientInfo().values().forEach(v -> read.add(String.valueOf(v)));
            return read;
        });
    }

    /** What {@code identity} reads of client info in a borrowing of its own ({@link #clientInfoAs}). */
    List<String> borrowedClientInfoAs(Identity identity, String name) throws Exception {
        try (Connection c = IdentityContext.runAs(identity, () -> governed.getConnection())) {
            return clientInfoAs(c, identity, name);
        }
    }

    /** Sets client info in a borrowing of its own as {@code identity}. */
    void borrowSettingClientInfo(Identity identity, String name, String value) throws Exception {
        try (Connection c = IdentityContext.runAs(identity, () -> governed.getConnection())) {
            setClientInfoAs(c, identity, name, value);
        }
    }

    static void assertLeftoverRefused(Connection c, Identity identity, String sql) {
        assertThatThrownBy(() -> sharedAs(c, identity, sql)).as(sql)
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                .hasMessageContaining("another identity's statements left");
    }
}
