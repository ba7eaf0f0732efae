package io.governed.policy.masking;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.policy.Decision;
import io.governed.policy.engine.DecisionContext;
import io.governed.policy.engine.PolicyEngine;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/** Masked values do not leave by copying them into a table, nor by asking questions about them. */
class MaskedDataFlowTest {

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("flow.yaml", """
            version: 1
            classification:
              tags:
                pii.ssn: ["*.ssn"]
                pii.email: ["*.email"]
            rules:
              - { id: all, effect: permit, actions: ["*"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [pii-readers] } }
              - id: mask-email
                columns: { tags: [pii.email] }
                function: email
                unless: { groups: [pii-readers] }
                deny-inference: [agent, human]
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private static final Identity ANALYST = human("ann", "analysts");
    private static final Identity PII_READER = human("pia", "pii-readers");

    private Decision decide(Identity identity, String sql) {
        return engine.decide(identity, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.defaultSchema("public"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO dump (x) SELECT ssn FROM customers",
            "INSERT INTO dump SELECT * FROM customers",
            "INSERT INTO dump (x) SELECT upper(ssn) FROM customers WHERE id > 0",
            "CREATE TABLE dump AS SELECT ssn FROM customers",
            "CREATE TABLE dump AS SELECT s FROM (SELECT ssn AS s FROM customers) d",
            "SELECT ssn INTO dump FROM customers",
            "UPDATE notes SET body = (SELECT ssn FROM customers c WHERE c.id = notes.customer_id) WHERE id = 1",
            "UPDATE customers SET note = ssn WHERE id = 1",
            "MERGE INTO dump d USING customers s ON d.id = s.id WHEN MATCHED THEN UPDATE SET x = s.ssn",
            "MERGE INTO dump d USING customers s ON d.id = s.id WHEN NOT MATCHED THEN INSERT (id, x) VALUES (s.id, s.ssn)",
            "ALTER TABLE customers ALTER COLUMN note TYPE text USING ssn",
            "ALTER TABLE customers ALTER COLUMN note TYPE text USING substr(customers.ssn, 1, 5)",
            "ALTER TABLE customers ADD COLUMN k text GENERATED ALWAYS AS ('x' || ssn) STORED",
            "ALTER TABLE customers ADD CONSTRAINT probe CHECK (ssn NOT LIKE '123%')",
    })
    void copyingAMaskedColumnIsDeniedNamingTheMask(String sql) {
        Decision decision = decide(ANALYST, sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decision.reason()).contains("copies", "mask-ssn", "may not be copied in clear");
        assertThat(decide(PII_READER, sql).effect()).as("pii-reader: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    /**
     * A schema migration's backfill copying a column masked for the migration identity would write the masked form over
     * the data: the refusal says how to exempt migrations from the mask; a copy by anyone else is not told about them.
     */
    @Test
    void aMigrationsCopyOfAMaskedColumnIsToldHowToExemptMigrations() {
        String sql = "UPDATE customers SET note = ssn";
        Identity migration = Identity.builder("schema-owner").kind(IdentityKind.SERVICE).purpose("migration").build();
        Decision decision = decide(migration, sql);
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).contains("mask-ssn", "may not be copied in clear",
                "unless: { purposes: [migration] }", "governed.migration.groups");
        assertThat(decide(ANALYST, sql).reason()).contains("may not be copied in clear").doesNotContain("migration");
    }

    /**
     * A mask follows a column by its name: renamed ({@code ALTER TABLE customers RENAME COLUMN ssn TO tax_id}), the
     * column no pattern names any more comes back in clear to the next statement that reads it, so a rename of a masked
     * column is a copy of its values under a new name, refused to those the mask applies to.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER TABLE customers RENAME COLUMN ssn TO tax_id",
            "POSTGRESQL | ALTER TABLE customers RENAME ssn TO tax_id",
            "POSTGRESQL | ALTER TABLE IF EXISTS public.customers RENAME COLUMN \"ssn\" TO tax_id",
            "MARIADB | ALTER TABLE customers RENAME COLUMN ssn TO tax_id",
            "MARIADB | ALTER TABLE customers CHANGE ssn tax_id VARCHAR(11)",
            "MARIADB | ALTER TABLE customers CHANGE COLUMN ssn tax_id VARCHAR(11), ADD COLUMN x INT",
            "H2 | ALTER TABLE customers RENAME COLUMN ssn TO tax_id",
    })
    void renamingAMaskedColumnIsDeniedNamingTheMask(Dialect dialect, String sql) {
        Decision decision = engine.decide(ANALYST, analyzer.analyze(sql, dialect), DecisionContext.defaultSchema("public"));
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decision.reason()).as(sql).contains("renames", "mask-ssn", "new name").doesNotContain("copies")
                .containsIgnoringCase("ssn of");
        assertThat(engine.decide(PII_READER, analyzer.analyze(sql, dialect), DecisionContext.defaultSchema("public"))
                .effect()).as("pii-reader: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER TABLE customers RENAME COLUMN note TO remark",
            "MARIADB | ALTER TABLE customers CHANGE note remark VARCHAR(40)",
            "MARIADB | ALTER TABLE customers CHANGE ssn ssn VARCHAR(11) NOT NULL",
            "H2 | ALTER TABLE customers RENAME COLUMN note TO remark",
    })
    void renamingAColumnNoMaskCoversIsAllowed(Dialect dialect, String sql) {
        assertThat(engine.decide(ANALYST, analyzer.analyze(sql, dialect), DecisionContext.defaultSchema("public"))
                .effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
    }

    /** A policy whose patterns name tables and a schema: a table's name or schema is then part of what masks it. */
    private final PolicyEngine byTable = new PolicyEngine(PolicyLoader.fromString("by-table.yaml", """
            version: 1
            classification:
              tags:
                pii.ssn: ["public.customers.ssn", "orders_2024.card"]
            rules:
              - { id: all, effect: permit, actions: ["*"] }
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [pii-readers] } }
              - { id: mask-ledger, columns: { patterns: ["ledger.*.amount"] }, function: redact, unless: { groups: [pii-readers] } }
            """));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER TABLE customers RENAME TO c2 | mask-ssn",
            "POSTGRESQL | ALTER TABLE public.customers RENAME TO c2 | mask-ssn",
            "POSTGRESQL | ALTER TABLE customers SET SCHEMA archive | mask-ssn",
            "POSTGRESQL | ALTER TABLE ledger.entries SET SCHEMA public | mask-ledger",
            "POSTGRESQL | ALTER TABLE orders ATTACH PARTITION orders_2024 FOR VALUES FROM (1) TO (2) | mask-ssn",
            "MARIADB | RENAME TABLE customers TO c2 | mask-ssn",
            "MARIADB | ALTER TABLE customers RENAME TO c2 | mask-ssn",
            "H2 | ALTER TABLE customers RENAME TO c2 | mask-ssn",
    })
    void renamingOrMovingATableWhoseNameAPatternOfAMaskNamesIsDenied(Dialect dialect, String sql, String mask) {
        DecisionContext context = DecisionContext.defaultSchema(dialect == Dialect.H2 ? "PUBLIC" : "public"); // H2 folds up
        Decision decision = byTable.decide(ANALYST, analyzer.analyze(sql, dialect), context);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly(mask);
        assertThat(decision.reason()).as(sql).contains(mask, "pattern", "by its name");
        assertThat(byTable.decide(PII_READER, analyzer.analyze(sql, dialect), context).effect())
                .as("pii-reader: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    /**
     * A PostgreSQL rule runs its statements whenever its table is written: {@code CREATE RULE r AS ON INSERT TO t DO ALSO
     * INSERT INTO dump SELECT ssn FROM customers} followed by a harmless {@code INSERT INTO t} copies every SSN. The
     * rule's statements are judged as the definition's own.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE RULE r AS ON INSERT TO notes DO ALSO INSERT INTO dump (x) SELECT ssn FROM customers",
            "CREATE OR REPLACE RULE r AS ON UPDATE TO notes DO INSTEAD (UPDATE dump SET x = (SELECT max(ssn) FROM customers))",
            "CREATE RULE r AS ON DELETE TO notes DO INSERT INTO dump SELECT * FROM customers;",
    })
    void aRuleWhoseStatementsCopyAMaskedColumnIsDenied(String sql) {
        Decision decision = decide(ANALYST, sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decision.reason()).as(sql).contains("copies", "mask-ssn");
        assertThat(decide(PII_READER, sql).effect()).as("pii-reader: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE RULE r AS ON INSERT TO notes DO ALSO INSERT INTO dump (x) SELECT note FROM customers",
            "CREATE RULE r AS ON INSERT TO notes DO INSTEAD NOTHING",
    })
    void aRuleWhoseStatementsCopyClearColumnsIsAllowed(String sql) {
        assertThat(decide(ANALYST, sql).effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
    }

    /**
     * A MariaDB event runs its body on its schedule, as its definer ({@code CREATE EVENT e ON SCHEDULE AT
     * CURRENT_TIMESTAMP DO INSERT INTO dump SELECT ssn FROM customers}: the scheduler copies every SSN into a table the
     * caller reads). The body, one statement or a {@code BEGIN … END} block, is judged as the definition's own, in
     * {@code CREATE EVENT} and in {@code ALTER EVENT … DO}.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO INSERT INTO dump (id, x) SELECT id, ssn FROM customers",
            "CREATE DEFINER = CURRENT_USER EVENT IF NOT EXISTS e ON SCHEDULE EVERY 1 MINUTE STARTS CURRENT_TIMESTAMP"
                    + " ON COMPLETION PRESERVE ENABLE COMMENT 'what to do' DO UPDATE dump SET x = (SELECT max(ssn) FROM customers)",
            "CREATE OR REPLACE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP + INTERVAL 1 HOUR DO REPLACE INTO dump (x) SELECT ssn FROM customers;",
            "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO BEGIN INSERT INTO dump SELECT * FROM customers; END",
            "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN NOT ATOMIC DELETE FROM dump; INSERT INTO dump (x) SELECT ssn FROM customers; END",
            "create event `e` on schedule at current_timestamp do insert into dump (x) select upper(c.ssn) from customers c",
            "ALTER EVENT e DO INSERT INTO dump (x) SELECT ssn FROM customers",
            "ALTER DEFINER = CURRENT_USER EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP ENABLE DO BEGIN INSERT INTO dump (x) SELECT ssn FROM customers; END;",
    })
    void aMariaDbEventWhoseBodyCopiesAMaskedColumnIsDenied(String sql) {
        Decision decision = decideMariaDb(ANALYST, sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decision.reason()).as(sql).contains("copies", "mask-ssn");
        assertThat(decideMariaDb(PII_READER, sql).effect()).as("pii-reader: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    /**
     * A body the analysis cannot read (a block with variables, conditions, loops or labels, a statement the parser does
     * not know, dynamic SQL) could copy anything: the definition is refused to a caller a mask applies to, naming the
     * mask.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO FROBNICATE dump WITH customers.ssn",
            "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO",
            "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO EXECUTE IMMEDIATE 'INSERT INTO dump SELECT ssn FROM customers'",
            "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO lbl: BEGIN END lbl",
            "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO BEGIN BEGIN END; END",
            "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO BEGIN DECLARE v INT DEFAULT (SELECT count(*) FROM customers"
                    + " WHERE ssn LIKE '1%'); END",
            "ALTER EVENT e DO PREPARE s FROM 'INSERT INTO dump SELECT ssn FROM customers'",
    })
    void aMariaDbEventWhoseBodyCannotBeReadIsDeniedWhereAMaskApplies(String sql) {
        Decision decision = decideMariaDb(ANALYST, sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decision.reason()).as(sql).contains("mask-ssn", "event", "cannot read");
        assertThat(decideMariaDb(PII_READER, sql).effect()).as("pii-reader: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    /**
     * A block whose statements after the first hold control flow reaches the analysis as several statements, some of
     * which cannot be read: the whole text is refused.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO BEGIN DECLARE v VARCHAR(11); SELECT ssn INTO v FROM customers"
                    + " LIMIT 1; INSERT INTO dump (x) VALUES (v); END",
            "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO BEGIN IF 1 = 1 THEN INSERT INTO dump (x) SELECT ssn FROM"
                    + " customers; END IF; END",
            "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO lbl: BEGIN INSERT INTO dump (x) SELECT ssn FROM customers; END lbl",
            "ALTER EVENT e DO BEGIN WHILE 1 = 1 DO INSERT INTO dump (x) SELECT ssn FROM customers; END WHILE; END",
    })
    void aMariaDbEventWhoseBlockHoldsControlFlowIsDenied(String sql) {
        assertThat(decideMariaDb(ANALYST, sql).effect()).as(sql).isEqualTo(Decision.Effect.DENY);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO INSERT INTO dump (id, x) SELECT id, note FROM customers",
            "CREATE EVENT e ON SCHEDULE EVERY 1 DAY COMMENT 'copies ssn' DO BEGIN DELETE FROM dump; INSERT INTO dump (x)"
                    + " SELECT note FROM customers; END",
            "ALTER EVENT e DISABLE",
            "ALTER EVENT e ON SCHEDULE EVERY 2 HOUR",
            "ALTER EVENT e RENAME TO e2",
            "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO BEGIN END",
    })
    void aMariaDbEventWhoseBodyCopiesClearColumnsIsAllowed(String sql) {
        assertThat(decideMariaDb(ANALYST, sql).effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
    }

    /** An event's body needs the permits its statements would need on their own; defining code is not enough. */
    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO DELETE FROM ledger",
            "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO BEGIN INSERT INTO dump (x) VALUES (1); TRUNCATE ledger; END",
            "ALTER EVENT e DO INSERT INTO dump (x) SELECT amount FROM ledger",
    })
    void aMariaDbEventsBodyNeedsThePermitsOfItsStatements(String sql) {
        PolicyEngine guarded = new PolicyEngine(PolicyLoader.fromString("guarded.yaml", """
                version: 1
                rules:
                  - { id: all, effect: permit, actions: ["*"] }
                  - { id: no-ledger, effect: forbid, actions: [select, insert, update, delete, truncate], resources: ["*.ledger"] }
                """));
        Decision decision = guarded.decide(ANALYST, analyzer.analyze(sql, Dialect.MARIADB),
                DecisionContext.defaultSchema("public"));
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).contains("no-ledger");
        assertThat(guarded.decide(ANALYST, analyzer.analyze("CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO INSERT"
                + " INTO dump (x) VALUES (1)", Dialect.MARIADB), DecisionContext.defaultSchema("public")).effect())
                .isEqualTo(Decision.Effect.ALLOW);
    }

    /**
     * SQL prepared by name or given as text runs where the analysis does not see it ({@code EXECUTE IMMEDIATE 'INSERT
     * INTO dump SELECT ssn FROM customers'}, {@code EXECUTE s} of a text built in a variable): refused to a caller a
     * mask applies to, whatever the policy permits.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MARIADB | EXECUTE IMMEDIATE 'INSERT INTO dump SELECT ssn FROM customers'",
            "MARIADB | EXECUTE IMMEDIATE CONCAT('SELECT ', 'ssn FROM customers')",
            "MARIADB | PREPARE s FROM 'INSERT INTO dump SELECT ssn FROM customers'",
            "MARIADB | PREPARE s FROM @q",
            "MARIADB | EXECUTE s",
            "POSTGRESQL | EXECUTE p",
    })
    void sqlPreparedByNameOrGivenAsTextIsDeniedWhereAMaskApplies(Dialect dialect, String sql) {
        Decision decision = engine.decide(ANALYST, analyzer.analyze(sql, dialect), DecisionContext.defaultSchema("public"));
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).as(sql).contains("by name or from text", "mask-ssn");
        assertThat(engine.decide(PII_READER, analyzer.analyze(sql, dialect), DecisionContext.defaultSchema("public"))
                .effect()).as("pii-reader: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    /**
     * MariaDB's {@code PREPARE s FROM '…'} of one plain string is analysed, by the driver, as {@code PREPARE s AS …}
     * (a form MariaDB itself refuses): the statement the string holds is judged as PostgreSQL's {@code AS} body is, a
     * copy of a masked column refused, a query of it allowed (its results are masked when it runs by name). The
     * analysis of the form as written never sees the string, and stays refused to a masked caller.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PREPARE `s` AS INSERT INTO dump SELECT ssn FROM customers | DENY",
            "PREPARE `s` AS SELECT id, ssn FROM customers              | ALLOW",
            "PREPARE s FROM 'SELECT id, ssn FROM customers'            | DENY",
            "PREPARE s FROM CAST(@q AS CHAR) AS SELECT 1 FROM customers | DENY",
    })
    void aMariaDbPrepareOfOnePlainStringIsJudgedAsTheStatementItHolds(String sql, Decision.Effect effect) {
        Decision decision = engine.decide(ANALYST, analyzer.analyze(sql, Dialect.MARIADB),
                DecisionContext.defaultSchema("public"));
        assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(effect);
        if (effect == Decision.Effect.DENY) {
            assertThat(decision.rules()).as(sql).contains("mask-ssn");
        }
    }

    /**
     * A query in a table's definition (H2 takes {@code DEFAULT (SELECT …)}, {@code ON UPDATE (SELECT …)} and a {@code
     * CHECK} with a subquery in {@code CREATE TABLE} and {@code ALTER TABLE}) runs on each row written later: a harmless
     * {@code INSERT} then fills the column with the masked value it reads. What it selects is copied into the table,
     * also when the pattern that masks it names the table ({@code public.customers.ssn}), which a column of the defined
     * table by the same name does not match.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "H2 | CREATE TABLE dump (id INT, x VARCHAR(20) DEFAULT (SELECT ssn FROM customers WHERE id = 1))",
            "H2 | CREATE TABLE dump (id INT, x VARCHAR(20) DEFAULT (SELECT MAX(c.ssn) FROM public.customers c))",
            "H2 | CREATE TABLE dump (id INT, x VARCHAR(20) DEFAULT (UPPER((SELECT ssn FROM customers WHERE id = 1))))",
            "H2 | CREATE TABLE dump (id INT, x VARCHAR(20), CHECK (x <> (SELECT ssn FROM customers WHERE id = 1)))",
            "H2 | CREATE TABLE IF NOT EXISTS dump (x VARCHAR(20) DEFAULT (WITH w AS (SELECT ssn FROM customers) SELECT MAX(ssn) FROM w))",
            "H2 | ALTER TABLE notes ALTER COLUMN body SET DEFAULT (SELECT ssn FROM customers WHERE id = 1)",
            "H2 | ALTER TABLE notes ADD COLUMN k VARCHAR(20) DEFAULT (SELECT ssn FROM customers WHERE id = 1)",
            "POSTGRESQL | CREATE TABLE dump (id int, x text DEFAULT (SELECT ssn FROM customers WHERE id = 1))",
    })
    void aQueryOfAMaskedColumnInATablesDefinitionIsACopy(Dialect dialect, String sql) {
        DecisionContext context = DecisionContext.defaultSchema(dialect == Dialect.H2 ? "PUBLIC" : "public");
        Decision decision = byTable.decide(ANALYST, analyzer.analyze(sql, dialect), context);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decision.reason()).as(sql).contains("copies", "mask-ssn", "may not be copied in clear");
        assertThat(byTable.decide(PII_READER, analyzer.analyze(sql, dialect), context).effect())
                .as("pii-reader: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "H2 | CREATE TABLE dump (id INT, x VARCHAR(20) DEFAULT (SELECT note FROM customers WHERE id = 1))",
            "H2 | CREATE TABLE dump (id INT, x VARCHAR(20) DEFAULT 'none', CHECK (x <> 'ssn'))",
            "H2 | ALTER TABLE notes ALTER COLUMN body SET DEFAULT (SELECT note FROM customers WHERE id = 1)",
            "POSTGRESQL | CREATE TABLE dump (id int, x text DEFAULT 'none' CHECK (x IN ('a', 'b')))",
    })
    void aQueryOfClearColumnsInATablesDefinitionIsAllowed(Dialect dialect, String sql) {
        DecisionContext context = DecisionContext.defaultSchema(dialect == Dialect.H2 ? "PUBLIC" : "public");
        assertThat(byTable.decide(ANALYST, analyzer.analyze(sql, dialect), context).effect()).as(sql)
                .isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER TABLE notes RENAME TO remarks",
            "POSTGRESQL | ALTER TABLE customers RENAME COLUMN note TO remark",
            "POSTGRESQL | ALTER TABLE customers ADD COLUMN note2 TEXT",
            "MARIADB | RENAME TABLE notes TO remarks",
    })
    void renamingATableNoPatternNamesOrAClearColumnIsAllowed(Dialect dialect, String sql) {
        assertThat(byTable.decide(ANALYST, analyzer.analyze(sql, dialect), DecisionContext.defaultSchema("public"))
                .effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
    }

    /**
     * Other ways a table's rows or columns get a name no pattern of a mask matches: a parent a table inherits from, or
     * stops inheriting from (its rows become the parent's, or stop being: as ATTACH and DETACH PARTITION); a composite
     * type's attribute renamed with CASCADE (which renames the column in every typed table of the type); a foreign
     * table (whose rows may be any table's, this database's too, under names of its own); an H2 synonym (a second name
     * of the table) and linked table (a table or query of any database, this one's too, under a name of its own).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER TABLE kid INHERIT customers | mask-ssn | makes its rows another table's",
            "POSTGRESQL | ALTER TABLE kid NO INHERIT public.customers | mask-ssn | makes its rows another table's",
            "POSTGRESQL | ALTER TABLE ONLY kid NO INHERIT ledger.entries | mask-ledger | makes its rows another table's",
            "POSTGRESQL | ALTER TYPE person RENAME ATTRIBUTE ssn TO tax_id CASCADE | mask-ssn | typed table",
            "POSTGRESQL | ALTER FOREIGN TABLE customers RENAME TO c2 | mask-ssn | another database",
            "POSTGRESQL | ALTER FOREIGN TABLE customers RENAME COLUMN ssn TO tax_id | mask-ssn | another database",
            "POSTGRESQL | ALTER FOREIGN TABLE ledger.entries SET SCHEMA public | mask-ssn | another database",
            "POSTGRESQL | ALTER FOREIGN TABLE f ALTER COLUMN x OPTIONS (ADD column_name 'ssn') | mask-ssn | another database",
            "POSTGRESQL | CREATE FOREIGN TABLE f (x text OPTIONS (column_name 'ssn')) SERVER here OPTIONS (table_name 'customers') | mask-ssn | another database",
            "H2 | CREATE SYNONYM s FOR customers | mask-ssn | second name",
            "H2 | CREATE SYNONYM s FOR PUBLIC.CUSTOMERS | mask-ssn | second name",
            "H2 | CREATE LINKED TABLE l('org.h2.Driver', 'jdbc:h2:mem:db', 'sa', '', 'CUSTOMERS') | mask-ssn | another database",
            "H2 | CREATE LINKED TABLE l('org.h2.Driver', 'jdbc:h2:mem:db', 'sa', '', '(SELECT ssn AS x FROM customers)') | mask-ssn | another database",
    })
    void givingATableOrItsColumnsNamesNoPatternOfAMaskMatchesIsDenied(Dialect dialect, String sql, String mask, String why) {
        DecisionContext context = DecisionContext.defaultSchema(dialect == Dialect.H2 ? "PUBLIC" : "public");
        Decision decision = byTable.decide(ANALYST, analyzer.analyze(sql, dialect), context);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).hasSize(1);
        assertThat(decision.rules().get(0)).as(sql).startsWith("mask-");
        if (!why.equals("another database") && !why.equals("typed table")) {
            assertThat(decision.rules()).as(sql).containsExactly(mask);
        }
        assertThat(decision.reason()).as(sql).contains(why);
        assertThat(byTable.decide(PII_READER, analyzer.analyze(sql, dialect), context).effect())
                .as("pii-reader: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    /** What moves no value under another name: a copy of a definition, a rename the database refuses for typed tables. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER TYPE person RENAME ATTRIBUTE ssn TO tax_id",
            "POSTGRESQL | CREATE TABLE x (LIKE customers INCLUDING ALL)",
            "POSTGRESQL | ALTER TABLE customers ALTER COLUMN ssn SET DEFAULT 'none'",
            "POSTGRESQL | ALTER TABLE customers ALTER COLUMN ssn TYPE varchar(20) USING 'none'",
            "POSTGRESQL | ALTER TABLE kid INHERIT notes",
            "MARIADB | CREATE TABLE x LIKE customers",
            "MARIADB | ALTER TABLE customers MODIFY ssn VARCHAR(20)",
            "H2 | CREATE SYNONYM s FOR notes",
    })
    void definitionsThatMoveNoMaskedValueUnderAnotherNameAreAllowed(Dialect dialect, String sql) {
        DecisionContext context = DecisionContext.defaultSchema(dialect == Dialect.H2 ? "PUBLIC" : "public");
        Decision decision = byTable.decide(ANALYST, analyzer.analyze(sql, dialect), context);
        assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.ALLOW);
    }

    /**
     * Renaming an unrelated table into the name a pattern names ({@code ALTER TABLE staging RENAME TO customers}) gives
     * no masked value a new name, but makes rows the caller wrote another table's: where a rule forbids inserting into
     * {@code customers}, the rename would put the caller's rows there all the same. It stays refused to a caller a mask
     * applies to; a rule forbidding writes to {@code customers} refuses it to everyone else.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | ALTER TABLE staging RENAME TO customers",
            "POSTGRESQL | ALTER TABLE staging.customers SET SCHEMA public",
            "MARIADB | RENAME TABLE staging TO customers",
            "MARIADB | RENAME TABLE staging TO tmp, tmp TO customers",
    })
    void renamingAnotherTableIntoANameAPatternNamesStaysDenied(Dialect dialect, String sql) {
        PolicyEngine guarded = new PolicyEngine(PolicyLoader.fromString("guarded.yaml", """
                version: 1
                classification:
                  tags:
                    pii.ssn: ["public.customers.ssn"]
                rules:
                  - { id: all, effect: permit, actions: ["*"] }
                  - { id: no-writes-to-customers, effect: forbid, actions: [insert, update, delete, alter, rename], resources: ["public.customers"], unless: { groups: [dba] } }
                masks:
                  - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4, unless: { groups: [pii-readers, dba] } }
                """));
        DecisionContext context = DecisionContext.defaultSchema("public");
        assertThat(guarded.decide(ANALYST, analyzer.analyze(sql, dialect), context).effect()).as(sql)
                .isEqualTo(Decision.Effect.DENY);
        Decision exempt = guarded.decide(PII_READER, analyzer.analyze(sql, dialect), context);
        assertThat(exempt.effect()).as("pii-reader: " + sql).isEqualTo(Decision.Effect.DENY);
        assertThat(exempt.rules()).as(sql).containsExactly("no-writes-to-customers");
        assertThat(guarded.decide(human("dora", "dba"), analyzer.analyze(sql, dialect), context).effect())
                .as("dba: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void renamingATableIsAllowedWhenEveryPatternFollowsAColumnInAnyTable() {
        // *.ssn and *.email name no table: under its new name the table's columns are masked as before
        assertThat(decide(ANALYST, "ALTER TABLE customers RENAME TO c2").effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(decide(ANALYST, "ALTER TABLE customers SET SCHEMA archive").effect()).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT dblink_exec('archive', 'INSERT INTO t VALUES (''' || ssn || ''')') FROM customers",
            "SELECT pg_file_write('/tmp/x', ssn, true) FROM customers",
    })
    void handingValuesOfTablesToAFileOrAnotherDatabaseIsDeniedWhereAMaskApplies(String sql) {
        Decision decision = decide(ANALYST, sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).as(sql).contains("a file or another database", "cannot be masked");
        assertThat(decide(PII_READER, sql).effect()).as("pii-reader: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @Test
    void aRefusalNamesTheTablesInTheOrderTheStatementReadsThem() {
        // eight tables: a hash set's own order would keep the statement's by chance once in 40,320
        String sql = "SELECT pg_file_write('/tmp/x', c.ssn, true) FROM customers c JOIN orders o ON o.cid = c.id"
                + " JOIN zones z ON z.id = o.zid JOIN agents a ON a.id = o.aid JOIN notes n ON n.oid = o.id"
                + " JOIN billing b ON b.cid = c.id JOIN ledger l ON l.bid = b.id JOIN extras e ON e.id = l.eid";

        Decision decision = decide(ANALYST, sql);

        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).contains("reads [public.customers, public.orders, public.zones, public.agents,"
                + " public.notes, public.billing, public.ledger, public.extras] and hands values to a file");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "PREPARE p AS SELECT ssn FROM customers",
            "SELECT query_to_xml('SELECT ssn FROM customers', true, true, '')",
            "SELECT pg_read_file('/tmp/report.txt')",
    })
    void sqlTextWhoseRowsComeBackAsAResultAndFilesReadWithoutTablesAreNotCopiesOut(String sql) {
        Decision decision = decide(ANALYST, sql);
        assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT pg_advisory_lock(replace(ssn, '-', '')::bigint) FROM customers WHERE id = 1",
            "SELECT pg_try_advisory_lock(p, ascii(substr(ssn, p, 1))) FROM customers, generate_series(1, 11) p",
            "SELECT pg_advisory_xact_lock_shared((SELECT length(ssn) FROM customers WHERE id = 1))",
    })
    void keyingAnAdvisoryLockByAMaskedColumnIsACopyOutOfIt(String sql) {
        Decision decision = decide(ANALYST, sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decision.reason()).contains("advisory lock's key", "may not be copied in clear");
        // another session probes the key whoever it is: the mask's exemption does not follow the value there
        assertThat(decide(PII_READER, sql).effect()).as("pii-reader: " + sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decide(ANALYST, "SELECT pg_try_advisory_lock(42), pg_advisory_unlock(id) FROM customers").effect())
                .isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT pg_notify('audit', ssn) FROM customers WHERE id = 1",
            "SELECT pg_notify('audit', 'x' || (SELECT ssn FROM customers WHERE id = 1))",
    })
    void aNotificationsPayloadFromAMaskedColumnIsACopyOutOfIt(String sql) {
        Decision decision = decide(ANALYST, sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decision.reason()).contains("pg_notify's payload", "may not be copied in clear");
        // every session listening on the channel receives it, the pooled connection's next borrower's included
        assertThat(decide(PII_READER, sql).effect()).as("pii-reader: " + sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decide(PII_READER, "SELECT pg_notify('audit', name) FROM customers WHERE id = 1").effect())
                .isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER TABLE customers ADD CONSTRAINT guess FOREIGN KEY (ssn) REFERENCES guesses (value)",
            "ALTER TABLE customers ADD FOREIGN KEY (ssn) REFERENCES guesses (value)",
            "ALTER TABLE customers ADD CONSTRAINT one_each UNIQUE (ssn)",
            "ALTER TABLE customers ADD UNIQUE (ssn)",
            "ALTER TABLE customers ADD PRIMARY KEY (ssn)",
    })
    void aKeyWhoseAddingTestsTheMaskedValuesIsInferenceForThoseTheMaskDeniesIt(String sql) {
        // whether the key can be added tells whether every value has a match among the guesses, or none repeats
        Decision decision = decide(agent("bot", ANALYST), sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decide(ANALYST, sql).effect()).as("a human, whom mask-ssn lets infer: " + sql).isEqualTo(Decision.Effect.ALLOW);
        assertThat(decide(agent("bot", ANALYST), "ALTER TABLE customers ADD CONSTRAINT fk FOREIGN KEY (region_id) "
                + "REFERENCES regions (id)").effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(decide(agent("bot", ANALYST), "ALTER TABLE customers ADD INDEX by_ssn (ssn)").effect())
                .as("an index that is not unique tests nothing").isNotEqualTo(Decision.Effect.DENY);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE UNIQUE INDEX one_each ON customers (ssn)",
            "CREATE UNIQUE INDEX one_each ON customers ((ssn || ''))",
            "CREATE INDEX guess ON customers ((1 / (ascii(ssn) - 49))) WHERE id = 1",
            "CREATE INDEX guess ON customers ((ssn::int))",
            "CREATE INDEX guess ON customers (id) WHERE ascii(ssn) = 49",
            "CREATE INDEX CONCURRENTLY guess ON customers USING btree (id) WHERE ssn LIKE '1%'",
    })
    void anIndexWhoseBuildingTestsTheMaskedValuesIsInferenceForThoseTheMaskDeniesIt(String sql) {
        // whether the index can be built (a division by zero, a failed cast, a duplicate) answers a question about the
        // values, row by row; a partial index's size or its use by the planner answers its WHERE
        Decision decision = decide(agent("bot", ANALYST), sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decide(ANALYST, sql).effect()).as("a human, whom mask-ssn lets infer: " + sql).isEqualTo(Decision.Effect.ALLOW);
        for (String harmless : new String[] {"CREATE INDEX by_ssn ON customers (ssn)", "CREATE UNIQUE INDEX by_id ON customers (id)",
                "CREATE INDEX recent ON customers (id) WHERE id > 5", "CREATE INDEX named ON customers ((lower(name)))"}) {
            assertThat(decide(agent("bot", ANALYST), harmless).effect()).as(harmless).isEqualTo(Decision.Effect.ALLOW);
        }
    }

    @org.junit.jupiter.api.Test
    void aSetReturningFunctionOverClearColumnsOrMaskedOnesForAHumanStaysAllowed() {
        Identity agent = agent("bot", ANALYST);
        assertThat(decide(agent, "SELECT count(*) FROM customers c, generate_series(1, c.id) g").effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(decide(agent, "SELECT upper(ssn) FROM customers").effect()).isEqualTo(Decision.Effect.ALLOW);
        assertThat(decide(ANALYST, "SELECT * FROM unnest((SELECT array_agg(ssn) FROM customers))").effect()).isEqualTo(Decision.Effect.ALLOW);
    }

    @org.junit.jupiter.api.Test
    void copyingRowsOutWithCopyIsDeniedSinceItsOutputCannotBeMasked() {
        Decision decision = decide(ANALYST, "COPY (SELECT ssn FROM customers) TO STDOUT");
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).contains("COPY output cannot be masked");
        assertThat(decide(PII_READER, "COPY customers TO STDOUT").effect()).isEqualTo(Decision.Effect.ALLOW);
    }

    @org.junit.jupiter.api.Test
    void aNaturalJoinOfTablesWhoseColumnsAreNotKnownIsRefusedToAnAgentSayingHowToJoinInstead() {
        Decision decision = decide(agent("bot", ANALYST), "SELECT o.id FROM orders o NATURAL JOIN customers c");
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).contains("may not use a masked column in JOIN", "NATURAL JOIN", "USING or ON");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO dump (x) SELECT name FROM customers",
            "INSERT INTO dump (x) SELECT count(ssn) FROM customers",
            "UPDATE customers SET name = 'x' WHERE id = 1",
    })
    void copyingUnmaskedColumnsIsAllowed(String sql) {
        assertThat(decide(ANALYST, sql).effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT id FROM customers WHERE ssn LIKE '1%'|mask-ssn|WHERE",
            "SELECT id FROM customers ORDER BY ssn|mask-ssn|ORDER BY",
            "SELECT count(*) FROM customers GROUP BY ssn|mask-ssn|GROUP BY",
            "SELECT c.id FROM customers c JOIN leaks l ON l.guess = c.ssn|mask-ssn|JOIN",
            "SELECT id FROM customers WHERE id IN (SELECT id FROM customers WHERE ssn = '078-05-1120')|mask-ssn|WHERE",
            "SELECT count(*) FROM customers GROUP BY id HAVING max(ssn) > '5'|mask-ssn|HAVING",
            "SELECT id FROM customers LIMIT (SELECT count(*) FROM customers WHERE ssn > '5')|mask-ssn|WHERE",
            "SELECT count(*) FROM customers c, generate_series(1, substr(c.ssn, 1, 3)::int) g|mask-ssn|the arguments of a set-returning function",
            "SELECT count(*) FROM customers c CROSS JOIN LATERAL unnest(string_to_array(c.ssn, '1')) u|mask-ssn|the arguments of a set-returning function",
            "SELECT count(*) FROM (SELECT generate_series(1, substr(ssn, 1, 3)::int) FROM customers) x|mask-ssn|the arguments of a set-returning function",
            "SELECT count(*) FROM generate_series(1, (SELECT substr(ssn, 8, 4)::int FROM customers WHERE id = 1))|mask-ssn|the arguments of a set-returning function",
            "SELECT count(*) FROM customers c, LATERAL (SELECT * FROM regexp_split_to_table(c.ssn, '')) x|mask-ssn|the arguments of a set-returning function",
            "SELECT id FROM customers NATURAL JOIN (SELECT '078-05-1120' AS ssn) g|mask-ssn|JOIN",
            "SELECT DISTINCT ssn FROM customers|mask-ssn|SELECT DISTINCT or a set operation",
            "SELECT count(*) FROM (SELECT ssn FROM customers WHERE id = 1 EXCEPT SELECT '078-05-1120') x|mask-ssn|SELECT DISTINCT or a set operation",
            "SELECT count(DISTINCT x) FROM (SELECT ssn AS x FROM customers WHERE id = 1 UNION ALL SELECT '078-05-1120') u|mask-ssn|SELECT DISTINCT or a set operation",
            "SELECT count(DISTINCT ssn) FROM customers WHERE id IN (1, 2)|mask-ssn|what a count counts other than rows or bare columns",
            "SELECT count(NULLIF(ssn, '078-05-1120')) FROM customers|mask-ssn|what a count counts other than rows or bare columns",
            "SELECT count(*) OVER (PARTITION BY ssn) FROM customers|mask-ssn|a window's PARTITION BY, ORDER BY or frame",
            "SELECT id, row_number() OVER (ORDER BY ssn) FROM customers|mask-ssn|a window's PARTITION BY, ORDER BY or frame",
            "SELECT count(*) FILTER (WHERE ssn LIKE '1%') FROM customers|mask-ssn|a window's PARTITION BY, ORDER BY or frame, or an aggregate's FILTER, which decide",
            "SELECT CASE WHEN ssn LIKE '1%' THEN 1 END FROM customers|mask-ssn|a condition within a value",
            "SELECT sum(CASE WHEN ssn LIKE '1%' THEN 1 ELSE 0 END) FROM customers|mask-ssn|a condition within a value",
            "SELECT ssn LIKE '1%' FROM customers|mask-ssn|a condition within a value",
            "SELECT row_number() OVER w FROM customers WINDOW w AS (PARTITION BY ssn)|mask-ssn|a window's PARTITION BY, ORDER BY or frame",
    })
    void agentsMayNotAskQuestionsAboutMaskedColumns(String sql, String mask, String clause) {
        Identity agent = agent("bot", ANALYST);
        Decision decision = decide(agent, sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).containsExactly(mask);
        assertThat(decision.reason()).contains("may not use a masked column in " + clause, "deny-inference");
        assertThat(decide(ANALYST, sql).effect()).as("a human under mask-ssn's default").isEqualTo(Decision.Effect.ALLOW);
        Identity readerAgent = Identity.builder("bot").kind(IdentityKind.AGENT).groups("pii-readers").onBehalfOf(PII_READER).build();
        assertThat(decide(readerAgent, sql).effect()).as("an agent of a pii-reader").isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT count(*) FROM customers WHERE database_to_xml(true, false, '')::text LIKE '%078-05-1120%'",
            "SELECT id FROM customers WHERE strpos(table_to_xml('customers', true, false, '')::text, '<ssn>1') > 0",
            "SELECT city FROM customers GROUP BY city HAVING schema_to_xml('public', true, false, '')::text LIKE '%x%'",
            "SELECT c.id FROM customers c JOIN orders o ON o.customer_id = c.id AND lookup(c.id) = 'x'",
            "SELECT id FROM customers ORDER BY lookup(id)",
            "SELECT count(*) FROM generate_series(1, lookup_count())",
    })
    void agentsMayNotTestWhatAFunctionMayHaveReadOutOfSight(String sql) {
        Identity agent = agent("bot", ANALYST);
        Decision decision = decide(agent, sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.reason()).as(sql).contains("a function not known to derive only from its arguments",
                "may read any table", "may not use a masked value in a filter or sort");
        assertThat(decide(PII_READER, sql).effect()).as("no mask applies to a pii-reader").isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT id FROM customers WHERE lower(city) = 'porto' AND signed_up < now()",
            "SELECT table_to_xml('customers', true, false, '')",
            "SELECT id FROM customers WHERE id = 1",
            // built-ins on the maintained list compute from their arguments and the session, whatever their lineage rule
            "SELECT id FROM customers WHERE to_tsvector('english', city) @@ plainto_tsquery('english', 'porto')",
            "SELECT id FROM customers WHERE obj_description('customers'::regclass) IS NOT NULL",
    })
    void agentsMayTestWhatIsKnownToDeriveFromItsArgumentsAndSelectTheRest(String sql) {
        assertThat(decide(agent("bot", ANALYST), sql).effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT id FROM customers WHERE email LIKE 'a%'",
            "SELECT id FROM customers ORDER BY email",
    })
    void aMaskCanDenyInferenceToHumansToo(String sql) {
        Decision decision = decide(ANALYST, sql);
        assertThat(decision.effect()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).containsExactly("mask-email");
        assertThat(decide(PII_READER, sql).effect()).isEqualTo(Decision.Effect.ALLOW);
    }

    private Decision decideMariaDb(Identity identity, String sql) {
        return engine.decide(identity, analyzer.analyze(sql, Dialect.MARIADB), DecisionContext.defaultSchema("app"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT id FROM customers WHERE id = 1 AND LENGTH(@k := REPLACE(ssn, '-', '')) > 0",
            "SELECT @k := ssn FROM customers WHERE id = 1",
            "SELECT id, (@k := ssn) IS NULL FROM customers",
            "SELECT id FROM customers ORDER BY (@k := ssn) LIMIT 1",
            "SELECT id FROM customers GROUP BY id HAVING (@k := MAX(ssn)) IS NOT NULL",
            "SELECT x.v FROM (SELECT @k := ssn AS v FROM customers) x",
            "SELECT @k := (SELECT ssn FROM customers WHERE id = 1)",
            "SET @k = (SELECT ssn FROM customers WHERE id = 1)",
            "SET @k = (SELECT CONCAT('', ssn) FROM customers WHERE id = 1), @j = 2",
            "SET @j = 2, @k = (SELECT ssn FROM customers WHERE id = 1)",
            "SET max_join_size = (SELECT ssn FROM customers WHERE id = 1)",
            "SET SESSION sql_select_limit = (SELECT MAX(ssn) FROM customers)",
            "SET @@session.max_join_size = (SELECT REPLACE(ssn, '-', '') FROM customers WHERE id = 3)",
            "SELECT LAST_INSERT_ID(CAST(REPLACE(ssn, '-', '') AS UNSIGNED)) FROM customers WHERE id = 1",
            "SELECT COUNT(*) FROM customers WHERE LAST_INSERT_ID(ssn) > 0",
            "SELECT id FROM customers ORDER BY SETVAL(s, ssn)",
            "SELECT GET_LOCK(ssn, 0) FROM customers",
    })
    void copyingAMaskedColumnIntoASessionVariableOrSettingIsDenied(String sql) {
        Decision decision = decideMariaDb(ANALYST, sql);
        assertThat(decision.effect()).as(sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decision.reason()).contains("session variable, setting or other value the session keeps", "may not be copied in clear");
        // the session keeps it past the statement, and a pooled connection's next borrower reads it, whoever it is
        assertThat(decideMariaDb(PII_READER, sql).effect()).as("pii-reader: " + sql).isEqualTo(Decision.Effect.DENY);
        assertThat(decideMariaDb(PII_READER, "SELECT ssn FROM customers WHERE id = 1").effect())
                .as("reading the column itself stays allowed to the exempt").isEqualTo(Decision.Effect.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT @k := name FROM customers WHERE id = 1",
            "SELECT @n := COUNT(ssn) FROM customers",
            "SET @k = (SELECT name FROM customers WHERE id = 1)",
            "SET @k = 1, @j = 'x'",
            "SET autocommit = ON, NAMES utf8mb4",
            "SET time_zone = '+00:00'",
            "SELECT @k := @j",
            "SELECT LAST_INSERT_ID(id) FROM customers WHERE id = 1",
            "SELECT LAST_INSERT_ID()",
            "SELECT GET_LOCK('migration', 10)",
            "SELECT @n := COUNT(CASE WHEN name LIKE 'A%' THEN 1 END) FROM customers",
            "SELECT @rank := @rank + 1 AS r, name FROM customers",
    })
    void copyingUnmaskedValuesIntoASessionVariableIsAllowed(String sql) {
        assertThat(decideMariaDb(ANALYST, sql).effect()).as(sql).isEqualTo(Decision.Effect.ALLOW);
    }

    @org.junit.jupiter.api.Test
    void aSetThatReadsATableReadsIt() {
        io.governed.sql.SqlAnalysis analysis = analyzer.analyze("SET @k = (SELECT body FROM vault.notes WHERE id = 1)",
                Dialect.MARIADB);
        assertThat(analysis.statements().get(0).tablesRead()).extracting(io.governed.sql.TableRef::name).containsExactly("notes");
    }
}
