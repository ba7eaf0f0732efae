package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.names.PostgresSearchPath;
import io.governed.sql.names.RelationLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.governed.policy.Identities.agent;
import static io.governed.policy.Identities.human;
import static io.governed.policy.Identities.service;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An AI agent a mask applies to shares the application's database role, and code it attaches to the application's
 * objects (a trigger, a rule, a row security policy, a default, a check, an index expression, a domain's check, a cast,
 * an operator, an event trigger, an extension) or a routine of the application's it replaces or alters runs later in
 * the application's own statements, where the application's identity sees values the mask hides from the agent: the
 * code may copy them where the agent reads them in clear. Such a statement is refused to the agent; a brand-new
 * routine under a name no schema holds, and code on an object the statement itself creates, are not. An identity the
 * mask exempts, a migration identity, and a masked service or human still define such code as their work.
 */
class PlantedCodeTest {

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("planted.yaml", """
            version: 1
            rules:
              - { id: all, effect: permit, actions: ["*"] }
            masks:
              - { id: mask-ssn, columns: { patterns: ["*.ssn"] }, function: partial, keep-last: 4, unless: { kinds: [service] } }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private static final Identity AGENT = agent("bot", human("ann"));
    private static final Identity APP = service("customer-service");
    /** A human the mask applies to, running a migration of the application: defining code is its work. */
    private static final Identity MIGRATOR = human("flyway");

    /** The catalog: public.customers, public.app_log(…), public.log_it(…) exist; staging is an empty schema. */
    private static final Map<String, Set<String>> OBJECTS = Map.of(
            "customers", Set.of("public"), "app_log", Set.of("public"), "log_it", Set.of("public"),
            "lower", Set.of("pg_catalog"), "d", Set.of("public"));
    private static final RelationLocator CATALOG = new RelationLocator() {
        @Override
        public Set<String> schemasHolding(String name) {
            return name.equals("customers") ? Set.of("public") : Set.of();
        }

        @Override
        public Set<String> schemasNaming(String name) {
            return OBJECTS.getOrDefault(name, Set.of());
        }

        @Override
        public List<io.governed.sql.TableRef> routinesRunOnWrite(String schema, String name) {
            return List.of();
        }

        @Override
        public List<io.governed.sql.names.CascadedWrite> cascadedWrites(String schema, String name,
                                                                         io.governed.sql.Action action) {
            return List.of();
        }
    };
    private static final DecisionContext SESSION = DecisionContext.of(
            new PostgresSearchPath(List.of("pg_catalog", "public"), CATALOG));

    /** What the refusal of planted code says. */
    private static final String PLANTED = "runs later in other sessions' statements";

    private Decision decide(Identity identity, String sql, Dialect dialect) {
        DecisionContext context = dialect == Dialect.POSTGRESQL ? SESSION : DecisionContext.defaultSchema(
                dialect == Dialect.MARIADB ? "app" : "PUBLIC");
        return engine.decide(identity, analyzer.analyze(sql, dialect), context);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // the application's routine replaced, overloaded or altered
            "POSTGRESQL | CREATE OR REPLACE FUNCTION public.app_log(text) RETURNS void LANGUAGE sql AS 'INSERT INTO staging.loot VALUES ($1)'",
            "POSTGRESQL | CREATE OR REPLACE FUNCTION app_log(text) RETURNS void LANGUAGE sql AS 'SELECT 1'",
            "POSTGRESQL | CREATE FUNCTION public.app_log(varchar) RETURNS void LANGUAGE sql AS 'SELECT 1'",
            "POSTGRESQL | CREATE OR REPLACE PROCEDURE public.app_log(text) LANGUAGE sql AS 'SELECT 1'",
            "POSTGRESQL | ALTER FUNCTION app_log(text) SECURITY DEFINER",
            "POSTGRESQL | ALTER FUNCTION public.app_log(text) OWNER TO postgres",
            "POSTGRESQL | ALTER FUNCTION app_log(text) SET search_path = staging, public",
            // triggers, rules, row security
            "POSTGRESQL | CREATE TRIGGER grab AFTER INSERT ON customers FOR EACH ROW EXECUTE FUNCTION staging.grab()",
            "POSTGRESQL | CREATE OR REPLACE TRIGGER grab AFTER INSERT ON public.customers FOR EACH ROW EXECUTE FUNCTION app_log()",
            "POSTGRESQL | CREATE TRIGGER grab AFTER INSERT ON staging.mine FOR EACH ROW EXECUTE FUNCTION staging.grab()",
            "POSTGRESQL | CREATE RULE grab AS ON INSERT TO customers DO ALSO INSERT INTO staging.loot VALUES (NEW.ssn)",
            "POSTGRESQL | CREATE POLICY grab ON customers USING (log_it(ssn))",
            "POSTGRESQL | ALTER POLICY grab ON customers USING (log_it(ssn))",
            "POSTGRESQL | ALTER TABLE customers ENABLE ROW LEVEL SECURITY",
            "POSTGRESQL | ALTER TABLE customers FORCE ROW LEVEL SECURITY",
            "POSTGRESQL | ALTER TABLE customers ENABLE TRIGGER grab",
            "POSTGRESQL | ALTER TABLE customers ENABLE ALWAYS TRIGGER grab",
            "POSTGRESQL | ALTER TABLE public.customers ENABLE RULE grab",
            // expressions of the application's table that call a routine
            "POSTGRESQL | ALTER TABLE customers ADD COLUMN tag text DEFAULT log_it('x')",
            "POSTGRESQL | ALTER TABLE customers ADD COLUMN tag boolean GENERATED ALWAYS AS (log_it(ssn)) STORED",
            "POSTGRESQL | ALTER TABLE customers ADD CONSTRAINT grab CHECK (log_it(ssn))",
            "POSTGRESQL | ALTER TABLE customers ALTER COLUMN name SET DEFAULT staging.grab()",
            "POSTGRESQL | CREATE INDEX grab ON public.customers (log_it(ssn))",
            "POSTGRESQL | CREATE INDEX grab ON public.customers USING btree (name) WHERE log_it(ssn)",
            "POSTGRESQL | CREATE OR REPLACE VIEW public.app_view AS SELECT log_it(name) AS logged FROM customers",
            "POSTGRESQL | CREATE TYPE staging.r AS RANGE (subtype = text, subtype_diff = staging.grab)",
            "POSTGRESQL | CREATE TEXT SEARCH PARSER staging.p (START = staging.grab, GETTOKEN = staging.grab, END = staging.grab, LEXTYPES = staging.grab)",
            "POSTGRESQL | ALTER FUNCTION staging.grab(text) RENAME TO grab2",
            "POSTGRESQL | CREATE FUNCTION staging.grab_new(text) RETURNS void LANGUAGE sql AS 'SELECT 1'; CREATE TRIGGER grab AFTER INSERT ON customers FOR EACH ROW EXECUTE FUNCTION staging.grab_new()",
            // code the application's values pass through by type or operator
            "POSTGRESQL | CREATE DOMAIN watched AS text CHECK (log_it(VALUE))",
            "POSTGRESQL | ALTER DOMAIN d ADD CONSTRAINT grab CHECK (log_it(VALUE))",
            "POSTGRESQL | CREATE CAST (text AS int) WITH FUNCTION staging.grab(text)",
            "POSTGRESQL | CREATE OPERATOR staging.=== (LEFTARG = text, RIGHTARG = text, FUNCTION = staging.grab)",
            "POSTGRESQL | CREATE EVENT TRIGGER grab ON ddl_command_end EXECUTE FUNCTION staging.grab()",
            "POSTGRESQL | CREATE EXTENSION pgcrypto SCHEMA staging",
            "POSTGRESQL | CREATE AGGREGATE staging.grab(text) (SFUNC = textcat, STYPE = text)",
            // MariaDB
            "MARIADB    | CREATE TRIGGER grab AFTER INSERT ON customers FOR EACH ROW INSERT INTO loot VALUES (NEW.ssn)",
            "MARIADB    | CREATE OR REPLACE TRIGGER grab BEFORE INSERT ON customers FOR EACH ROW SET NEW.name = NEW.name",
            "MARIADB    | CREATE DEFINER = CURRENT_USER TRIGGER grab AFTER UPDATE ON customers FOR EACH ROW INSERT INTO loot VALUES (1)",
            "MARIADB    | CREATE OR REPLACE FUNCTION app_log(v text) RETURNS int RETURN 1",
            "MARIADB    | CREATE EVENT grab ON SCHEDULE EVERY 1 MINUTE DO UPDATE customers SET name = name",
            "MARIADB    | ALTER TABLE customers ADD COLUMN tag int DEFAULT (log_it('x'))",
            "MARIADB    | ALTER TABLE customers ADD COLUMN tag int AS (log_it(ssn))",
            // H2
            "H2         | CREATE TRIGGER grab AFTER INSERT ON customers FOR EACH ROW CALL \"io.example.Grab\"",
            "H2         | ALTER TABLE customers ADD COLUMN tag VARCHAR DEFAULT log_it('x')",
    })
    void codeAttachedToTheApplicationsObjectsIsRefusedToTheAgent(Dialect dialect, String sql) {
        Decision decision = decide(AGENT, sql, dialect);
        assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql + ": " + decision.reason()).containsExactly("mask-ssn");
        assertThat(decision.reason()).as(sql).contains("mask-ssn", "Have an identity the mask exempts");
        assertThat(decision.reason()).as(sql).contains(PLANTED);
        Decision app = decide(APP, sql, dialect);
        assertThat(app.effect()).as("the application: " + sql + ": " + app.reason()).isEqualTo(Decision.Effect.ALLOW);
        // a masked migration identity may be refused what copies masked values itself, never for defining code
        assertThat(decide(MIGRATOR, sql, dialect).reason()).as("a migration: " + sql).doesNotContain(PLANTED);
    }

    @Test
    void theRefusalSaysWhatRunsWhereAndWhoShouldDefineIt() {
        Decision decision = decide(AGENT, "CREATE TRIGGER grab AFTER INSERT ON customers FOR EACH ROW"
                + " EXECUTE FUNCTION staging.grab()", Dialect.POSTGRESQL);
        assertThat(decision.reason()).contains("code", "application", "migration identity");
        assertThat(decision.reason()).doesNotContain("123-45");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CREATE STATISTICS grab ON (log_it(ssn)), name FROM customers",
            "CREATE UNIQUE INDEX grab ON public.customers (staging.grab(name)) INCLUDE (id)",
            "CREATE TABLE staging.part PARTITION OF customers FOR VALUES IN (3) (CHECK (log_it(ssn)))",
    })
    void aDefinitionTheParserCannotReadStaysRefused(String sql) {
        Decision decision = decide(AGENT, sql, Dialect.POSTGRESQL);
        assertThat(decision.effect()).as(decision.reason()).isEqualTo(Decision.Effect.DENY);
    }

    /**
     * The parser reads a CREATE FUNCTION's body to the end of the text, with the statements after it: they must still
     * be seen, whoever runs them (a trigger hidden after a new routine; a DROP the policy forbids).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | CREATE FUNCTION staging.grab_new(text) RETURNS void LANGUAGE sql AS 'SELECT 1'; CREATE TRIGGER grab AFTER INSERT ON customers FOR EACH ROW EXECUTE FUNCTION staging.grab_new()",
            "POSTGRESQL | CREATE FUNCTION staging.grab_new() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$; CREATE RULE grab AS ON INSERT TO customers DO ALSO NOTIFY grab",
            "H2         | CREATE ALIAS grab_new FOR \"java.lang.Math.abs\"; CREATE TRIGGER grab AFTER INSERT ON customers FOR EACH ROW CALL \"io.example.Grab\"",
    })
    void aStatementAfterARoutinesDefinitionIsSeen(Dialect dialect, String sql) {
        Decision decision = decide(AGENT, sql, dialect);
        assertThat(decision.effect()).as(decision.reason()).isEqualTo(Decision.Effect.DENY);
    }

    @Test
    void aDropAfterARoutinesDefinitionIsJudgedAsADrop() {
        PolicyEngine noDrops = new PolicyEngine(PolicyLoader.fromString("no-drops.yaml", """
                version: 1
                rules:
                  - { id: all, effect: permit, actions: ["*"] }
                  - { id: no-drop, effect: forbid, actions: [drop] }
                """));
        for (String sql : List.of("CREATE PROCEDURE staging.p() LANGUAGE sql AS 'SELECT 1'; DROP TABLE customers",
                "CREATE FUNCTION staging.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$; DROP TABLE customers")) {
            Decision decision = noDrops.decide(APP, analyzer.analyze(sql, Dialect.POSTGRESQL), SESSION);
            assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.DENY);
            assertThat(decision.rules()).as(sql).contains("no-drop");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | CREATE FUNCTION staging.brand_new(text) RETURNS text LANGUAGE sql AS 'SELECT upper($1)'",
                        "POSTGRESQL | CREATE TABLE staging.mine (id int, note text DEFAULT upper('x'))",
            "POSTGRESQL | CREATE INDEX customers_name ON public.customers (name)",
            "POSTGRESQL | CREATE INDEX customers_lower ON public.customers (lower(name))",
            "POSTGRESQL | ALTER TABLE customers ADD COLUMN note text DEFAULT 'x'",
            "POSTGRESQL | ALTER TABLE customers ADD COLUMN seen timestamptz DEFAULT now()",
            "POSTGRESQL | ALTER TABLE customers DISABLE TRIGGER ALL",
            "POSTGRESQL | CREATE TYPE staging.mood AS ENUM ('ok', 'sad')",
            "POSTGRESQL | CREATE TYPE staging.pair AS (a int, b text)",
            "MARIADB    | ALTER TABLE customers ENABLE KEYS",
            "MARIADB    | CREATE TABLE mine (id int, tag int DEFAULT (log_it('x')))",
            "POSTGRESQL | CREATE DOMAIN short_text AS varchar(20)",
            "MARIADB    | CREATE FUNCTION brand_new(v text) RETURNS int RETURN 1",
            "MARIADB    | ALTER TABLE customers ADD COLUMN note text DEFAULT 'x'",
            "H2         | ALTER TABLE customers ADD COLUMN note VARCHAR DEFAULT 'x'",
    })
    void whatIsProvenSafeStaysAllowedToTheAgent(Dialect dialect, String sql) {
        Decision decision = decide(AGENT, sql, dialect);
        assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.ALLOW);
    }
    /**
     * A policy that distrusts analysts too (a mask naming {@code human} in {@code deny-shaping}) keeps them from
     * planting code and from shadowing the application's names as it keeps agents; a service under the same mask, a
     * human under a mask that leaves humans out of {@code deny-shaping} (by default, or naming them in
     * {@code deny-inference} only), still define code and create schemas as their work.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "CREATE TRIGGER grab AFTER INSERT ON customers FOR EACH ROW EXECUTE FUNCTION staging.grab()  | runs later in other sessions' statements",
            "CREATE OR REPLACE FUNCTION public.app_log(text) RETURNS void LANGUAGE sql AS 'SELECT 1'       | runs later in other sessions' statements",
            "CREATE SCHEMA bot                                                                             | may be on the search path of other sessions",
            "CREATE VIEW staging.customers AS SELECT 1 AS id                                               | would shadow it",
            "ALTER ROLE app SET search_path = staging, public                                              | stores a setting for other sessions",
    })
    void aHumanWhoseKindAMaskDeniesShapingIsKeptFromShapingOtherSessionsAsAnAgentIs(String sql, String why) {
        PolicyEngine distrusting = new PolicyEngine(PolicyLoader.fromString("distrusting.yaml", """
                version: 1
                rules:
                  - { id: all, effect: permit, actions: ["*"] }
                masks:
                  - { id: mask-ssn, columns: { patterns: ["*.ssn"] }, function: partial, keep-last: 4, deny-shaping: [agent, human] }
                """));
        PolicyEngine probingOnly = new PolicyEngine(PolicyLoader.fromString("probing.yaml", """
                version: 1
                rules:
                  - { id: all, effect: permit, actions: ["*"] }
                masks:
                  - { id: mask-ssn, columns: { patterns: ["*.ssn"] }, function: partial, keep-last: 4, deny-inference: [agent, human] }
                """));
        Identity analyst = human("ann");
        Decision decision = distrusting.decide(analyst, analyzer.analyze(sql, Dialect.POSTGRESQL), SESSION);
        assertThat(decision.effect()).as(sql + ": " + decision.reason()).isEqualTo(Decision.Effect.DENY);
        assertThat(decision.rules()).as(sql).containsExactly("mask-ssn");
        assertThat(decision.reason()).as(sql).contains(why);
        assertThat(distrusting.decide(service("customer-service"), analyzer.analyze(sql, Dialect.POSTGRESQL), SESSION)
                .effect()).as("a service the mask does not deny inference: " + sql).isEqualTo(Decision.Effect.ALLOW);
        assertThat(engine.decide(analyst, analyzer.analyze(sql, Dialect.POSTGRESQL), SESSION).effect())
                .as("a human under a mask denying shaping to agents only: " + sql).isEqualTo(Decision.Effect.ALLOW);
        assertThat(probingOnly.decide(analyst, analyzer.analyze(sql, Dialect.POSTGRESQL), SESSION).effect())
                .as("a human under a mask denying it inference, not shaping: " + sql).isEqualTo(Decision.Effect.ALLOW);
    }
}
