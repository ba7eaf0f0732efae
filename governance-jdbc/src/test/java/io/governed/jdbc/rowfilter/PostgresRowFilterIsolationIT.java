package io.governed.jdbc.rowfilter;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.GovernanceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRowFilterIsolationIT extends RowFilterIsolationCorpus {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    boolean keysAreTheChangedRows(String template) {
        return true;
    }

    @Override
    boolean driverTakesKeyIndexes() {
        return false;
    }

    @Override
    List<String> spellingsOfTheFilterColumn() {
        return List.of("TENANT_ID", "Tenant_Id", "\"tenant_id\"");
    }

    @Override
    String upsertSetting() {
        return "INSERT INTO {O} (id, tenant_id, total) VALUES (1, 't1', 0) ON CONFLICT (id) DO UPDATE SET {C} = 't2'";
    }

    /**
     * {@code "TENANT_ID"} is another column than {@code tenant_id} on PostgreSQL: setting it is not refused and moves no
     * row; an INSERT naming it is still checked with the value of the real filter column, or refused without one.
     */
    @Test
    void aQuotedColumnInAnotherCaseIsAnotherColumnAndTheChecksFindTheRealOne() throws SQLException {
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute(sql("ALTER TABLE {O} ADD COLUMN \"TENANT_ID\" varchar(10)"));
        }
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql("UPDATE {O} SET \"TENANT_ID\" = 't2' WHERE id IN (1, 3)"))).isEqualTo(1);
            assertThat(st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (1, 't1', 0) "
                    + "ON CONFLICT (id) DO UPDATE SET \"TENANT_ID\" = 'x'"))).isEqualTo(1);
            assertThat(st.executeUpdate(sql("MERGE INTO {O} o USING (SELECT 2 AS id) s ON o.id = s.id "
                    + "WHEN MATCHED THEN UPDATE SET \"TENANT_ID\" = 't2'"))).isEqualTo(1);
            assertThatThrownBy(() -> st.executeUpdate(sql("INSERT INTO {O} (id, \"TENANT_ID\", total) VALUES (9, 't1', 1)")))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("does not give the column tenant_id");
            assertThatThrownBy(() -> st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, \"TENANT_ID\", total) "
                    + "VALUES (9, 't2', 't1', 1)"))).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("does not pass the filter");
            assertThatThrownBy(() -> st.executeUpdate(sql("MERGE INTO {O} o USING (SELECT 9 AS id) s ON o.id = s.id "
                    + "WHEN NOT MATCHED THEN INSERT (id, \"TENANT_ID\", tenant_id) VALUES (9, 't1', 't2')")))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("does not pass the filter");
            assertThat(st.executeUpdate(sql("INSERT INTO {O} (id, \"TENANT_ID\", tenant_id, total) VALUES (9, 't2', 't1', 1)")))
                    .isEqualTo(1);
        }
        assertOtherTenantIntact("a quoted column in another case");
        assertThat(rawCount(sql("{O} WHERE tenant_id = 't1'"))).isEqualTo(3);
        assertThat(rawCount(sql("{O} WHERE \"TENANT_ID\" IS NOT NULL AND id IN (3, 4)"))).isZero();
        assertThat(rawCount(sql("{O} WHERE id = 1 AND tenant_id = 't1' AND \"TENANT_ID\" = 'x'"))).isEqualTo(1);
    }

    /**
     * The filter's condition is written into the statement, where PostgreSQL resolves its operators and functions through
     * the session's search path: a schema ahead of pg_catalog that holds its own {@code =} for text (a careless migration,
     * an extension, another team's schema) would make {@code tenant_id = 't1'} true for every row. The other tenant's
     * rows must stay out of reach, whatever the path says.
     */
    @Test
    void anOperatorOfTheSessionsSearchPathAheadOfPgCatalogDoesNotOpenTheFilter() throws Exception {
        String schema = io.governed.jdbc.support.UniqueNames.of("rf_ops");
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            st.execute("CREATE FUNCTION " + schema + ".always(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true'");
            st.execute("CREATE OPERATOR " + schema + ".= (LEFTARG = text, RIGHTARG = text, FUNCTION = " + schema + ".always)");
        }
        Thread.sleep(1_100); // what user code shadows is read again at most once a second per database, shared
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema + ", pg_catalog, public");
            List<String> ran = new java.util.ArrayList<>();
            for (String statement : List.of("SELECT id FROM {O} ORDER BY id", "SELECT count(*) FROM {O}", "DELETE FROM {O}")) {
                // the statements name no = themselves: the filter's condition does
                try {
                    st.execute(sql(statement));
                    ran.add(statement);
                } catch (SQLException refused) {
                    assertThat((Exception) refused).as(statement).isInstanceOf(GovernanceException.class)
                            .hasMessageContaining("tenant-isolation").hasMessageContaining("names =")
                            .hasMessageContaining("outside pg_catalog");
                    assertThat(refused.getSQLState()).isEqualTo("42501");
                }
            }
            assertThat(ran).as("statements run with the filter's = resolved through the search path").isEmpty();
        } finally {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
            // what user code shadows is read again at most once a second, per database, shared by its connections:
            // until then every statement naming = on this database stays refused
            Thread.sleep(1_100);
        }
        assertOtherTenantIntact("an operator of the search path");
    }

    /** PostgreSQL's own forms: LATERAL, RETURNING, UPDATE … FROM, DELETE … USING, DISTINCT ON, FILTER. */
    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT x.id FROM {I} i, LATERAL (SELECT o.id FROM {O} o WHERE o.id = i.order_id) x",
            "SELECT x.id FROM {I} i LEFT JOIN LATERAL (SELECT * FROM {O} o WHERE o.id >= i.order_id) x ON true WHERE x.id IS NOT NULL",
            "SELECT DISTINCT ON (tenant_id) id FROM {O} ORDER BY tenant_id, id DESC",
            "SELECT count(*) FILTER (WHERE tenant_id = 't2') FROM {O}",
            "UPDATE {O} SET total = 0 WHERE id = 3 RETURNING id",
            "UPDATE {O} SET total = 0 RETURNING id",
            "DELETE FROM {O} WHERE tenant_id = 't2' RETURNING id",
            "UPDATE {I} SET order_id = o.id FROM {O} o WHERE o.id = {I}.order_id AND o.tenant_id = 't2' RETURNING {I}.order_id",
            "DELETE FROM {I} USING {O} o WHERE o.id = {I}.order_id AND o.tenant_id = 't2' RETURNING {I}.order_id",
            "UPDATE {O} o SET total = 0 FROM {I} i WHERE i.order_id = o.id RETURNING o.id",
    })
    void postgresFormsSeeAndChangeOnlyTheCallersRows(String template) throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(ids(st.executeQuery(sql(template)))).as(template).allSatisfy(v -> assertThat(v).isBetween(0L, 2L));
            assertThat(st.execute(sql(template))).as(template).isTrue();
            assertThat(ids(st.getResultSet())).as(template).allSatisfy(v -> assertThat(v).isBetween(0L, 2L));
            assertThat(st.getMoreResults()).as(template).isFalse();
        }
        assertOtherTenantIntact(template);
    }

    /** A write with a RETURNING list of its own, run with generated keys: the keys are the caller's changed rows alone. */
    @Test
    void aWriteReturningItsOwnListGivesTheCallersKeysAlone() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql("UPDATE {O} SET total = 7 WHERE id IN (1, 3) RETURNING id"),
                    Statement.RETURN_GENERATED_KEYS)).isEqualTo(1);
            assertThat(keyIds(st.getGeneratedKeys())).containsExactly(1L);
            assertThat(st.executeUpdate(sql("DELETE FROM {I} WHERE order_id IN (SELECT id FROM {O}) RETURNING id"),
                    new String[] {"id"})).isEqualTo(2);
            assertThat(keyIds(st.getGeneratedKeys())).containsExactlyInAnyOrder(11L, 12L);
        }
        assertOtherTenantIntact("RETURNING with keys");
    }

    /**
     * The warnings of a rewritten statement are those the database raised running the rewrite; a routine's notice
     * reaches the caller the filter restricts withheld, as a routine may compose it with any value.
     */
    @Test
    void theWarningsOfARewrittenStatementAreTheRewrites() throws SQLException {
        String noisy = sql("{O}_noisy");
        try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
            st.execute("CREATE OR REPLACE FUNCTION " + noisy + "() RETURNS integer AS $$ BEGIN RAISE NOTICE 'rewrite ran'; "
                    + "RETURN 1; END $$ LANGUAGE plpgsql");
        }
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(ids(st.executeQuery(sql("SELECT id FROM {O} WHERE " + noisy + "() = 1 ORDER BY id")))).containsExactly(1L, 2L);
            assertThat((Object) st.getWarnings()).isNotNull();
            assertThat(st.getWarnings().getMessage()).doesNotContain("rewrite ran").contains("withheld");
            assertThat(st.getWarnings().getSQLState()).isEqualTo("00000");
            st.clearWarnings();
            assertThat((Object) st.getWarnings()).isNull();
        } finally {
            try (Connection raw = database().connectRaw(); Statement st = raw.createStatement()) {
                st.execute("DROP FUNCTION IF EXISTS " + noisy + "()");
            }
        }
    }

    /** A MERGE with a DO NOTHING branch cannot be restricted (it is not parsed): it is refused and changes nothing. */
    @Test
    void mergeWithDoNothingIsRefused() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate(sql("MERGE INTO {O} o USING (SELECT 3 AS id) s ON o.id = s.id "
                    + "WHEN MATCHED THEN DO NOTHING WHEN NOT MATCHED THEN INSERT (id, tenant_id, total) VALUES (9, 't2', 0)")))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("could not be parsed");
        }
        assertOtherTenantIntact("MERGE … DO NOTHING");
        assertThat(rawCount(sql("{O}"))).isEqualTo(4);
    }

    /**
     * ON CONFLICT … DO UPDATE updates only a row the filter admits: a conflict on another tenant's row leaves it as it
     * was (and inserts nothing); setting the column the filter reads is refused; DO NOTHING is checked like any INSERT.
     */
    @Test
    void anUpsertUpdatesOnlyTheCallersRows() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (3, 't1', 0) "
                    + "ON CONFLICT (id) DO UPDATE SET total = 0"))).isZero();
            assertThat(st.executeUpdate(sql("INSERT INTO {O} AS o (id, tenant_id, total) VALUES (4, 't1', 0) "
                    + "ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total WHERE o.total > 0 OR 1 = 1"))).isZero();
            assertThat(st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (1, 't1', 7), (9, 't1', 7) "
                    + "ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total"))).isEqualTo(2);
            assertThatThrownBy(() -> st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (3, 't1', 0) "
                    + "ON CONFLICT (id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id"))).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("tenant-isolation").hasMessageContaining("sets tenant_id");
            assertThatThrownBy(() -> st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (3, 't2', 0) "
                    + "ON CONFLICT (id) DO UPDATE SET total = 0"))).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("does not pass the filter");
            assertThatThrownBy(() -> st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (9, 't2', 0) "
                    + "ON CONFLICT DO NOTHING"))).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("does not pass the filter");
            assertThat(st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (3, 't1', 0), (10, 't1', 0) "
                    + "ON CONFLICT DO NOTHING"))).isEqualTo(1);
            assertThatThrownBy(() -> st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (11, E't1', 0)")))
                    .isInstanceOf(GovernanceException.class).hasMessageContaining("plain literal");
        }
        assertOtherTenantIntact("upserts");
        assertThat(rawCount(sql("{O} WHERE tenant_id = 't1'"))).isEqualTo(4);
        assertThat(rawCount(sql("{O} WHERE tenant_id = 't1' AND total = 7"))).isEqualTo(2);
    }

    /** INSERT … SELECT … ON CONFLICT DO UPDATE: the selected rows are checked and a conflict updates the caller's rows alone. */
    @Test
    void anInsertSelectUpsertUpdatesOnlyTheCallersRows() throws SQLException {
        try (Connection c = tenantOne(); Statement st = c.createStatement()) {
            // ids 3 and 4 are the other tenant's: the conflict finds them and leaves them as they were
            assertThat(st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) SELECT id + 2, tenant_id, 5 FROM {O} "
                    + "ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total"))).isZero();
            assertThat(st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) SELECT id + 1, 't1', 6 FROM {O} "
                    + "ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total"))).isEqualTo(1);
            assertThatThrownBy(() -> st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) SELECT id + 2, 't2', 5 "
                    + "FROM {O} ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total"))).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("does not pass the filter");
            assertThatThrownBy(() -> st.executeUpdate(sql("INSERT INTO {O} (id, tenant_id, total) SELECT id + 2, tenant_id, 5 "
                    + "FROM {O} ON CONFLICT (id) DO UPDATE SET tenant_id = 't1'"))).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("sets tenant_id");
        }
        assertOtherTenantIntact("INSERT … SELECT upserts");
        assertThat(rawCount(sql("{O} WHERE tenant_id = 't1' AND total = 6"))).isEqualTo(1);
        assertThat(rawCount(sql("{O}"))).isEqualTo(4);
    }

    /** A prepared upsert and its batch: each entry that conflicts with another tenant's row leaves it alone. */
    @Test
    void aPreparedUpsertBatchUpdatesOnlyTheCallersRows() throws SQLException {
        try (Connection c = tenantOne();
             java.sql.PreparedStatement ps = c.prepareStatement(sql("INSERT INTO {O} (id, tenant_id, total) VALUES (?, ?, ?) "
                     + "ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total + ?"))) {
            int[][] entries = {{1, 50}, {3, 50}, {9, 50}, {4, 50}};
            for (int[] entry : entries) {
                ps.setInt(1, entry[0]);
                ps.setString(2, "t1");
                ps.setInt(3, entry[1]);
                ps.setInt(4, 1);
                ps.addBatch();
            }
            assertThat(ps.executeBatch()).containsExactly(1, 0, 1, 0);
            ps.setInt(1, 3);
            ps.setString(2, "t2");
            ps.setInt(3, 0);
            ps.setInt(4, 0);
            assertThatThrownBy(ps::executeUpdate).isInstanceOf(GovernanceException.class)
                    .hasMessageContaining("does not pass the filter");
        }
        assertOtherTenantIntact("prepared upserts");
        assertThat(rawCount(sql("{O} WHERE id = 1 AND total = 51"))).isEqualTo(1);
        assertThat(rawCount(sql("{O} WHERE id = 9 AND tenant_id = 't1' AND total = 50"))).isEqualTo(1);
    }
}
