package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.PlpgsqlBody;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.TableRef;
import io.governed.sql.names.NameResolver;
import io.governed.sql.names.PostgresSearchPath;
import io.governed.sql.names.RelationLocator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A schema migration (Flyway's, Liquibase's) runs as the migration identity, whose purpose is {@code migration}. When a
 * mask applying to it refuses one of its statements (a backfill copying a masked column, a rename of the column or of
 * a table a pattern names, a move to another schema, a MERGE table, code that reads a masked column; and where the
 * mask's deny-shaping names the identity's kind, a trigger, a new schema, an object named like another schema's, a
 * stored setting), the refusal ends by saying how to exempt migrations from the mask ({@code unless: { purposes:
 * [migration] }}, or what the mask's {@code unless} names given to the migration identity: {@code
 * governed.migration.groups} with the Spring Boot starter), in the words of what the statement does. Any other caller's
 * refusal of the same statement is word for word what it was, without that hint.
 */
class MaskRefusalOfAMigrationTest {

    /** The migration identity as the starter and the driver give it: a service whose purpose is {@code migration}. */
    private static final Identity MIGRATION = Identity.builder("schema-owner").kind(IdentityKind.SERVICE)
            .purpose("migration").build();
    /** The same principal with no purpose, and with another purpose. */
    private static final List<Identity> OTHERS = List.of(
            Identity.builder("schema-owner").kind(IdentityKind.SERVICE).build(),
            Identity.builder("schema-owner").kind(IdentityKind.SERVICE).purpose("reporting").build());

    /** What every hint says, whatever the refusal. */
    private static final String[] HOW = {"exempt migrations from", "with unless: { purposes: [migration] }",
            "or give the migration identity what the", "(governed.migration.groups with the Spring Boot starter)"};

    private static final SqlAnalyzer ANALYZER = new SqlAnalyzer();

    /** Masks applying to the migration identity: ssn in any table, salary of public.payroll by its table's name. */
    private static final PolicyEngine MASKED = new PolicyEngine(PolicyLoader.fromString("masked.yaml", """
            version: 1
            rules:
              - { id: all, effect: permit, actions: ["*"] }
            masks:
              - { id: mask-ssn, columns: { patterns: ["*.ssn"] }, function: partial, keep-last: 4, unless: { groups: [pii-readers] } }
              - { id: mask-salary, columns: { patterns: ["public.payroll.salary"] }, function: redact, unless: { groups: [pii-readers] } }
            """));

    /** A mask that also keeps services (the migration identity's kind) from shaping what other sessions resolve. */
    private static final PolicyEngine SHAPING = new PolicyEngine(PolicyLoader.fromString("shaping.yaml", """
            version: 1
            rules:
              - { id: all, effect: permit, actions: ["*"] }
            masks:
              - { id: mask-ssn, columns: { patterns: ["*.ssn"] }, function: partial, keep-last: 4, deny-shaping: [agent, service] }
            """));

    /** PostgreSQL's catalog: public.customers and public.app_log(…) exist; staging is an empty schema. */
    private static final Map<String, Set<String>> OBJECTS = Map.of("customers", Set.of("public"),
            "app_log", Set.of("public"));
    private static final DecisionContext SEARCH_PATH = DecisionContext.of(new PostgresSearchPath(
            List.of("pg_catalog", "public"), new RelationLocator() {
                @Override
                public Set<String> schemasHolding(String name) {
                    return name.equals("customers") ? Set.of("public") : Set.of();
                }

                @Override
                public Set<String> schemasNaming(String name) {
                    return OBJECTS.getOrDefault(name, Set.of());
                }

                @Override
                public List<TableRef> routinesRunOnWrite(String schema, String name) {
                    return List.of();
                }

                @Override
                public List<io.governed.sql.names.CascadedWrite> cascadedWrites(String schema, String name,
                                                                                 io.governed.sql.Action action) {
                    return List.of();
                }
            }));

    /** MariaDB's catalog: app.orders (a table with ssn), app.mine (a table), app.m (a MERGE table over orders). */
    private static final DecisionContext MARIADB_CATALOG = DecisionContext.of(MariaDbMergeMasksTest.catalogOf(
            Map.of("orders", NameResolver.RelationKind.TABLE, "mine", NameResolver.RelationKind.TABLE,
                    "m", NameResolver.RelationKind.OTHER),
            Map.of("orders", Set.of("id", "ssn"), "mine", Set.of("id", "tax"), "m", Set.of("id", "ssn"))));

