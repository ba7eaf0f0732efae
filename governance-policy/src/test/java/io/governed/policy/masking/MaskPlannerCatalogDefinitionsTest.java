package io.governed.policy.masking;

import io.governed.identity.Identity;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.StatementAnalysis;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * The definitions the database keeps (PostgreSQL's node trees of defaults, checks, views, policies and partitions,
 * whose constants are byte lists no detector recognises; the texts of defaults, checks, views, triggers and routines on
 * every server) hold the literals they were written with: a caller any mask applies to sees them redacted, whatever
 * column the mask names, and however the statement reaches them (a cast, a function of them, a derived table, a CTE);
 * a caller no mask applies to sees them as they are, and the catalog's other columns stay clear for everyone.
 */
class MaskPlannerCatalogDefinitionsTest {
    private static final String POLICY = String.join("\n",
            "version: 1",
            "default: allow",
            "classification: { auto-detect: false, tags: { pii.email: [\"*.email\"] } }",
            "masks:",
            "  - id: mask-email",
            "    columns: { tags: [pii.email] }",
            "    function: email",
            "    unless: { groups: [pii-readers] }",
            "");
    private static final Identity ANALYST = human("ann", "analysts");
    private static final Identity PII_READER = human("pia", "analysts", "pii-readers");

    private final MaskPlanner planner = MaskPlanner.of(PolicyLoader.fromString("definitions.yaml", POLICY));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private List<String> masks(Identity identity, String sql, Dialect dialect) {
        StatementAnalysis statement = analyzer.analyze(sql, dialect).statements().get(0);
        MaskPlan plan = planner.plan(identity, statement, "public", dialect);
        if (plan.columns().isEmpty()) {
            return List.of("clear"); // no mask applies to the caller: nothing is planned
        }
        return plan.columns().stream().map(c -> c.mask() == null ? "clear" : c.mask().describe()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT adbin FROM pg_catalog.pg_attrdef",
            "SELECT adbin FROM pg_attrdef",
            "SELECT ADBIN FROM PG_CATALOG.PG_ATTRDEF",
            "SELECT adbin::text FROM pg_catalog.pg_attrdef",
            "SELECT CAST(adbin AS varchar) FROM pg_catalog.pg_attrdef",
            "SELECT lower(upper(adbin::text)) FROM pg_catalog.pg_attrdef",
            "SELECT x FROM (SELECT adbin AS x FROM pg_catalog.pg_attrdef) d",
            "WITH d AS (SELECT adbin AS x FROM pg_catalog.pg_attrdef) SELECT x FROM d",
            "SELECT conbin FROM pg_catalog.pg_constraint",
            "SELECT indexprs FROM pg_catalog.pg_index",
            "SELECT indpred FROM pg_catalog.pg_index",
            "SELECT ev_action FROM pg_catalog.pg_rewrite",
            "SELECT ev_qual FROM pg_catalog.pg_rewrite",
            "SELECT tgqual FROM pg_catalog.pg_trigger",
            "SELECT tgargs FROM pg_catalog.pg_trigger",
            "SELECT polqual FROM pg_catalog.pg_policy",
            "SELECT polwithcheck FROM pg_catalog.pg_policy",
            "SELECT proargdefaults FROM pg_catalog.pg_proc",
            "SELECT prosqlbody FROM pg_catalog.pg_proc",
            "SELECT prosrc FROM pg_catalog.pg_proc",
            "SELECT stxexprs FROM pg_catalog.pg_statistic_ext",
            "SELECT partexprs FROM pg_catalog.pg_partitioned_table",
            "SELECT relpartbound FROM pg_catalog.pg_class",
            "SELECT typdefaultbin FROM pg_catalog.pg_type",
            "SELECT typdefault FROM pg_catalog.pg_type",
            "SELECT attmissingval FROM pg_catalog.pg_attribute",
            "SELECT agginitval FROM pg_catalog.pg_aggregate",
            "SELECT definition FROM pg_catalog.pg_views",
            "SELECT definition FROM pg_catalog.pg_rules",
            "SELECT indexdef FROM pg_catalog.pg_indexes",
            "SELECT qual FROM pg_catalog.pg_policies",
            "SELECT column_default FROM information_schema.columns",
            "SELECT check_clause FROM information_schema.check_constraints",
            "SELECT view_definition FROM information_schema.views",
            "SELECT routine_definition FROM information_schema.routines",
            "SELECT action_statement FROM information_schema.triggers",
            "SELECT domain_default FROM information_schema.domains",
    })
    void aPostgresDefinitionIsRedactedForAMaskedCallerAndClearForOthers(String sql) {
        assertThat(masks(ANALYST, sql, Dialect.POSTGRESQL)).as(sql).containsExactly("mask-email (redact)");
        assertThat(masks(PII_READER, sql, Dialect.POSTGRESQL)).as("no mask applies: " + sql).containsExactly("clear");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MARIADB|SELECT COLUMN_DEFAULT FROM information_schema.COLUMNS",
            "MARIADB|SELECT GENERATION_EXPRESSION FROM information_schema.COLUMNS",
            "MARIADB|SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS",
            "MARIADB|SELECT VIEW_DEFINITION FROM information_schema.VIEWS",
            "MARIADB|SELECT ROUTINE_DEFINITION FROM information_schema.ROUTINES",
            "MARIADB|SELECT ACTION_STATEMENT FROM information_schema.TRIGGERS",
            "MARIADB|SELECT EVENT_DEFINITION FROM information_schema.EVENTS",
            "MARIADB|SELECT PARTITION_DESCRIPTION FROM information_schema.PARTITIONS",
            "MARIADB|SELECT body FROM mysql.proc",
            "MARIADB|SELECT body_utf8 FROM mysql.event",
            "H2|SELECT COLUMN_DEFAULT FROM INFORMATION_SCHEMA.COLUMNS",
            "H2|SELECT CHECK_CLAUSE FROM INFORMATION_SCHEMA.CHECK_CONSTRAINTS",
            "H2|SELECT VIEW_DEFINITION FROM INFORMATION_SCHEMA.VIEWS",
            "H2|SELECT DOMAIN_DEFAULT FROM INFORMATION_SCHEMA.DOMAINS",
            "H2|SELECT VALUE_DEFINITION FROM INFORMATION_SCHEMA.CONSTANTS",
    })
    void aMariaDbOrH2DefinitionIsRedactedForAMaskedCallerAndClearForOthers(String dialect, String sql) {
        Dialect d = Dialect.valueOf(dialect);
        assertThat(masks(ANALYST, sql, d)).as(sql).containsExactly("mask-email (redact)");
        assertThat(masks(PII_READER, sql, d)).as("no mask applies: " + sql).containsExactly("clear");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT adrelid, adnum FROM pg_catalog.pg_attrdef",
            "SELECT relname, relkind FROM pg_catalog.pg_class",
            "SELECT table_name, column_name, data_type FROM information_schema.columns",
            "SELECT viewname FROM pg_catalog.pg_views",
            "SELECT column_default FROM public.columns",
    })
    void theCatalogsOtherColumnsAndAnApplicationsOwnTablesStayClear(String sql) {
        assertThat(masks(ANALYST, sql, Dialect.POSTGRESQL)).as(sql).allMatch("clear"::equals);
    }
}
