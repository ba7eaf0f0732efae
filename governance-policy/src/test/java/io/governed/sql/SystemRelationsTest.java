package io.governed.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * Which of the database's own relations count as holding values of tables or statements: all of a system schema's
 * but those looked at and listed as holding none; a name without schema when a system schema has a relation of that
 * name holding values (on PostgreSQL, any pg_ name not listed as holding none); never a relation of the
 * application's own schemas.
 */
class SystemRelationsTest {

    private static boolean holds(Dialect dialect, String schema, String name) {
        return SystemRelations.mayHoldValues(dialect, new TableRef(schema, name));
    }

    @Test
    void postgresStatisticsStatementTextsAndSecretsHoldValuesAndDescriptionsDoNot() {
        for (String name : new String[] {"pg_stats", "pg_statistic", "pg_stats_ext", "pg_stat_activity", "pg_largeobject",
                "pg_authid", "pg_prepared_statements"}) {
            assertThat(holds(Dialect.POSTGRESQL, "pg_catalog", name)).as(name).isTrue();
            assertThat(holds(Dialect.POSTGRESQL, null, name)).as(name + " without schema").isTrue();
            assertThat(holds(Dialect.POSTGRESQL, "PG_CATALOG", name.toUpperCase(java.util.Locale.ROOT))).as("in capitals").isTrue();
        }
        for (String name : new String[] {"pg_class", "pg_attribute", "pg_namespace", "pg_index", "pg_tables", "pg_views"}) {
            assertThat(holds(Dialect.POSTGRESQL, "pg_catalog", name)).as(name).isFalse();
            assertThat(holds(Dialect.POSTGRESQL, null, name)).as(name + " without schema").isFalse();
        }
        assertThat(holds(Dialect.POSTGRESQL, "information_schema", "columns")).isFalse();
        assertThat(holds(Dialect.POSTGRESQL, "information_schema", "user_mapping_options")).isTrue();
    }

    @Test
    void aSystemRelationNotLookedAtHoldsValues() {
        assertThat(holds(Dialect.POSTGRESQL, "pg_catalog", "pg_stat_something_new")).isTrue();
        assertThat(holds(Dialect.POSTGRESQL, null, "pg_stat_something_new")).as("the pg_ prefix is the catalogs'").isTrue();
        assertThat(holds(Dialect.POSTGRESQL, "information_schema", "something_new")).isTrue();
        assertThat(holds(Dialect.POSTGRESQL, "pg_toast", "pg_toast_16384")).as("long values stored out of line").isTrue();
        assertThat(holds(Dialect.MARIADB, "performance_schema", "accounts")).as("no monitoring relation is listed").isTrue();
        assertThat(holds(Dialect.MARIADB, "sys", "version")).isTrue();
        assertThat(holds(Dialect.H2, "INFORMATION_SCHEMA", "SOMETHING_NEW")).isTrue();
        assertThat(holds(Dialect.SQLSERVER, "sys", "objects")).as("dialects without a list: every system relation").isTrue();
        assertThat(holds(Dialect.GENERIC, "information_schema", "columns")).isTrue();
        assertThat(holds(Dialect.ORACLE, null, "ALL_TAB_COL_STATISTICS")).as("Oracle's dictionary, through its synonyms").isTrue();
        assertThat(holds(Dialect.ORACLE, null, "V$SQL")).isTrue();
    }

    @Test
    void mariaDbAndH2() {
        assertThat(holds(Dialect.MARIADB, "mysql", "column_stats")).isTrue();
        assertThat(holds(Dialect.MARIADB, null, "column_stats")).as("the current database may be mysql").isTrue();
        assertThat(holds(Dialect.MARIADB, "information_schema", "PROCESSLIST")).isTrue();
        assertThat(holds(Dialect.MARIADB, null, "processlist")).isTrue();
        assertThat(holds(Dialect.MARIADB, "information_schema", "COLUMNS")).isFalse();
        assertThat(holds(Dialect.MARIADB, "mysql", "innodb_table_stats")).as("counts, not values").isFalse();
        assertThat(holds(Dialect.H2, "INFORMATION_SCHEMA", "SESSIONS")).isTrue();
        assertThat(holds(Dialect.H2, "INFORMATION_SCHEMA", "COLUMNS")).isFalse();
    }