    /** Code the database runs: s.customers' trigger normalises the row's ssn; s.stash(id) copies it through a variable. */
    private static DecisionContext code() {
        CatalogStub session = new CatalogStub();
        session.writeRoutines.put("customers", List.of(new TableRef("s", "normalise")));
        session.routineBodies.put("normalise", String.join(";\n", PlpgsqlBody.statements(
                "BEGIN NEW.ssn := upper(NEW.ssn); RETURN NEW; END", "normalise", List.of(), true)));
        session.routineBodies.put("stash", String.join(";\n", PlpgsqlBody.statements("""
                DECLARE v text;
                BEGIN
                  SELECT ssn INTO v FROM s.customers WHERE id = p_id;
                  INSERT INTO s.pub (v) VALUES (v);
                  RETURN 1;
                END""", "stash", List.of("p_id"), false)));
        session.routineBodies.put("copy_ssn", "INSERT INTO s.pub (v) SELECT ssn FROM s.customers WHERE id = $1");
        return DecisionContext.of(session);
    }

    /**
     * Each kind of refusal a migration's statement can meet under a mask applying to it: a name, the engine and the
     * session it is judged with, the statement, what the refusal says (to tell it from the others), and how the hint
     * speaks of what the migration does.
     */
    static Stream<Arguments> refusals() {
        DecisionContext pg = DecisionContext.defaultSchema("public");
        return Stream.of(
                Arguments.of("copy of a masked column", MASKED, pg, Dialect.POSTGRESQL,
                        "UPDATE customers SET note = ssn", "may not be copied in clear", "copy (a backfill, say)"),
                Arguments.of("copy of a function's result", MASKED, pg, Dialect.POSTGRESQL,
                        "UPDATE customers SET note = s.derive(id)", "writes the result of a function not known",
                        "copy (a backfill, say)"),
                Arguments.of("rename of a masked column", MASKED, pg, Dialect.POSTGRESQL,
                        "ALTER TABLE customers RENAME COLUMN ssn TO tax_id", "renames ssn of", "rename"),
                Arguments.of("rename of a table a mask names", MASKED, pg, Dialect.POSTGRESQL,
                        "ALTER TABLE payroll RENAME TO wages", "another name or schema", "rename or move"),
                Arguments.of("move of a table a mask names to another schema", MASKED, pg, Dialect.POSTGRESQL,
                        "ALTER TABLE payroll SET SCHEMA archive", "another name or schema", "rename or move"),
                Arguments.of("rename of a schema", MASKED, pg, Dialect.POSTGRESQL,
                        "ALTER SCHEMA public RENAME TO old_public", "renames schema public", "rename of a schema"),
                Arguments.of("rename of a type's attribute in its typed tables", MASKED, pg, Dialect.POSTGRESQL,
                        "ALTER TYPE person RENAME ATTRIBUTE ssn TO tax_id CASCADE", "of tables it does not name",
                        "rename"),
                Arguments.of("synonym of a table a mask names", MASKED, DecisionContext.defaultSchema("PUBLIC"),
                        Dialect.H2, "CREATE SYNONYM pay FOR payroll", "a second name", "second name for a table"),
                Arguments.of("MERGE table over a masked column", MASKED, MARIADB_CATALOG, Dialect.MARIADB,
                        "ALTER TABLE mine UNION=(orders) ENGINE=MERGE", "covers its column ssn", "MERGE table"),
                Arguments.of("MERGE table over a table whose columns cannot be read", MASKED, MARIADB_CATALOG,
                        Dialect.MARIADB, "ALTER TABLE mine UNION=(nowhere) ENGINE=MERGE", "the catalog does not show",
                        "MERGE table"),
                Arguments.of("table created like a MERGE table", MASKED, MARIADB_CATALOG, Dialect.MARIADB,
                        "CREATE TABLE copied LIKE m", "CREATE TABLE … LIKE copies", "new table"),
                Arguments.of("values handed to a file", MASKED, pg, Dialect.POSTGRESQL,
                        "SELECT pg_file_write('/tmp/x', ssn, true) FROM customers", "a file or another database",
                        "file or database access"),
                Arguments.of("event whose body cannot be read", MASKED, DecisionContext.defaultSchema("app"),
                        Dialect.MARIADB, "CREATE EVENT e ON SCHEDULE AT CURRENT_TIMESTAMP DO lbl: BEGIN END lbl",
                        "defines an event whose body", "event"),
                Arguments.of("SQL run from text", MASKED, DecisionContext.defaultSchema("app"), Dialect.MARIADB,
                        "EXECUTE IMMEDIATE 'INSERT INTO dump SELECT ssn FROM customers'", "by name or from text",
                        "SQL run by name or from text"),
                Arguments.of("trigger reading a masked column", MASKED, code(), Dialect.POSTGRESQL,
                        "UPDATE s.customers SET name = 'x' WHERE id = 1", "Have the code read no masked column",
                        "statement running such code"),
                Arguments.of("routine passing a masked value to a write", MASKED, code(), Dialect.POSTGRESQL,
                        "SELECT s.stash(1)", "values pass between the code's statements", "statement running such code"),
                Arguments.of("routine copying a masked column", MASKED, code(), Dialect.POSTGRESQL,
                        "SELECT s.copy_ssn(1)", "where a statement of that code copies 'ssn'", "copy (a backfill, say)"),
                Arguments.of("stored setting", SHAPING, SEARCH_PATH, Dialect.POSTGRESQL,
                        "ALTER ROLE app SET search_path = staging, public", "stores a setting for other sessions",
                        "stored setting"),
                Arguments.of("new schema", SHAPING, SEARCH_PATH, Dialect.POSTGRESQL, "CREATE SCHEMA accounts",
                        "may be on the search path of other sessions", "new schema"),
                Arguments.of("view named like another schema's table", SHAPING, SEARCH_PATH, Dialect.POSTGRESQL,
                        "CREATE VIEW staging.customers AS SELECT 1 AS id", "would shadow it", "new object"),
                Arguments.of("rename to another schema's table's name", SHAPING, SEARCH_PATH, Dialect.POSTGRESQL,
                        "ALTER TABLE staging.mine RENAME TO customers", "would shadow it", "rename"),
                Arguments.of("trigger on a table", SHAPING, SEARCH_PATH, Dialect.POSTGRESQL,
                        "CREATE TRIGGER grab AFTER INSERT ON customers FOR EACH ROW EXECUTE FUNCTION staging.grab()",
                        "runs later in other sessions' statements", "code"));
    }

