package io.governed.jdbc.channels;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL, the channels besides messages: a SQLState a routine composes from a value it reads ({@code RAISE
 * USING ERRCODE}), notifications ({@code pg_notify} of a masked value, then {@code PGConnection.getNotifications}),
 * and generated keys of a table whose default column is masked. Routines live in a database of this test's own.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresOtherChannelsIT {
    private static final String DATABASE = UniqueNames.of("ec_channels_db");
    private static final String SECRET = "73915";
    private static Path policy;

    private static String url(String prefix) {
        return prefix + "postgresql://127.0.0.1:5432/" + DATABASE;
    }

    @BeforeAll
    static void database() throws Exception {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        }
        try (Connection c = DriverManager.getConnection(url("jdbc:"), "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE people (id serial PRIMARY KEY, name text, ssn text DEFAULT '" + SECRET + "42')");
            s.execute("INSERT INTO people (name, ssn) VALUES ('a', '" + SECRET + "')");
            s.execute("CREATE FUNCTION coded(v text) RETURNS text LANGUAGE plpgsql AS $$"
                    + " BEGIN RAISE EXCEPTION 'no' USING ERRCODE = left(v, 5); END $$");
        }
        policy = Files.createTempFile("ec-other", ".yaml");
        Files.writeString(policy, PostgresErrorChannelsIT.POLICY.replace("actions: [select, call]", "actions: [select, call, insert]"));
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
    }

    private static Connection analyst() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "");
        p.setProperty("governed.policy", policy.toString());
        p.setProperty("governed.principal", "ana");
        p.setProperty("governed.groups", "analysts");
        return DriverManager.getConnection(url("jdbc:governed:"), p);
    }

    private static void assertNoSecret(List<String> texts) {
        assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(SECRET));
    }

    @Test
    void aSqlStateARoutineComposesFromAMaskedValueDoesNotReachAMaskedCaller() throws SQLException {
        try (Connection c = analyst(); Statement s = c.createStatement()) {
            SQLException e = org.assertj.core.api.Assertions.catchThrowableOfType(SQLException.class,
                    () -> s.executeQuery("SELECT coded(ssn) FROM people").next());
            assertThat((Throwable) e).isNotNull();
            assertNoSecret(ErrorChannelsSpec.texts(e));
            assertThat(e.getSQLState()).isNotEqualTo(SECRET);
        }
    }

    @Test
    void aNotificationOfAMaskedValueIsRefusedOrUnreachable() throws SQLException {
        try (Connection c = analyst(); Statement s = c.createStatement()) {
            List<String> texts = new ArrayList<>();
            try {
                s.execute("LISTEN ec_channel");
                try (ResultSet rs = s.executeQuery("SELECT pg_notify('ec_channel', ssn) FROM people")) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
            } catch (SQLException e) {
                texts.addAll(ErrorChannelsSpec.texts(e));
            }
            try {
                PGNotification[] notifications = c.unwrap(PGConnection.class).getNotifications();
                for (PGNotification n : notifications == null ? new PGNotification[0] : notifications) {
                    texts.add(n.getName() + " " + n.getParameter());
                }
            } catch (SQLException refused) {
                texts.addAll(ErrorChannelsSpec.texts(refused));
            }
            assertNoSecret(texts);
        }
    }

    @Test
    void generatedKeysShowAMaskedDefaultColumnMasked() throws SQLException {
        try (Connection c = analyst(); Statement s = c.createStatement()) {
            List<String> texts = new ArrayList<>();
            try {
                s.executeUpdate("INSERT INTO people (name) VALUES ('b')", Statement.RETURN_GENERATED_KEYS);
                try (ResultSet keys = s.getGeneratedKeys()) {
                    int n = keys.getMetaData().getColumnCount();
                    while (keys.next()) {
                        for (int i = 1; i <= n; i++) {
                            texts.add(String.valueOf(keys.getObject(i)));
                            texts.add(String.valueOf(keys.getString(i)));
                            texts.add(String.valueOf(keys.getBytes(i) == null ? null : new String(keys.getBytes(i))));
                        }
                    }
                }
            } catch (SQLException e) {
                texts.addAll(ErrorChannelsSpec.texts(e));
            }
            try {
                s.executeUpdate("INSERT INTO people (name) VALUES ('c')", new String[] {"ssn"});
                try (ResultSet keys = s.getGeneratedKeys()) {
                    while (keys.next()) {
                        texts.add(String.valueOf(keys.getObject(1)));
                        texts.add(String.valueOf(keys.getString(1)));
                    }
                }
            } catch (SQLException e) {
                texts.addAll(ErrorChannelsSpec.texts(e));
            }
            assertNoSecret(texts);
        }
    }
}