    @Test
    void h2sOwnSchemaIsTheOneOfItsNameCaseAndTheOtherCaseIsAUsersSchema() {
        assertThat(holds(Dialect.H2_LOWER_CASE, "information_schema", "sessions")).isTrue();
        assertThat(holds(Dialect.H2_LOWER_CASE, "information_schema", "columns")).isFalse();
        assertThat(SystemRelations.inSystemSchema(Dialect.H2_LOWER_CASE, new TableRef("information_schema", "tables"))).isTrue();
        // with DATABASE_TO_LOWER, "INFORMATION_SCHEMA" (quoted) is a schema a user may create, its view TABLES reading anything
        assertThat(SystemRelations.inSystemSchema(Dialect.H2_LOWER_CASE, new TableRef("INFORMATION_SCHEMA", "TABLES"))).isFalse();
        assertThat(SystemRelations.listed(Dialect.H2_LOWER_CASE, new TableRef("INFORMATION_SCHEMA", "TABLES"))).isFalse();
        // and with H2's default case, "information_schema" (quoted) is
        assertThat(SystemRelations.inSystemSchema(Dialect.H2, new TableRef("information_schema", "tables"))).isFalse();
        assertThat(SystemRelations.inSystemSchema(Dialect.H2, new TableRef("INFORMATION_SCHEMA", "TABLES"))).isTrue();
        assertThat(holds(Dialect.H2_LOWER_CASE, null, "sessions")).isTrue();
    }

    @Test
    void theApplicationsOwnRelationsDoNot() {
        for (Dialect dialect : Dialect.values()) {
            assertThat(holds(dialect, "public", "customers")).as(dialect.name()).isFalse();
            assertThat(holds(dialect, null, "customers")).as(dialect.name()).isFalse();
            assertThat(holds(dialect, "app", "pg_stats")).as(dialect + ": a schema of the application's").isFalse();
        }
    }

