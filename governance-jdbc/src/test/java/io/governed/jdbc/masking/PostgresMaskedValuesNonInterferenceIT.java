package io.governed.jdbc.masking;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * {@link MaskedValuesNonInterferenceSpec} on PostgreSQL: the two databases are two schemas, each connection's only
 * one ({@code currentSchema}), and the generated expressions use PostgreSQL's functions and casts, whose errors on some
 * values (a cast of a digit that is not one) an agent must not see either.
 */
class PostgresMaskedValuesNonInterferenceIT extends MaskedValuesNonInterferenceSpec {
    private static final String SCHEMA_A = UniqueNames.of("ni_a");
    private static final String SCHEMA_B = UniqueNames.of("ni_b");
    private static Readers readers;

    @BeforeContainer
    static void databases() throws SQLException {
        TestDatabase.POSTGRESQL.requireReachable();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            for (String schema : List.of(SCHEMA_A, SCHEMA_B)) {
                s.execute("CREATE SCHEMA " + schema);
                s.execute("SET search_path TO " + schema);
                fill(s, schema.equals(SCHEMA_A) ? SSNS_A : SSNS_B);
            }
        }
        readers = Readers.over(schema(SCHEMA_A), schema(SCHEMA_B));
    }

    private static PGSimpleDataSource schema(String schema) {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(TestDatabase.POSTGRESQL.rawUrl());
        pg.setUser(TestDatabase.POSTGRESQL.user());
        pg.setCurrentSchema(schema);
        return pg;
    }

    @AfterContainer
    static void close() throws SQLException {
        if (readers != null) {
            readers.close();
        }
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA_A + ", " + SCHEMA_B + " CASCADE");
        }
    }

    @Override
    Connection governed(boolean a, boolean agent) {
        return readers.of(a, agent);
    }

    @Override
    String asIfOneDatabase(String outcome) {
        return outcome.replace(SCHEMA_A, "<schema>").replace(SCHEMA_B, "<schema>");
    }

    @Override
    List<String> leaves() {
        return List.of("c.ssn", "c.ssn", "c.name", "'123'", "'-'", "CAST(c.id AS TEXT)");
    }

    @Override
    List<String> unaryForms() {
        return List.of(
                "UPPER(%s)", "LOWER(%s)", "TRIM(%s)", "LEFT(%s, 3)", "RIGHT(%s, 2)", "SUBSTRING(%s, 1, 4)",
                "SUBSTRING(%s FROM 2 FOR 3)", "REPLACE(%s, '-', '')", "LPAD(%s, 14, '*')", "CAST(LENGTH(%s) AS TEXT)",
                "CAST(%s AS VARCHAR(20))", "%s::text", "CAST(ASCII(%s) AS TEXT)", "CAST(STRPOS(%s, '1') AS TEXT)",
                "ENCODE(CONVERT_TO(%s, 'UTF8'), 'hex')", "CONCAT(%s, '')", "MD5(%s)", "REVERSE(%s)",
                "CAST(CAST(SUBSTRING(%s, 1, 1) AS INT) AS TEXT)", "CAST(%s IS NULL AS TEXT)",
                "CAST(%s LIKE '1%%' AS TEXT)", "CAST(%s = '123-45-6789' AS TEXT)", "CAST(%s ~ '^1' AS TEXT)",
                "TRANSLATE(%s, '0123456789', 'abcdefghij')", "CAST(ARRAY[%s] AS TEXT)", "ARRAY_TO_STRING(ARRAY[%s], ',')",
                "REGEXP_REPLACE(%s, '[0-4]', 'x', 'g')", "SPLIT_PART(%s, '-', 2)", "INITCAP(%s)", "QUOTE_LITERAL(%s)",
                "FORMAT('%%s', %s)", "TO_JSON(%s)::text", "CAST(OCTET_LENGTH(%s) AS TEXT)");
    }
}
