package io.governed.jdbc.masking;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver's own read of a column gives auto-detection each value as a result's getters would: a LOB's content, an
 * array's elements, never the text a driver's object describes itself by (which would count as a value holding nothing,
 * and settle a column of addresses as clean).
 */
class ColumnReadsTest {

    private static Object first(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return ColumnReads.detectable(rs.getObject(1));
        }
    }

    @Test
    void aLobIsReadAsItsContent() throws Exception {
        assertThat((byte[]) first("SELECT CAST(X'616E6E406578616D706C652E6F7267' AS BLOB)"))
                .isEqualTo("ann@example.org".getBytes(StandardCharsets.UTF_8));
        assertThat(first("SELECT CAST('ann@example.org' AS CLOB)")).isEqualTo("ann@example.org");
    }

    @Test
    void anArrayIsReadAsItsElements() throws Exception {
        assertThat(first("SELECT ARRAY['ann@example.org', NULL, 'bob@example.org']"))
                .isEqualTo("ann@example.org, bob@example.org");
        assertThat(first("SELECT ARRAY[ARRAY[1, 2], ARRAY[3]]")).isEqualTo("1, 2, 3");
    }

    @Test
    void aValueOfAnyOtherTypeIsNotReadAsItsDescription() throws Exception {
        assertThat(first("SELECT ROW('ann@example.org', 1)")).isSameAs(ColumnReads.NOT_DETECTABLE);
        assertThat(ColumnReads.detectable(new Object())).isSameAs(ColumnReads.NOT_DETECTABLE);
        assertThat(first("SELECT ARRAY[ROW('ann@example.org', 1)]")).isSameAs(ColumnReads.NOT_DETECTABLE);
    }

    @Test
    void textNumbersAndBytesAreReadAsTheyAre() throws Exception {
        assertThat(first("SELECT 'room 12'")).isEqualTo("room 12");
        assertThat(first("SELECT 42")).isEqualTo(42);
        assertThat(ColumnReads.detectable(null)).isNull();
    }

    @Test
    void anHstoreIsReadAsItsKeysAndValuesAndPgjdbcsObjectsAsTheyAre() throws Exception {
        java.util.Map<String, String> hstore = new java.util.LinkedHashMap<>();
        hstore.put("mail", "ann@example.org");
        hstore.put("room", null);
        assertThat(ColumnReads.detectable(hstore)).isEqualTo("mail, ann@example.org, room");
        assertThat(ColumnReads.detectable(java.util.Map.of("k", new Object()))).isSameAs(ColumnReads.NOT_DETECTABLE);
        org.postgresql.geometric.PGpoint point = new org.postgresql.geometric.PGpoint(1, 2);
        assertThat(ColumnReads.detectable(point)).isSameAs(point);
        assertThat(first("SELECT INTERVAL '3' DAY")).hasToString("INTERVAL '3' DAY");
    }
}