    @Test
    void definitionsOfExpressionsAndCodeAreKnownColumnByColumn() {
        for (String[] column : new String[][] {{"pg_attrdef", "adbin"}, {"pg_constraint", "conbin"}, {"pg_index", "indexprs"},
                {"pg_index", "indpred"}, {"pg_rewrite", "ev_action"}, {"pg_rewrite", "ev_qual"}, {"pg_trigger", "tgqual"},
                {"pg_policy", "polqual"}, {"pg_policy", "polwithcheck"}, {"pg_proc", "proargdefaults"},
                {"pg_proc", "prosqlbody"}, {"pg_proc", "prosrc"}, {"pg_statistic_ext", "stxexprs"},
                {"pg_partitioned_table", "partexprs"}, {"pg_class", "relpartbound"}, {"pg_type", "typdefaultbin"},
                {"pg_type", "typdefault"}, {"pg_attribute", "attmissingval"}, {"pg_views", "definition"}}) {
            assertThat(SystemRelations.holdsDefinitions(Dialect.POSTGRESQL, "pg_catalog", column[0], column[1]))
                    .as(column[0] + "." + column[1]).isTrue();
            assertThat(SystemRelations.holdsDefinitions(Dialect.POSTGRESQL, null, column[0], column[1]))
                    .as("without schema: pg_catalog is searched first").isTrue();
            assertThat(SystemRelations.holdsDefinitions(Dialect.POSTGRESQL, "PG_CATALOG", column[0].toUpperCase(
                    java.util.Locale.ROOT), column[1].toUpperCase(java.util.Locale.ROOT))).as("in capitals").isTrue();
        }
        assertThat(SystemRelations.holdsDefinitions(Dialect.POSTGRESQL, "information_schema", "columns", "column_default"))
                .isTrue();
        assertThat(SystemRelations.holdsDefinitions(Dialect.POSTGRESQL, "pg_catalog", "pg_attrdef", "adrelid"))
                .as("the relation's other columns").isFalse();
        assertThat(SystemRelations.holdsDefinitions(Dialect.POSTGRESQL, "pg_catalog", "pg_class", "relname")).isFalse();
        assertThat(SystemRelations.holdsDefinitions(Dialect.POSTGRESQL, "public", "pg_attrdef", "adbin"))
                .as("a pg_ name placed in another schema may still be the catalog's, searched first").isTrue();
        assertThat(SystemRelations.holdsDefinitions(Dialect.POSTGRESQL, "public", "columns", "column_default"))
                .as("an application's own table").isFalse();
        assertThat(SystemRelations.holdsDefinitions(Dialect.MARIADB, "information_schema", "ROUTINES", "ROUTINE_DEFINITION"))
                .isTrue();
        assertThat(SystemRelations.holdsDefinitions(Dialect.MARIADB, "mysql", "proc", "body")).isTrue();
        assertThat(SystemRelations.holdsDefinitions(Dialect.MARIADB, "information_schema", "TRIGGERS", "ACTION_STATEMENT"))
                .isTrue();
        assertThat(SystemRelations.holdsDefinitions(Dialect.MARIADB, "information_schema", "COLUMNS", "COLUMN_NAME"))
                .isFalse();
        assertThat(SystemRelations.holdsDefinitions(Dialect.H2, "INFORMATION_SCHEMA", "COLUMNS", "COLUMN_DEFAULT")).isTrue();
        assertThat(SystemRelations.holdsDefinitions(Dialect.H2, "INFORMATION_SCHEMA", "VIEWS", "VIEW_DEFINITION")).isTrue();
        assertThat(SystemRelations.holdsDefinitions(Dialect.H2, "PUBLIC", "VIEWS", "VIEW_DEFINITION"))
                .as("an application's own table").isFalse();
    }

