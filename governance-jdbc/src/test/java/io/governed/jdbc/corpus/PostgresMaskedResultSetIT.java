package io.governed.jdbc.corpus;

import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Masking behaviours that depend on pgjdbc: base names of view and derived columns, refcursors, typed getters. */
@RequiresDatabase(TestDatabase.POSTGRESQL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresMaskedResultSetIT {
    private static final String DATABASE = "governed_masking_rs";
    private final PostgresCorpusDatabase postgres = new PostgresCorpusDatabase();
    private Connection analyst;

    @BeforeAll
    void fixture() throws SQLException {
        Servers.ensurePostgresDatabase(DATABASE);
        try (Connection raw = postgres.raw(DATABASE); Statement s = raw.createStatement()) {
            s.execute("DROP TABLE IF EXISTS people CASCADE");
            s.execute("CREATE TABLE people (id int PRIMARY KEY, name text, ssn text, card_number bigint)");
            s.execute("INSERT INTO people VALUES (1, 'Ada', '219-45-6789', 4111111111111111)");
            s.execute("CREATE OR REPLACE FUNCTION people_cursor() RETURNS refcursor LANGUAGE plpgsql AS "
                    + "$$ DECLARE c refcursor := 'people_cursor'; BEGIN OPEN c FOR SELECT id, ssn FROM people; RETURN c; END $$");
        }
        analyst = postgres.governedAnalyst(DATABASE);
    }

    @AfterAll
    void close() throws SQLException {
        if (analyst != null) {
            analyst.close();
        }
    }

    @Test
    void aDerivedTableStarIsMaskedByTheBaseColumnsPgjdbcNames() throws SQLException {
        try (Statement s = analyst.createStatement();
             ResultSet rs = s.executeQuery("SELECT d.* FROM (SELECT id, ssn AS tax_ref FROM people) d")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getString("tax_ref")).isEqualTo("*******6789");
        }
    }

    @Test
    void aNumericCardIsMaskedInItsOwnType() throws SQLException {
        try (Statement s = analyst.createStatement(); ResultSet rs = s.executeQuery("SELECT card_number FROM people")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1111L);
            assertThat(rs.getObject(1)).isEqualTo(1111L);
            assertThat(rs.getString(1)).isEqualTo("1111");
        }
    }

    @Test
    void aRefcursorsRowsAreMaskedAsTheirMetadataSays() throws SQLException {
        analyst.setAutoCommit(false);
        try (Statement s = analyst.createStatement(); ResultSet rs = s.executeQuery("SELECT people_cursor()")) {
            rs.next();
            try (ResultSet cursor = (ResultSet) rs.getObject(1)) {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.getInt("id")).isEqualTo(1);
                assertThat(cursor.getString("ssn")).isEqualTo("*******6789");
            }
        } finally {
            analyst.rollback();
            analyst.setAutoCommit(true);
        }
    }

    @Test
    void pgjdbcsOwnResultSetIsNotHandedOut() throws SQLException {
        try (Statement s = analyst.createStatement(); ResultSet rs = s.executeQuery("SELECT ssn FROM people")) {
            assertThatThrownBy(() -> rs.unwrap(org.postgresql.PGResultSetMetaData.class.getClassLoader()
                    .loadClass("org.postgresql.jdbc.PgResultSet").asSubclass(ResultSet.class)))
                    .isInstanceOf(GovernanceException.class);
        }
    }
}
