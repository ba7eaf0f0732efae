package io.governed.policy.masking;

import io.governed.identity.Identity;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.StatementAnalysis;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * Every column of a relation of the database's own schemas is redacted for a caller any mask applies to unless it is on
 * the dialect's list of columns proven to hold only names, identifiers, types, flags, counts, sizes or timestamps:
 * comments, settings' values, options, sequences' values and bounds, function results that print definitions, the
 * columns a later server adds. A caller no mask applies to reads them as they are; the columns a driver's metadata
 * queries name (names, types, kinds) stay clear for everyone.
 */
class MaskPlannerSystemColumnsTest {
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

    private final MaskPlanner planner = MaskPlanner.of(PolicyLoader.fromString("system-columns.yaml", POLICY));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private List<String> masks(Identity identity, String sql, Dialect dialect) {
        StatementAnalysis statement = analyzer.analyze(sql, dialect).statements().get(0);
        MaskPlan plan = planner.plan(identity, statement, dialect.isH2() ? "PUBLIC" : "public", dialect);
        if (plan.columns().isEmpty()) {
            return List.of("clear");
        }
        return plan.columns().stream().map(c -> c.mask() == null ? "clear" : c.mask().describe()).toList();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // comments, settings, options, sequences' values, server-written texts that quote statements
            "POSTGRESQL|SELECT description FROM pg_catalog.pg_description",
            "POSTGRESQL|SELECT description FROM pg_description",
            "POSTGRESQL|SELECT d.description FROM pg_catalog.pg_class c JOIN pg_catalog.pg_description d ON d.objoid = c.oid",
            "POSTGRESQL|SELECT description FROM pg_catalog.pg_shdescription",
            "POSTGRESQL|SELECT setconfig FROM pg_catalog.pg_db_role_setting",
            "POSTGRESQL|SELECT rolconfig FROM pg_catalog.pg_roles",
            "POSTGRESQL|SELECT useconfig FROM pg_catalog.pg_user",
            "POSTGRESQL|SELECT reloptions FROM pg_catalog.pg_class",
            "POSTGRESQL|SELECT attoptions FROM pg_catalog.pg_attribute",
            "POSTGRESQL|SELECT srvoptions FROM pg_catalog.pg_foreign_server",
            "POSTGRESQL|SELECT last_value FROM pg_catalog.pg_sequences",
            "POSTGRESQL|SELECT setting FROM pg_catalog.pg_settings",
            "POSTGRESQL|SELECT reset_val FROM pg_settings",
            "POSTGRESQL|SELECT ident FROM pg_catalog.pg_backend_memory_contexts",
            "POSTGRESQL|SELECT objid FROM pg_catalog.pg_locks",
            "POSTGRESQL|SELECT label FROM pg_catalog.pg_seclabels",
            "POSTGRESQL|SELECT gid FROM pg_catalog.pg_prepared_xacts",
            "POSTGRESQL|SELECT extcondition FROM pg_catalog.pg_extension",
            "POSTGRESQL|SELECT application_name FROM pg_catalog.pg_stat_replication",
            "POSTGRESQL|SELECT option_value FROM information_schema.column_options",
            "POSTGRESQL|SELECT identity_start FROM information_schema.columns",
            "POSTGRESQL|SELECT some_later_column FROM pg_catalog.pg_class",
            "POSTGRESQL|SELECT relname, description FROM pg_catalog.pg_class, pg_catalog.pg_description",
            // functions that print definitions or read stored values: not known to derive from their arguments
            "POSTGRESQL|SELECT pg_get_viewdef('v'::regclass)",
            "POSTGRESQL|SELECT pg_get_functiondef(1)",
            "POSTGRESQL|SELECT pg_get_triggerdef(1)",
            "POSTGRESQL|SELECT pg_get_constraintdef(1)",
            "POSTGRESQL|SELECT pg_get_indexdef(1)",
            "POSTGRESQL|SELECT pg_get_ruledef(1)",
            "POSTGRESQL|SELECT pg_get_expr(adbin, adrelid) FROM pg_catalog.pg_attrdef",
            "POSTGRESQL|SELECT obj_description(1, 'pg_class')",
            "POSTGRESQL|SELECT col_description(1, 1)",
            "POSTGRESQL|SELECT current_query()",
            "POSTGRESQL|SELECT pg_sequence_last_value('s'::regclass)",
            "POSTGRESQL|SELECT lo_get(1)",
            "POSTGRESQL|SELECT pg_read_file('x')",
            "MARIADB|SELECT COLUMN_COMMENT FROM information_schema.COLUMNS",
            "MARIADB|SELECT TABLE_COMMENT FROM information_schema.TABLES",
            "MARIADB|SELECT CREATE_OPTIONS FROM information_schema.TABLES",
            "MARIADB|SELECT ROUTINE_COMMENT FROM information_schema.ROUTINES",
            "MARIADB|SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES",
            "MARIADB|SELECT VARIABLE_VALUE FROM information_schema.SESSION_VARIABLES",
            "MARIADB|SELECT GLOBAL_VALUE FROM information_schema.SYSTEM_VARIABLES",
            "MARIADB|SELECT INDEX_COMMENT FROM information_schema.STATISTICS",
            "MARIADB|SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA",
            "MARIADB|SELECT PARTITION_COMMENT FROM information_schema.PARTITIONS",
            "MARIADB|SELECT EVENT_COMMENT FROM information_schema.EVENTS",
            "MARIADB|SELECT comment FROM mysql.proc",
            "MARIADB|SELECT param_list FROM mysql.proc",
            "H2|SELECT REMARKS FROM INFORMATION_SCHEMA.TABLES",
            "H2|SELECT REMARKS FROM INFORMATION_SCHEMA.COLUMNS",
            "H2|SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES",
            "H2|SELECT JAVA_CLASS FROM INFORMATION_SCHEMA.TRIGGERS",
            "H2|SELECT PARAMETER_DEFAULT FROM INFORMATION_SCHEMA.PARAMETERS",
            "H2|SELECT IDENTITY_BASE FROM INFORMATION_SCHEMA.COLUMNS",
    })
    void aSystemColumnNotProvenSafeIsRedactedForAMaskedCallerAndClearForOthers(String dialect, String sql) {
        Dialect d = Dialect.valueOf(dialect);
        assertThat(masks(ANALYST, sql, d)).as(sql).last().isEqualTo("mask-email (redact)");
        assertThat(masks(PII_READER, sql, d)).as("no mask applies: " + sql).containsOnly("clear");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // what pgjdbc's, Connector/J's and H2's metadata queries and schema tools read: names, types, kinds, keys
            "POSTGRESQL|SELECT c.relname, c.relkind, n.nspname, c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace",
            "POSTGRESQL|SELECT a.attname, a.atttypid, a.attnum, a.attnotnull, a.atthasdef FROM pg_catalog.pg_attribute a",
            "POSTGRESQL|SELECT t.typname, t.typtype, t.typlen FROM pg_catalog.pg_type t",
            "POSTGRESQL|SELECT i.indisunique, i.indkey, i.indisprimary FROM pg_catalog.pg_index i",
            "POSTGRESQL|SELECT p.proname, p.prorettype, p.proargtypes, p.proargnames, p.prokind FROM pg_catalog.pg_proc p",
            "POSTGRESQL|SELECT con.conname, con.contype, con.conkey FROM pg_catalog.pg_constraint con",
            "POSTGRESQL|SELECT name, unit, vartype FROM pg_catalog.pg_settings",
            "POSTGRESQL|SELECT relname, n_live_tup, last_analyze FROM pg_catalog.pg_stat_user_tables",
            "POSTGRESQL|SELECT table_schema, table_name, column_name, data_type, is_nullable FROM information_schema.columns",
            "POSTGRESQL|SELECT table_name, table_type FROM information_schema.tables",
            "POSTGRESQL|SELECT e.enumlabel FROM pg_catalog.pg_enum e",
            "MARIADB|SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE FROM information_schema.COLUMNS",
            "MARIADB|SELECT TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_ROWS FROM information_schema.TABLES",
            "MARIADB|SELECT INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX FROM information_schema.STATISTICS",
            "MARIADB|SELECT ROUTINE_NAME, ROUTINE_TYPE, DTD_IDENTIFIER FROM information_schema.ROUTINES",
            "H2|SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS",
            "H2|SELECT TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES",
            "H2|SELECT INDEX_NAME, INDEX_TYPE_NAME FROM INFORMATION_SCHEMA.INDEXES",
            // the engine's own settings (modes, flags, sizes, its version, a fixed set of the JVM's properties), which
            // Flyway reads (SETTING_NAME = 'MODE') to know the compatibility mode: none is written by a statement
            "H2|SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS",
            // a sequence's bounds and step, written by its CREATE SEQUENCE (not its current value), which Hibernate reads
            // at start-up for every sequence
            "POSTGRESQL|SELECT start_value, minimum_value, maximum_value, increment FROM information_schema.sequences",
            "POSTGRESQL|SELECT seqstart, seqmin, seqmax, seqincrement FROM pg_catalog.pg_sequence",
            "H2|SELECT START_VALUE, MINIMUM_VALUE, MAXIMUM_VALUE, INCREMENT FROM INFORMATION_SCHEMA.SEQUENCES",
    })
    void namesTypesAndKindsStayClear(String dialect, String sql) {
        Dialect d = Dialect.valueOf(dialect);
        assertThat(masks(ANALYST, sql, d)).as(sql).containsOnly("clear");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL|SELECT description FROM public.notes",
            "POSTGRESQL|SELECT setting FROM public.settings",
            "MARIADB|SELECT comment FROM app.proc",
            "H2|SELECT REMARKS FROM PUBLIC.TABLES",
    })
    void anApplicationsOwnTableOfASystemRelationsNameStaysClear(String dialect, String sql) {
        assertThat(masks(ANALYST, sql, Dialect.valueOf(dialect))).as(sql).containsOnly("clear");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT query_to_xml('SELECT description FROM pg_catalog.pg_description', true, false, '')",
            "SELECT query_to_xml_and_xmlschema('SELECT setting FROM pg_settings', true, false, '')",
            "SELECT query_to_xmlschema('SELECT 1', true, false, '')",
            "SELECT cursor_to_xml('c', 10, true, false, '')",
            "SELECT cursor_to_xmlschema('c', true, false, '')",
            "SELECT x FROM query_to_xml('SELECT prosrc FROM pg_proc', true, false, '') x",
    })
    void aFunctionThatRunsSqlTextIsDynamicSql(String sql) {
        StatementAnalysis statement = analyzer.analyze(sql, Dialect.POSTGRESQL).statements().get(0);
        assertThat(statement.has(io.governed.sql.Trait.DYNAMIC_SQL)).as(sql).isTrue();
        assertThat(masks(ANALYST, sql, Dialect.POSTGRESQL)).as(sql).containsOnly("mask-email (redact)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT table_to_xml('pg_catalog.pg_description', true, false, '')",
            "SELECT schema_to_xml('pg_catalog', true, false, '')",
            "SELECT database_to_xml(true, false, '')",
            "SELECT table_to_xmlschema('pg_catalog.pg_description', true, false, '')",
    })
    void aFunctionThatDumpsTablesIsRedactedForAMaskedCaller(String sql) {
        assertThat(masks(ANALYST, sql, Dialect.POSTGRESQL)).as(sql).containsOnly("mask-email (redact)");
        assertThat(masks(PII_READER, sql, Dialect.POSTGRESQL)).as("no mask applies: " + sql).containsOnly("clear");
    }
}