    @Test
    void aSystemColumnIsSafeOnlyWhenListedAndEveryOtherHoldsDefinitions() {
        // comments, settings, options, sequences' values and bounds, advisory locks' keys: not on the safe list
        for (String[] column : new String[][] {{"pg_description", "description"}, {"pg_shdescription", "description"},
                {"pg_db_role_setting", "setconfig"}, {"pg_roles", "rolconfig"}, {"pg_user", "useconfig"},
                {"pg_proc", "proconfig"}, {"pg_class", "reloptions"}, {"pg_attribute", "attoptions"},
                {"pg_sequences", "last_value"}, {"pg_sequence", "seqcache"}, {"pg_settings", "setting"},
                {"pg_settings", "reset_val"}, {"pg_locks", "objid"}, {"pg_backend_memory_contexts", "ident"},
                {"pg_class", "a_column_of_a_later_version"}}) {
            assertThat(SystemRelations.holdsDefinitions(Dialect.POSTGRESQL, "pg_catalog", column[0], column[1]))
                    .as(column[0] + "." + column[1]).isTrue();
            assertThat(SystemRelations.holdsDefinitions(Dialect.POSTGRESQL, null, column[0], column[1]))
                    .as(column[0] + "." + column[1] + " without schema").isTrue();
            assertThat(SystemRelations.safeColumns(Dialect.POSTGRESQL, "pg_catalog", column[0])).doesNotContain(column[1]);
        }
        assertThat(SystemRelations.holdsDefinitions(Dialect.POSTGRESQL, "pg_catalog", "pg_relation_of_a_later_version",
                "relname")).as("a relation not listed has no safe column").isTrue();
        assertThat(SystemRelations.holdsDefinitions(Dialect.MARIADB, "performance_schema", "threads", "name")).isTrue();
        assertThat(SystemRelations.holdsDefinitions(Dialect.MARIADB, "information_schema", "TABLES", "TABLE_COMMENT"))
                .isTrue();
        assertThat(SystemRelations.holdsDefinitions(Dialect.MARIADB, null, "TABLES", "TABLE_COMMENT")).isTrue();
        assertThat(SystemRelations.holdsDefinitions(Dialect.MARIADB, "information_schema", "GLOBAL_VARIABLES",
                "VARIABLE_VALUE")).isTrue();
        assertThat(SystemRelations.holdsDefinitions(Dialect.H2, "INFORMATION_SCHEMA", "TABLES", "REMARKS")).isTrue();
        assertThat(SystemRelations.holdsDefinitions(Dialect.H2, "INFORMATION_SCHEMA", "SEQUENCES", "BASE_VALUE")).isTrue();
        assertThat(SystemRelations.holdsDefinitions(Dialect.H2_LOWER_CASE, "information_schema", "tables", "remarks"))
                .isTrue();
        assertThat(SystemRelations.holdsDefinitions(Dialect.SQLSERVER, "sys", "objects", "name"))
                .as("a dialect without a list: every column of its system schemas").isTrue();
        // and names, types, kinds, counts are clear
        assertThat(SystemRelations.holdsDefinitions(Dialect.POSTGRESQL, "pg_catalog", "pg_class", "relkind")).isFalse();
        assertThat(SystemRelations.holdsDefinitions(Dialect.POSTGRESQL, null, "pg_settings", "name")).isFalse();
        assertThat(SystemRelations.holdsDefinitions(Dialect.POSTGRESQL, "information_schema", "columns", "data_type"))
                .isFalse();
        assertThat(SystemRelations.holdsDefinitions(Dialect.MARIADB, "information_schema", "TABLES", "TABLE_ROWS"))
                .isFalse();
        assertThat(SystemRelations.holdsDefinitions(Dialect.H2, "INFORMATION_SCHEMA", "TABLES", "TABLE_TYPE")).isFalse();
        assertThat(SystemRelations.holdsDefinitions(Dialect.H2, "PUBLIC", "TABLES", "REMARKS"))
                .as("an application's own table").isFalse();
        assertThat(SystemRelations.holdsDefinitions(Dialect.MARIADB, "app", "proc", "comment"))
                .as("an application's own table").isFalse();
    }

    @Test
    void everyRelationListedAsHoldingNoValuesHasItsSafeColumnsListed() {
        // the relations a masked caller may read at all are the ones whose columns were looked at one by one
        for (Dialect dialect : new Dialect[] {Dialect.POSTGRESQL, Dialect.MARIADB, Dialect.H2}) {
            SystemRelations.relationsWithoutValues(dialect).forEach((schema, relations) -> relations.forEach(relation ->
                    assertThat(SystemRelations.columnsLookedAt(dialect, schema, relation))
                            .as(dialect + ": " + schema + "." + relation).isTrue()));
        }
        assertThat(SystemRelations.safeColumns(Dialect.POSTGRESQL, "pg_catalog", "pg_class")).contains("relname", "oid");
        assertThat(SystemRelations.safeColumns(Dialect.POSTGRESQL, "information_schema", "columns")).contains("column_name")
                .doesNotContain("column_default", "generation_expression");
        assertThat(SystemRelations.safeColumns(Dialect.MARIADB, "information_schema", "columns")).contains("column_name")
                .doesNotContain("column_default", "column_comment");
        assertThat(SystemRelations.safeColumns(Dialect.H2, "INFORMATION_SCHEMA", "COLUMNS")).contains("column_name")
                .doesNotContain("remarks", "column_default");
        assertThat(SystemRelations.safeColumns(Dialect.POSTGRESQL, "pg_catalog", "pg_stats"))
                .as("a relation holding values has no safe column").isEmpty();
    }
}
