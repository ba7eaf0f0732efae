package io.governed.sql;

import static io.governed.sql.Analyses.first;
import static io.governed.sql.Analyses.maria;
import static io.governed.sql.Analyses.pg;
import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What kind of statement a text is, and which objects it reads and changes. */
class StatementKindTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "SELECT 1                                            | SELECT",
        "VALUES (1)                                          | SELECT",
        "TABLE t                                             | SELECT",
        "INSERT INTO t (a) VALUES (1)                        | INSERT",
        "UPDATE t SET a = 1 WHERE id = 2                     | UPDATE",
        "DELETE FROM t WHERE id = 2                          | DELETE",
        "MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id) | MERGE",
        "CREATE TABLE t (id int)                             | CREATE",
        "CREATE VIEW v AS SELECT * FROM t                    | CREATE",
        "CREATE INDEX i ON t (a)                             | CREATE",
        "ALTER TABLE t ADD COLUMN c varchar(10)              | ALTER",
        "DROP TABLE t                                        | DROP",
        "TRUNCATE t                                          | TRUNCATE",
        "RENAME TABLE a TO b                                 | RENAME",
        "COMMENT ON TABLE t IS 'x'                           | COMMENT",
        "GRANT SELECT ON t TO bob                            | GRANT",
        "REVOKE SELECT ON t FROM bob                         | REVOKE",
        "CALL p(1)                                           | CALL",
        "EXECUTE plan1(1)                                    | EXECUTE",
        "COPY t TO STDOUT                                    | COPY",
        "SET search_path = app                               | SET",
        "SHOW search_path                                    | SHOW",
        "EXPLAIN SELECT 1                                    | EXPLAIN",
        "LOCK TABLE t IN EXCLUSIVE MODE                      | LOCK",
        "BEGIN                                               | TRANSACTION",
        "START TRANSACTION                                   | TRANSACTION",
        "COMMIT                                              | TRANSACTION",
        "ROLLBACK                                            | TRANSACTION",
        "SAVEPOINT s1                                        | TRANSACTION",
        "VACUUM t                                            | OTHER",
        "ANALYZE t                                           | OTHER",
        "DO $$ BEGIN DELETE FROM t; END $$                   | DEFINE_CODE",
    })
    void actionOfEveryKindOfStatement(String sql, Action action) {
        assertThat(pg(sql).action()).isEqualTo(action);
    }

    @Test
    void useIsUse() {
        assertThat(maria("USE app").action()).isEqualTo(Action.USE);
    }

    @Test
    void selectReadsItsTablesThroughJoinsSubqueriesAndSetOperations() {
        StatementAnalysis s = pg("SELECT (SELECT max(x) FROM scalar_t) FROM a JOIN b ON a.id = b.id "
                + "LEFT JOIN (SELECT * FROM derived_t) d ON d.id = a.id "
                + "WHERE a.x IN (SELECT x FROM in_t) AND EXISTS (SELECT 1 FROM exists_t) "
                + "GROUP BY a.x HAVING count(*) > (SELECT count(*) FROM having_t) "
                + "UNION SELECT 1 FROM union_t EXCEPT SELECT 2 FROM except_t");
        assertThat(s.tablesRead()).containsExactlyInAnyOrder(table("scalar_t"), table("a"), table("b"), table("derived_t"),
                table("in_t"), table("exists_t"), table("having_t"), table("union_t"), table("except_t"));
        assertThat(s.tablesWritten()).isEmpty();
    }

    @Test
    void lateralSubqueriesAndValuesListsAreSeen() {
        assertThat(pg("SELECT * FROM t, LATERAL (SELECT * FROM u WHERE u.id = t.id) x").tablesRead())
                .containsExactlyInAnyOrder(table("t"), table("u"));
        assertThat(pg("SELECT * FROM (VALUES (1, 2)) v(a, b) WHERE a IN (SELECT id FROM w)").tablesRead())
                .containsExactly(table("w"));
    }

    @Test
    void cteNamesAreNotTablesButTheirBodiesTablesAre() {
        StatementAnalysis s = pg("WITH recent AS (SELECT * FROM orders), r2 AS (SELECT * FROM recent) SELECT * FROM r2 JOIN users ON true");
        assertThat(s.tablesRead()).containsExactlyInAnyOrder(table("orders"), table("users"));
    }

    @Test
    void aSchemaQualifiedNameNamedLikeACteIsATable() {
        assertThat(pg("WITH t AS (SELECT 1) SELECT * FROM app.t").tablesRead()).containsExactly(table("app", "t"));
    }

    @Test
    void namesAreNormalisedAsTheDatabaseWould() {
        assertThat(pg("SELECT * FROM App.\"Users\"").tablesRead()).containsExactly(table("app", "Users"));
        assertThat(first("SELECT * FROM app.users", Dialect.H2).tablesRead()).containsExactly(table("APP", "USERS"));
        assertThat(first("SELECT * FROM \"app\".\"users\"", Dialect.H2).tablesRead()).containsExactly(table("app", "users"));
        assertThat(maria("SELECT * FROM `My Schema`.`My Table`").tablesRead()).containsExactly(table("My Schema", "My Table"));
        assertThat(first("SELECT TOP 5 [Order Id] FROM [dbo].[Order Lines]", Dialect.SQLSERVER).tablesRead())
                .containsExactly(table("dbo", "Order Lines"));
    }

    @Test
    void insertWritesItsTargetAndReadsItsSource() {
        StatementAnalysis s = pg("INSERT INTO archive.orders (id) SELECT id FROM orders WHERE id < 10");
        assertThat(s.tablesWritten()).containsExactly(table("archive", "orders"));
        assertThat(s.tablesRead()).containsExactly(table("orders"));
        assertThat(s.has(Trait.UPSERT)).isFalse();
    }

    @Test
    void upsertsAreInsertsThatMayUpdate() {
        assertThat(pg("INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = excluded.a").traits()).contains(Trait.UPSERT);
        assertThat(maria("INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = 2").traits()).contains(Trait.UPSERT);
        StatementAnalysis ignored = pg("INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING");
        assertThat(ignored.action()).isEqualTo(Action.INSERT);
        assertThat(ignored.traits()).doesNotContain(Trait.UPSERT);
    }

    @Test
    void replaceIsAnUpsertThatAlsoDeletesCollidingRows() {
        var statements = Analyses.statements("REPLACE INTO t (a) VALUES (1)", Dialect.MARIADB);
        assertThat(statements).hasSize(2);
        assertThat(statements.get(0).action()).isEqualTo(Action.INSERT);
        assertThat(statements.get(0).traits()).contains(Trait.UPSERT);
        assertThat(statements.get(1).action()).isEqualTo(Action.DELETE);
        assertThat(statements.get(1).traits()).contains(Trait.NESTED);
        assertThat(statements.get(1).tablesWritten()).containsExactly(table("t"));
        assertThat(statements.get(1).where()).isEqualTo(WhereKind.PRESENT);
    }

    @Test
    void selectIntoAndCreateTableAsCopyData() {
        StatementAnalysis into = pg("SELECT * INTO backup FROM users");
        assertThat(into.traits()).contains(Trait.COPIES_DATA);
        assertThat(into.tablesWritten()).containsExactly(table("backup"));
        assertThat(into.tablesRead()).containsExactly(table("users"));
        assertThat(into.action()).as("SELECT … INTO creates the table it names").isEqualTo(Action.CREATE);
        StatementAnalysis ctas = pg("CREATE TABLE backup AS SELECT * FROM users");
        assertThat(ctas.traits()).contains(Trait.COPIES_DATA);
        assertThat(ctas.tablesWritten()).containsExactly(table("backup"));
        assertThat(ctas.tablesRead()).containsExactly(table("users"));
        assertThat(ctas.action()).isEqualTo(Action.CREATE);
        assertThat(pg("SELECT id INTO pg_temp.kept FROM users UNION SELECT id FROM orders").action()).isEqualTo(Action.CREATE);
    }

    @Test
    void dropNamesEveryObjectWithIfExistsAndCascade() {
        StatementAnalysis s = pg("DROP TABLE IF EXISTS a, app.b CASCADE");
        assertThat(s.action()).isEqualTo(Action.DROP);
        assertThat(s.tablesWritten()).containsExactlyInAnyOrder(table("a"), table("app", "b"));
        assertThat(s.traits()).contains(Trait.IF_EXISTS, Trait.CASCADE);
        assertThat(pg("DROP TABLE t RESTRICT").traits()).doesNotContain(Trait.CASCADE, Trait.IF_EXISTS);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "DROP VIEW v            | v",
        "DROP INDEX i           | i",
        "DROP SEQUENCE s        | s",
        "DROP FUNCTION f(int)   | f",
    })
    void dropOfOtherObjectsNamesThem(String sql, String name) {
        assertThat(pg(sql).tablesWritten()).containsExactly(table(name));
    }

    @Test
    void dropSchemaIsReportedAsEveryObjectInIt() {
        StatementAnalysis s = pg("DROP SCHEMA app CASCADE");
        // with CASCADE, what depends on its objects in other schemas too (a view, a foreign key): any table
        assertThat(s.tablesWritten()).containsExactly(table("app", "*"), table("*", "*"));
        assertThat(s.traits()).contains(Trait.CASCADE);
        assertThat(pg("DROP SCHEMA app").tablesWritten()).containsExactly(table("app", "*"));
    }

    @Test
    void truncateWritesItsTables() {
        StatementAnalysis s = pg("TRUNCATE app.t, u CASCADE");
        assertThat(s.tablesWritten()).containsExactlyInAnyOrder(table("app", "t"), table("u"));
        assertThat(s.traits()).contains(Trait.CASCADE);
        assertThat(pg("TRUNCATE ONLY t").tablesWritten()).containsExactly(table("t"));
        StatementAnalysis only = pg("TRUNCATE ONLY app.t, u CASCADE");
        assertThat(only.tablesWritten()).containsExactlyInAnyOrder(table("app", "t"), table("u"));
        assertThat(only.traits()).contains(Trait.CASCADE);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "ALTER TABLE t DROP COLUMN c              | DROPS_PART",
        "ALTER TABLE t DROP CONSTRAINT c          | DROPS_PART",
        "ALTER TABLE t DROP PARTITION p           | DROPS_PART",
        "ALTER TABLE t RENAME TO u                | RENAMES",
        "ALTER TABLE t RENAME COLUMN a TO b       | RENAMES",
        "RENAME TABLE t TO u                      | RENAMES",
        "GRANT ALL ON t TO bob                    | ALL_PRIVILEGES",
        "GRANT ALL PRIVILEGES ON TABLE t TO bob   | ALL_PRIVILEGES",
        "REVOKE ALL ON t FROM bob                 | ALL_PRIVILEGES",
        "COPY t TO PROGRAM 'gzip > /tmp/t.gz'     | PROGRAM_EXECUTION",
        "COPY t FROM PROGRAM 'curl evil'          | PROGRAM_EXECUTION",
        "COPY t FROM '/etc/passwd'                | FILE_ACCESS",
        "COPY (SELECT * FROM t) TO '/tmp/out'     | FILE_ACCESS",
        "SELECT pg_read_file('/etc/passwd')       | FILE_ACCESS",
        "SELECT pg_read_binary_file('/x')         | FILE_ACCESS",
        "SELECT * FROM pg_ls_dir('/')             | FILE_ACCESS",
        "SELECT lo_import('/etc/passwd')          | FILE_ACCESS",
        "SELECT lo_export(1, '/tmp/x')            | FILE_ACCESS",
        "DO $$ BEGIN EXECUTE 'DROP TABLE t'; END $$ | DYNAMIC_SQL",
        "EXECUTE plan1(1)                         | DYNAMIC_SQL",
        "PREPARE plan1 AS SELECT 1                | DYNAMIC_SQL",
    })
    void postgresqlTraits(String sql, Trait trait) {
        assertThat(pg(sql).traits()).contains(trait);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "SELECT * FROM t INTO OUTFILE '/tmp/x'         | FILE_ACCESS",
        "SELECT a FROM t INTO DUMPFILE '/tmp/x'        | FILE_ACCESS",
        "LOAD DATA INFILE '/tmp/x' INTO TABLE t        | FILE_ACCESS",
        "LOAD DATA LOCAL INFILE '/tmp/x' INTO TABLE t  | FILE_ACCESS",
        "SELECT LOAD_FILE('/etc/passwd')               | FILE_ACCESS",
        "EXECUTE IMMEDIATE 'SELECT 1'                  | DYNAMIC_SQL",
        "PREPARE s FROM 'DELETE FROM t'                | DYNAMIC_SQL",
        "EXECUTE s                                     | DYNAMIC_SQL",
    })
    void mariadbTraits(String sql, Trait trait) {
        assertThat(maria(sql).traits()).contains(trait);
    }

    @Test
    void aQuotedOrSchemaQualifiedFileFunctionIsStillRecognised() {
        assertThat(pg("SELECT \"pg_read_file\"('/etc/passwd')").traits()).contains(Trait.FILE_ACCESS);
        assertThat(pg("SELECT pg_catalog.pg_read_file('/etc/passwd')").traits()).contains(Trait.FILE_ACCESS);
        assertThat(maria("SELECT `LOAD_FILE`('/etc/passwd')").traits()).contains(Trait.FILE_ACCESS);
    }

    @Test
    void schemaAndDatabaseStatementsNameEveryObjectInThem() {
        assertThat(pg("DROP DATABASE prod").tablesWritten()).containsExactly(table("prod", "*"));
        assertThat(pg("CREATE SCHEMA reporting").tablesWritten()).containsExactly(table("reporting", "*"));
        assertThat(pg("GRANT USAGE ON SCHEMA reporting TO bob").tablesWritten()).containsExactly(table("reporting", "*"));
    }

    @Test
    void postgresMaintenanceComputesTheRelationsExpressionsAnew() {
        for (String sql : new String[] {"REINDEX TABLE t", "REINDEX INDEX i", "REINDEX SCHEMA s", "CLUSTER t USING i",
                "CLUSTER t", "VACUUM FULL t", "VACUUM (ANALYZE) t", "VACUUM t", "ANALYZE t", "ANALYZE VERBOSE t",
                "REFRESH MATERIALIZED VIEW v"}) {
            assertThat(pg(sql).traits()).as(sql).contains(Trait.REEVALUATES_ROWS);
        }
        for (String sql : new String[] {"ANALYZE TABLE t", "OPTIMIZE TABLE t", "FLUSH TABLES t"}) {
            assertThat(maria(sql).traits()).as(sql).doesNotContain(Trait.REEVALUATES_ROWS);
        }
        for (String sql : new String[] {"CHECKPOINT", "LISTEN c", "LOCK TABLE t", "TRUNCATE t"}) {
            assertThat(pg(sql).traits()).as(sql).doesNotContain(Trait.REEVALUATES_ROWS);
        }
        // an ALTER TABLE that rewrites the rows or validates a check; not one that only adds
        for (String sql : new String[] {"ALTER TABLE t ALTER COLUMN c TYPE bigint", "ALTER TABLE t VALIDATE CONSTRAINT c",
                "ALTER TABLE t ADD COLUMN k text DEFAULT (random()::text)"}) {
            assertThat(pg(sql).traits()).as(sql).contains(Trait.REEVALUATES_ROWS);
        }
        assertThat(pg("ALTER TABLE t ADD COLUMN c int").traits()).doesNotContain(Trait.REEVALUATES_ROWS);
        // CLUSTER t USING i: i is an index of t, in t's schema
        assertThat(pg("CLUSTER s.t USING i").tablesWritten()).contains(new TableRef("s", "i"));
    }

    @Test
    void onlyAnAddOfPlainColumnsKeysAndIndexesOnlyAdds() {
        for (String sql : new String[] {"ALTER TABLE t ADD COLUMN c varchar(20) NOT NULL DEFAULT 'x' COMMENT 'note'",
                "ALTER TABLE t ADD COLUMN c int GENERATED BY DEFAULT AS IDENTITY", "ALTER TABLE t ADD COLUMN c text COLLATE \"C\"",
                "ALTER TABLE t ADD CONSTRAINT u UNIQUE (a)", "ALTER TABLE t ADD PRIMARY KEY (id)",
                "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id)", "ALTER TABLE t ADD COLUMN c int REFERENCES u(id)"}) {
            assertThat(pg(sql).traits()).as(sql).containsExactly(Trait.ADDS_ONLY);
        }
        assertThat(maria("ALTER TABLE t ADD INDEX i (a), ADD COLUMN c INT UNSIGNED NULL AFTER a").traits()).as("maria")
                .containsExactly(Trait.ADDS_ONLY);
        // a generated column copies what its expression reads; a CHECK tests every row; a DEFAULT may run a function
        for (String sql : new String[] {"ALTER TABLE t ADD COLUMN k text GENERATED ALWAYS AS (reverse(ssn)) STORED",
                "ALTER TABLE t ADD CONSTRAINT c CHECK (ssn NOT LIKE '1%')", "ALTER TABLE t ADD COLUMN k int CHECK (k > length(ssn))",
                "ALTER TABLE t ADD COLUMN k text DEFAULT current_setting('app.key')", "ALTER TABLE t ADD COLUMN k text DEFAULT (ssn)"}) {
            assertThat(pg(sql).traits()).as(sql).doesNotContain(Trait.ADDS_ONLY);
        }
        assertThat(maria("ALTER TABLE t ADD COLUMN k VARCHAR(20) AS (REVERSE(ssn)) VIRTUAL").traits())
                .doesNotContain(Trait.ADDS_ONLY);
    }

    @Test
    void anAlterNotProvenToKeepEveryPartDropsPartAndNamesTheTableItMovesRowsTo() {
        for (String sql : new String[] {"ALTER TABLE t ENGINE=BLACKHOLE", "ALTER TABLE t DISCARD TABLESPACE",
                "ALTER TABLE t CONVERT TO CHARACTER SET latin1"}) {
            assertThat(maria(sql).traits()).as(sql).contains(Trait.DROPS_PART);
        }
        for (String sql : new String[] {"ALTER TABLE t SET SCHEMA elsewhere", "ALTER TABLE t DISABLE TRIGGER ALL",
                "ALTER TABLE t DISABLE ROW LEVEL SECURITY", "ALTER TABLE t NO FORCE ROW LEVEL SECURITY",
                "ALTER TABLE t SET UNLOGGED", "ALTER TABLE t DETACH PARTITION t_2024"}) {
            assertThat(pg(sql).traits()).as(sql).contains(Trait.DROPS_PART);
        }
        StatementAnalysis exchange = maria("ALTER TABLE customers EXCHANGE PARTITION p0 WITH TABLE public_copy");
        assertThat(exchange.traits()).contains(Trait.DROPS_PART);
        assertThat(exchange.tablesWritten()).extracting(TableRef::name).containsExactlyInAnyOrder("customers", "public_copy");
        StatementAnalysis attach = pg("ALTER TABLE app.orders ATTACH PARTITION vault.notes FOR VALUES FROM (1) TO (10)");
        assertThat(attach.tablesWritten()).containsExactlyInAnyOrder(new TableRef("app", "orders"), new TableRef("vault", "notes"));
        StatementAnalysis detach = pg("ALTER TABLE app.orders DETACH PARTITION orders_2024");
        assertThat(detach.tablesWritten()).containsExactlyInAnyOrder(new TableRef("app", "orders"), new TableRef("app", "orders_2024"));
        // what keeps every part still does
        for (String sql : new String[] {"ALTER TABLE t ALTER COLUMN c SET DEFAULT 0", "ALTER TABLE t ENABLE ROW LEVEL SECURITY",
                "ALTER TABLE t RENAME COLUMN a TO b"}) {
            assertThat(pg(sql).traits()).as(sql).doesNotContain(Trait.DROPS_PART);
        }
    }

    @Test
    void ddlTraitsCombine() {
        assertThat(pg("ALTER TABLE t DROP COLUMN c CASCADE").traits()).contains(Trait.DROPS_PART, Trait.CASCADE);
        assertThat(pg("CREATE TABLE IF NOT EXISTS t (a int)").traits()).contains(Trait.IF_EXISTS);
        assertThat(pg("ALTER TABLE t ADD COLUMN c numeric(10, 2) DEFAULT 0").traits()).containsExactly(Trait.ADDS_ONLY);
        assertThat(pg("ALTER TABLE t ADD COLUMN c int, ALTER COLUMN d TYPE bigint").traits())
                .containsExactlyInAnyOrder(Trait.DROPS_PART, Trait.REEVALUATES_ROWS);
    }

    @Test
    void aColumnChangeKeepsEveryPartOnlyWhenItSetsADefaultNotNullOrVisibility() {
        for (String keeps : new String[] {"ALTER TABLE t ALTER COLUMN c SET DEFAULT 0", "ALTER TABLE t ALTER c SET DEFAULT now()",
                "ALTER TABLE t ALTER COLUMN \"C\" SET NOT NULL"}) {
            assertThat(pg(keeps).traits()).as(keeps).containsExactly(Trait.REEVALUATES_ROWS); // PostgreSQL: any change
        }
        // a new type may round, cut or replace every value; dropping a default or NOT NULL drops a protection
        for (String drops : new String[] {"ALTER TABLE t ALTER COLUMN c TYPE bigint", "ALTER TABLE t ALTER COLUMN c TYPE text USING NULL",
                "ALTER TABLE t ALTER COLUMN c SET DATA TYPE varchar(5)", "ALTER TABLE t ALTER COLUMN c DROP NOT NULL",
                "ALTER TABLE t ALTER COLUMN c DROP DEFAULT", "ALTER TABLE t ALTER COLUMN c SET NOT NULL, ALTER COLUMN d DROP NOT NULL"}) {
            assertThat(pg(drops).traits()).as(drops).contains(Trait.DROPS_PART);
        }
        assertThat(first("ALTER TABLE t MODIFY c VARCHAR(5)", Dialect.MARIADB).traits()).contains(Trait.DROPS_PART);
        assertThat(first("ALTER TABLE t CHANGE c c VARCHAR(5)", Dialect.MARIADB).traits()).contains(Trait.DROPS_PART);
    }

    @Test
    void sessionStatements() {
        assertThat(pg("SET ROLE admin").action()).isEqualTo(Action.SET);
        assertThat(pg("RESET ROLE").action()).isEqualTo(Action.SET);
        assertThat(pg("DISCARD ALL").action()).isEqualTo(Action.OTHER);
    }

    @Test
    void sqlServerDynamicSql() {
        assertThat(first("EXEC('DROP TABLE t')", Dialect.SQLSERVER).traits()).contains(Trait.DYNAMIC_SQL);
        assertThat(first("EXEC sp_executesql N'DROP TABLE t'", Dialect.SQLSERVER).traits()).contains(Trait.DYNAMIC_SQL);
        StatementAnalysis procedure = first("EXEC dbo.cleanup 1", Dialect.SQLSERVER);
        assertThat(procedure.action()).isEqualTo(Action.CALL);
        assertThat(procedure.routines()).containsExactly(table("dbo", "cleanup"));
    }

    @Test
    void copyReadsOrWritesItsTable() {
        assertThat(pg("COPY app.t TO STDOUT").tablesRead()).containsExactly(table("app", "t"));
        assertThat(pg("COPY t (a, b) FROM STDIN").tablesWritten()).containsExactly(table("t"));
        assertThat(pg("COPY (SELECT * FROM secrets) TO STDOUT").tablesRead()).containsExactly(table("secrets"));
        assertThat(pg("COPY t TO STDOUT").traits()).doesNotContain(Trait.FILE_ACCESS, Trait.PROGRAM_EXECUTION);
    }

    @Test
    void loadDataWritesItsTable() {
        assertThat(maria("LOAD DATA INFILE '/tmp/x' INTO TABLE app.t").tablesWritten()).containsExactly(table("app", "t"));
    }

    @Test
    void grantNamesItsObject() {
        assertThat(pg("GRANT SELECT, UPDATE ON TABLE app.t, u TO bob").tablesWritten())
                .containsExactlyInAnyOrder(table("app", "t"), table("u"));
        assertThat(pg("GRANT SELECT ON t TO bob").traits()).doesNotContain(Trait.ALL_PRIVILEGES);
        assertThat(pg("GRANT ALL ON ALL TABLES IN SCHEMA app TO bob").tablesWritten()).containsExactly(table("app", "*"));
    }

    @Test
    void callNamesTheProcedureAsARoutine() {
        StatementAnalysis s = pg("CALL app.refresh(1)");
        assertThat(s.action()).isEqualTo(Action.CALL);
        assertThat(s.routines()).containsExactly(table("app", "refresh"));
        assertThat(s.tablesRead()).isEmpty();
    }

    @Test
    void explainNestsWhatItMayRun() {
        var statements = Analyses.statements("EXPLAIN ANALYZE DELETE FROM t", Dialect.POSTGRESQL);
        assertThat(statements.get(0).action()).isEqualTo(Action.EXPLAIN);
        assertThat(statements.get(0).tablesWritten()).containsExactly(table("t"));
        assertThat(statements.get(1).action()).isEqualTo(Action.DELETE);
        assertThat(statements.get(1).where()).isEqualTo(WhereKind.ABSENT);
        assertThat(statements.get(1).has(Trait.NESTED)).isTrue();
    }

    @Test
    void h2MergeWithKeyIsAnUpsertMerge() {
        StatementAnalysis s = first("MERGE INTO users (id, name) KEY (id) VALUES (1, 'a')", Dialect.H2);
        assertThat(s.action()).isEqualTo(Action.MERGE);
        assertThat(s.traits()).contains(Trait.UPSERT);
        assertThat(s.tablesWritten()).containsExactly(table("USERS"));
    }

    @Test
    void keywordCaseAndCommentsDoNotHideTheStatement() {
        assertThat(pg("DrOp/**/TABLE x").action()).isEqualTo(Action.DROP);
        assertThat(pg("DROP/*x*/TABLE x").tablesWritten()).containsExactly(table("x"));
        assertThat(pg("-- comment\nDROP TABLE x").action()).isEqualTo(Action.DROP);
        assertThat(pg("/* a /* nested */ comment */ DROP TABLE x").action()).isEqualTo(Action.DROP);
    }

    @Test
    void otherStatementsReadNothing() {
        StatementAnalysis s = pg("SELECT 1");
        assertThat(s.tablesRead()).isEmpty();
        assertThat(s.where()).isEqualTo(WhereKind.NOT_APPLICABLE);
        assertThat(s.traits()).isEmpty();
    }
}
