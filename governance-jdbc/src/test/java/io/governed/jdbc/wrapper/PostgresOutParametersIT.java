package io.governed.jdbc.wrapper;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.policy.load.PolicyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/*
 * A function that returns a masked column's value through an OUT parameter: the value cannot be traced, so a
 * caller the mask applies to is refused at the getter (nothing of the value in the error), and a caller the
 * mask exempts reads it as the driver gives it.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresOutParametersIT {
    private static final String SSN = "536-22-9876";
    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String table = "out_people_" + suffix;
    private final String function = "ssn_of_" + suffix;
    private final PGSimpleDataSource pg = new PGSimpleDataSource();

    @BeforeEach
    void database() throws SQLException {
        pg.setURL(TestDatabase.POSTGRESQL.rawUrl());
        pg.setUser(TestDatabase.POSTGRESQL.user());
        pg.setPassword(TestDatabase.POSTGRESQL.password());
        try (Connection c = pg.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, ssn text)");
            s.execute("INSERT INTO " + table + " VALUES (1, '" + SSN + "')");
            s.execute("CREATE FUNCTION " + function + "(p int) RETURNS text LANGUAGE sql AS 'SELECT ssn FROM " + table
                    + " WHERE id = p'");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Connection c = pg.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP FUNCTION IF EXISTS " + function + "(int)");
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void anOutParameterIsRefusedToACallerTheMaskAppliesToAndReadByOneItExempts() throws SQLException {
        Governance governance = Governance.builder().withoutAudit().policy(PolicyLoader.fromString("out.yaml", """
                version: 1
                classification: { tags: { pii.ssn: ["*.ssn"] } }
                rules: [{ id: analysts, effect: permit, principals: { groups: [analysts] }, actions: ["*"] }]
                masks: [{ id: mask-ssn, columns: { tags: [pii.ssn] }, function: redact, unless: { groups: [pii-readers] } }]
                """)).build();
        GovernedDataSource app = new GovernedDataSource(pg, governance);
        String call = "{? = call " + function + "(?)}";
        try (Connection c = app.getConnection()) {
            IdentityContext.runAs(Identity.builder("ana").groups("analysts").build(), () -> {
                try (CallableStatement cs = c.prepareCall(call)) {
                    cs.registerOutParameter(1, Types.VARCHAR);
                    cs.setInt(2, 1);
                    cs.execute();
                    assertThatThrownBy(() -> cs.getString(1)).isInstanceOf(SQLException.class)
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"))
                            .hasMessageContaining("OUT parameters").hasMessageNotContaining(SSN);
                    assertThatThrownBy(() -> cs.getObject(1)).hasMessageNotContaining(SSN);
                    assertThatThrownBy(() -> cs.getBytes(1)).hasMessageNotContaining(SSN);
                }
            });
            IdentityContext.runAs(Identity.builder("pia").groups("analysts", "pii-readers").build(), () -> {
                try (CallableStatement cs = c.prepareCall(call)) {
                    cs.registerOutParameter(1, Types.VARCHAR);
                    cs.setInt(2, 1);
                    cs.execute();
                    assertThat(cs.getString(1)).isEqualTo(SSN);
                }
            });
        }
    }
}