    private static Decision decide(PolicyEngine engine, DecisionContext context, Dialect dialect, Identity identity,
                                   String sql) {
        return engine.decide(identity, ANALYZER.analyze(sql, dialect), context);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aMigrationsRefusalSaysHowToExemptMigrationsFromTheMask(String kind, PolicyEngine engine,
                                                                  DecisionContext context, Dialect dialect, String sql,
                                                                  String refusal, String what) {
        Decision decision = decide(engine, context, dialect, MIGRATION, sql);
        assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).hasSize(1);
        assertThat(decision.rules().get(0)).as(sql).startsWith("mask-");
        assertThat(decision.reason()).as(sql).contains(refusal)
                .contains("; for a schema migration's " + what + ", exempt migrations from ").contains(HOW)
                .endsWith("(governed.migration.groups with the Spring Boot starter)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void anotherCallersRefusalOfTheSameStatementHasNoHint(String kind, PolicyEngine engine, DecisionContext context,
                                                          Dialect dialect, String sql, String refusal, String what) {
        Decision migration = decide(engine, context, dialect, MIGRATION, sql);
        for (Identity other : OTHERS) {
            Decision decision = decide(engine, context, dialect, other, sql);
            assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.DENY);
            assertThat(decision.rules()).as(sql).isEqualTo(migration.rules());
            assertThat(decision.reason()).as(sql).contains(refusal).doesNotContain("purposes: [migration]")
                    .doesNotContain("governed.migration").doesNotContain("schema migration");
            // the migration's refusal is this one and the hint after it
            assertThat(migration.reason()).as(sql).startsWith(decision.reason() + "; for a schema migration's ");
        }
    }
}
