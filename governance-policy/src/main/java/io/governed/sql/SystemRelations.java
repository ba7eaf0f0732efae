package io.governed.sql;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The database's own relations (in its system schemas: {@code pg_catalog}, {@code information_schema}, {@code mysql},
 * {@code performance_schema}, {@code sys}, H2's {@code INFORMATION_SCHEMA}, …) and which of them are known to hold no
 * value of any table: descriptions of objects (names, types, definitions, privileges, counts), never the values of
 * columns or the texts of statements. The others hold what masks and row filters cannot follow: column statistics
 * ({@code pg_stats.most_common_vals}, {@code mysql.column_stats.max_value}), the statements other sessions run with
 * their literals ({@code pg_stat_activity.query}, {@code information_schema.PROCESSLIST}), a session's variables, large
 * objects, password hashes. Each relation listed as holding none was looked at; a relation of a system schema that is
 * not listed (one a later server version adds, say) counts as holding values.
 *
 * <p>A name the statement did not qualify and the session could not place may be any schema's: it counts as holding
 * values when a system schema of the dialect has a relation of that name not listed as holding none (and, on
 * PostgreSQL, when it is any {@code pg_} name not listed: the prefix is the system catalogs'). Names are compared
 * without regard to case.
 */
public final class SystemRelations {

    /** PostgreSQL's {@code pg_catalog} relations that hold no table's values (PostgreSQL 15). */
    private static final Set<String> PG_CATALOG_WITHOUT_VALUES = Set.of(
            "pg_aggregate", "pg_am", "pg_amop", "pg_amproc", "pg_attrdef", "pg_attribute", "pg_auth_members",
            "pg_available_extension_versions", "pg_available_extensions", "pg_backend_memory_contexts", "pg_cast",
            "pg_class", "pg_collation", "pg_config", "pg_constraint", "pg_conversion", "pg_database",
            "pg_db_role_setting", "pg_default_acl", "pg_depend", "pg_description", "pg_enum", "pg_event_trigger",
            "pg_extension", "pg_foreign_data_wrapper", "pg_foreign_server", "pg_foreign_table", "pg_group", "pg_index",
            "pg_indexes", "pg_inherits", "pg_init_privs", "pg_language", "pg_largeobject_metadata", "pg_locks",
            "pg_matviews", "pg_namespace", "pg_opclass", "pg_operator", "pg_opfamily", "pg_parameter_acl",
            "pg_partitioned_table", "pg_policies", "pg_policy", "pg_prepared_xacts", "pg_proc", "pg_publication",
            "pg_publication_namespace", "pg_publication_rel", "pg_publication_tables", "pg_range",
            "pg_replication_origin", "pg_replication_origin_status", "pg_replication_slots", "pg_rewrite", "pg_roles",
            "pg_rules", "pg_seclabel", "pg_seclabels", "pg_sequence", "pg_sequences", "pg_settings", "pg_shdepend",
            "pg_shdescription", "pg_shmem_allocations", "pg_shseclabel", "pg_stat_all_indexes", "pg_stat_all_tables",
            "pg_stat_archiver", "pg_stat_bgwriter", "pg_stat_database", "pg_stat_database_conflicts", "pg_stat_gssapi",
            "pg_stat_progress_analyze", "pg_stat_progress_basebackup", "pg_stat_progress_cluster",
            "pg_stat_progress_copy", "pg_stat_progress_create_index", "pg_stat_progress_vacuum",
            "pg_stat_recovery_prefetch", "pg_stat_replication", "pg_stat_replication_slots", "pg_stat_slru",
            "pg_stat_ssl", "pg_stat_subscription", "pg_stat_subscription_stats", "pg_stat_sys_indexes",
            "pg_stat_sys_tables", "pg_stat_user_functions", "pg_stat_user_indexes", "pg_stat_user_tables",
            "pg_stat_wal", "pg_stat_xact_all_tables", "pg_stat_xact_sys_tables", "pg_stat_xact_user_functions",
            "pg_stat_xact_user_tables", "pg_statio_all_indexes", "pg_statio_all_sequences", "pg_statio_all_tables",
            "pg_statio_sys_indexes", "pg_statio_sys_sequences", "pg_statio_sys_tables", "pg_statio_user_indexes",
            "pg_statio_user_sequences", "pg_statio_user_tables", "pg_statistic_ext", "pg_subscription_rel", "pg_tables",
            "pg_tablespace", "pg_timezone_abbrevs", "pg_timezone_names", "pg_transform", "pg_trigger", "pg_ts_config",
            "pg_ts_config_map", "pg_ts_dict", "pg_ts_parser", "pg_ts_template", "pg_type", "pg_user", "pg_views");
    /**
     * PostgreSQL's {@code pg_catalog} relations that do hold values: statistics (column values), statement texts,
     * large objects, passwords and connection strings, configuration files.
     */
    private static final Set<String> PG_CATALOG_WITH_VALUES = Set.of(
            "pg_statistic", "pg_statistic_ext_data", "pg_stats", "pg_stats_ext", "pg_stats_ext_exprs", "pg_stat_activity",
            "pg_prepared_statements", "pg_cursors", "pg_largeobject", "pg_authid", "pg_shadow", "pg_user_mapping",
            "pg_user_mappings", "pg_subscription", "pg_file_settings", "pg_hba_file_rules", "pg_ident_file_mappings",
            "pg_stat_wal_receiver");

    /** The SQL standard's {@code information_schema} views that describe objects (PostgreSQL 15's). */
    private static final Set<String> INFORMATION_SCHEMA_WITHOUT_VALUES = Set.of(
            "_pg_foreign_data_wrappers", "_pg_foreign_servers", "_pg_foreign_table_columns", "_pg_foreign_tables",
            "administrable_role_authorizations", "applicable_roles", "attributes", "character_sets",
            "check_constraint_routine_usage", "check_constraints", "collation_character_set_applicability", "collations",
            "column_column_usage", "column_domain_usage", "column_options", "column_privileges", "column_udt_usage",
            "columns", "constraint_column_usage", "constraint_table_usage", "data_type_privileges", "domain_constraints",
            "domain_udt_usage", "domains", "element_types", "enabled_roles", "foreign_data_wrapper_options",
            "foreign_data_wrappers", "foreign_server_options", "foreign_servers", "foreign_table_options",
            "foreign_tables", "information_schema_catalog_name", "key_column_usage", "parameters",
            "referential_constraints", "role_column_grants", "role_routine_grants", "role_table_grants",
            "role_udt_grants", "role_usage_grants", "routine_column_usage", "routine_privileges",
            "routine_routine_usage", "routine_sequence_usage", "routine_table_usage", "routines", "schemata", "sequences",
            "sql_features", "sql_implementation_info", "sql_parts", "sql_sizing", "table_constraints",
            "table_privileges", "tables", "transforms", "triggered_update_columns", "triggers", "udt_privileges",
            "usage_privileges", "user_defined_types", "view_column_usage", "view_routine_usage", "view_table_usage",
            "views");
    /** PostgreSQL's {@code information_schema} views with user mappings' options (which may hold passwords). */
    private static final Set<String> PG_INFORMATION_SCHEMA_WITH_VALUES = Set.of("_pg_user_mappings", "user_mapping_options",
            "user_mappings");

    /** MariaDB's {@code information_schema} relations that hold no table's values (MariaDB 10.11). */
    private static final Set<String> MARIADB_INFORMATION_SCHEMA_WITHOUT_VALUES = Set.of(
            "all_plugins", "applicable_roles", "character_sets", "check_constraints", "client_statistics", "collations",
            "collation_character_set_applicability", "columns", "column_privileges", "enabled_roles", "engines",
            "events", "files", "geometry_columns", "global_status", "global_variables", "index_statistics",
            "innodb_buffer_page", "innodb_buffer_page_lru", "innodb_buffer_pool_stats", "innodb_cmp", "innodb_cmpmem",
            "innodb_cmpmem_reset", "innodb_cmp_per_index", "innodb_cmp_per_index_reset", "innodb_cmp_reset",
            "innodb_ft_being_deleted", "innodb_ft_config", "innodb_ft_default_stopword", "innodb_ft_deleted",
            "innodb_lock_waits", "innodb_metrics", "innodb_sys_columns", "innodb_sys_fields", "innodb_sys_foreign",
            "innodb_sys_foreign_cols", "innodb_sys_indexes", "innodb_sys_tables", "innodb_sys_tablespaces",
            "innodb_sys_tablestats", "innodb_sys_virtual", "innodb_tablespaces_encryption", "keywords", "key_caches",
            "key_column_usage", "parameters", "partitions", "plugins", "profiling", "referential_constraints",
            "routines", "schemata", "schema_privileges", "session_status", "session_variables", "spatial_ref_sys",
            "sql_functions", "statistics", "system_variables", "tables", "tablespaces", "table_constraints",
            "table_privileges", "table_statistics", "thread_pool_groups", "thread_pool_queues", "thread_pool_stats",
            "thread_pool_waits", "triggers", "user_privileges", "user_statistics", "views");
    /**
     * MariaDB's {@code information_schema} relations that do hold values: statement texts (other sessions' and the
     * optimizer's), words of full-text indexes, the keys of locked rows, user variables.
     */
    private static final Set<String> MARIADB_INFORMATION_SCHEMA_WITH_VALUES = Set.of("processlist", "innodb_ft_index_table",
            "innodb_ft_index_cache", "innodb_locks", "innodb_trx", "optimizer_trace", "user_variables", "query_cache_info");
    /** MariaDB's {@code mysql} tables that hold no table's values: privileges, routines' and events' definitions, counts. */
    private static final Set<String> MARIADB_MYSQL_WITHOUT_VALUES = Set.of(
            "columns_priv", "db", "event", "func", "gtid_slave_pos", "help_category", "help_keyword", "help_relation",
            "help_topic", "index_stats", "innodb_index_stats", "innodb_table_stats", "plugin", "proc", "procs_priv",
            "proxies_priv", "roles_mapping", "tables_priv", "table_stats", "time_zone", "time_zone_leap_second",
            "time_zone_name", "time_zone_transition", "time_zone_transition_type", "transaction_registry");
    /** MariaDB's {@code mysql} tables that do hold values: column statistics, logged statements, password hashes, server passwords. */
    private static final Set<String> MARIADB_MYSQL_WITH_VALUES = Set.of("column_stats", "general_log", "slow_log", "user",
            "global_priv", "servers");

    /** H2's {@code INFORMATION_SCHEMA} tables that hold no table's values (H2 2.4). */
    private static final Set<String> H2_INFORMATION_SCHEMA_WITHOUT_VALUES = Set.of(
            "check_constraints", "collations", "columns", "column_privileges", "constants", "constraint_column_usage",
            "domains", "domain_constraints", "element_types", "enum_values", "fields", "indexes", "index_columns",
            "information_schema_catalog_name", "in_doubt", "key_column_usage", "locks", "parameters",
            "referential_constraints", "rights", "roles", "routines", "schemata", "sequences", "settings", "synonyms",
            "tables", "table_constraints", "table_privileges", "triggers", "users", "views");
    /** H2's {@code INFORMATION_SCHEMA} tables that do hold values: statement texts, the session's variables. */
    private static final Set<String> H2_INFORMATION_SCHEMA_WITH_VALUES = Set.of("query_statistics", "sessions", "session_state");

    /**
     * Per dialect: each system schema and the relations in it that hold no values ({@code null}: none is known to).
     * Other dialects' system schemas count as holding values throughout.
     */
    private static final Map<Dialect, Map<String, Set<String>>> WITHOUT_VALUES = Map.of(
            Dialect.POSTGRESQL, Map.of("pg_catalog", PG_CATALOG_WITHOUT_VALUES,
                    "information_schema", INFORMATION_SCHEMA_WITHOUT_VALUES),
            Dialect.MARIADB, Map.of("information_schema", MARIADB_INFORMATION_SCHEMA_WITHOUT_VALUES,
                    "mysql", MARIADB_MYSQL_WITHOUT_VALUES, "performance_schema", Set.of(), "sys", Set.of()),
            Dialect.H2, Map.of("information_schema", H2_INFORMATION_SCHEMA_WITHOUT_VALUES));
    /**
     * MariaDB's {@code performance_schema} and {@code sys} relations that hold statement texts, keys of locked rows,
     * variables or connection attributes: none of these schemas' relations counts as holding none, and these are
     * the ones a name without schema is checked against.
     */
    private static final Set<String> MARIADB_MONITORING_WITH_VALUES = Set.of(
            "events_statements_current", "events_statements_history", "events_statements_history_long",
            "events_statements_summary_by_digest", "prepared_statements_instances", "threads", "user_variables_by_thread",
            "session_connect_attrs", "session_account_connect_attrs", "processlist", "x$processlist", "session",
            "x$session", "statement_analysis", "x$statement_analysis", "statements_with_errors_or_warnings",
            "x$statements_with_errors_or_warnings", "statements_with_full_table_scans",
            "x$statements_with_full_table_scans", "statements_with_runtimes_in_95th_percentile",
            "x$statements_with_runtimes_in_95th_percentile", "statements_with_sorting", "x$statements_with_sorting",
            "statements_with_temp_tables", "x$statements_with_temp_tables", "innodb_lock_waits", "x$innodb_lock_waits",
            "x$ps_digest_95th_percentile_by_avg_us", "x$ps_digest_avg_latency_distribution");

    /** Per dialect: the relations of its system schemas known to hold values, for names that could be in any schema. */
    private static final Map<Dialect, Set<String>> NAMES_WITH_VALUES = Map.of(
            Dialect.POSTGRESQL, union(PG_CATALOG_WITH_VALUES, PG_INFORMATION_SCHEMA_WITH_VALUES),
            Dialect.MARIADB, union(union(MARIADB_INFORMATION_SCHEMA_WITH_VALUES, MARIADB_MYSQL_WITH_VALUES),
                    MARIADB_MONITORING_WITH_VALUES),
            Dialect.H2, H2_INFORMATION_SCHEMA_WITH_VALUES);
    /** The system schemas of the dialects without a list of their own: none of their relations is known to hold no values. */
    private static final Set<String> OTHER_SYSTEM_SCHEMAS = Set.of("information_schema", "pg_catalog", "sys", "mysql",
            "performance_schema");
    /** Oracle's dictionary views, reached by public synonyms without a schema ({@code ALL_TAB_COL_STATISTICS}, {@code V$SQL}). */
    private static final String[] ORACLE_DICTIONARY_PREFIXES = {"all_", "dba_", "user_", "cdb_", "v$", "gv$"};

    /**
     * Per dialect: each system schema (lower case), its relations (lower case) and the columns of each proven to hold no
     * definition and no value of any table ({@code safe-system-columns-<dialect>.txt} beside this class): names,
     * identifiers, oids, types, flags, counts, sizes, timestamps, privileges, and texts the server itself writes. Every
     * other column of a system relation holds, or may hold, what a definition or a statement wrote: a comment
     * ({@code pg_description.description}), a default or a check as node tree or text, a setting's value
     * ({@code pg_db_role_setting.setconfig}, {@code pg_settings.setting}), an option ({@code pg_class.reloptions}, a
     * foreign server's), a sequence's bounds and value ({@code pg_sequences.last_value}), a body, the key of an advisory
     * lock ({@code pg_locks.objid}), or a column a later server version adds that nobody has looked at.
     */
    private static final Map<Dialect, Map<String, Map<String, Set<String>>>> SAFE_COLUMNS = Map.of(
            Dialect.POSTGRESQL, safeColumns("postgresql"),
            Dialect.MARIADB, safeColumns("mariadb"),
            Dialect.H2, safeColumns("h2"));

    private SystemRelations() {
    }

    /**
     * Whether {@code column} of {@code table} (as resolved: a {@code null} schema may be any schema) is, or may be, a
     * column of one of the database's own relations not proven to hold only names, identifiers, types, flags, counts,
     * sizes or timestamps (the dialect's list of safe columns): it may hold what a definition or a statement wrote
     * (a default's or a check's node tree or text, a view's, a trigger's or a routine's definition, a comment, a setting's
     * value, an option, a sequence's value), literals included, so a caller a mask applies to is shown it redacted. The
     * list is of columns proven safe, not of dangerous ones: a column a later server version adds is redacted until it is
     * looked at. A table named without a schema counts when a system relation has that name and the column is not safe
     * there, and so does, on PostgreSQL, a {@code pg_} relation in any schema (over-masking a table of the application's
     * own of that name for masked callers only). Relations of dialects without a list of safe columns count throughout.
     */
    public static boolean holdsDefinitions(Dialect dialect, String schema, String table, String column) {
        if (table == null || column == null) {
            return false;
        }
        Map<String, Map<String, Set<String>>> schemas = SAFE_COLUMNS.get(dialect.family());
        if (schemas == null) {
            return schema != null && inSystemSchema(dialect, new TableRef(schema, table));
        }
        String name = table.toLowerCase(Locale.ROOT);
        String col = column.toLowerCase(Locale.ROOT);
        // a pg_ name in another schema may still be the catalog's, which PostgreSQL searches first unless a search path
        // names pg_catalog after it: the name a statement wrote is not always the schema a planner is handed
        boolean catalogName = dialect.family() == Dialect.POSTGRESQL && name.startsWith("pg_");
        if (schema != null) {
            String key = systemSchemaKey(dialect, schema);
            if (schemas.containsKey(key) || inSystemSchema(dialect, new TableRef(schema, table))) {
                return !safe(schemas, key, name, col);
            }
            return catalogName && !safe(schemas, "pg_catalog", name, col);
        }
        if (catalogName && !safe(schemas, "pg_catalog", name, col)) {
            return true;
        }
        if (NAMES_WITH_VALUES.get(dialect.family()).contains(name)) {
            return true;
        }
        for (Map.Entry<String, Map<String, Set<String>>> system : schemas.entrySet()) {
            if (system.getValue().containsKey(name) && !system.getValue().get(name).contains(col)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code column} of {@code schema.relation} (all lower case) is on the list of columns proven safe. */
    private static boolean safe(Map<String, Map<String, Set<String>>> schemas, String schema, String relation, String column) {
        Map<String, Set<String>> relations = schemas.get(schema);
        Set<String> columns = relations == null ? null : relations.get(relation);
        return columns != null && columns.contains(column);
    }

    /**
     * The columns proven safe of one dialect's system relations, read from {@code safe-system-columns-NAME.txt}: a line
     * {@code schema.relation column column ...}, {@code #} for comments. A list that cannot be read fails the class's
     * loading: no column is taken for safe by default.
     */
    private static Map<String, Map<String, Set<String>>> safeColumns(String name) {
        String resource = "safe-system-columns-" + name + ".txt";
        Map<String, Map<String, Set<String>>> schemas = new java.util.HashMap<>();
        try (java.io.InputStream in = SystemRelations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The list of safe system columns " + resource + " is missing from the classpath");
            }
            java.io.BufferedReader lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] words = trimmed.toLowerCase(Locale.ROOT).split("\\s+");
                int dot = words[0].indexOf('.');
                if (dot <= 0) {
                    throw new IllegalStateException(resource + ": a line must start with schema.relation: " + words[0]);
                }
                Set<String> columns = Set.of(java.util.Arrays.copyOfRange(words, 1, words.length));
                if (schemas.computeIfAbsent(words[0].substring(0, dot), s -> new java.util.HashMap<>())
                        .put(words[0].substring(dot + 1), columns) != null) {
                    throw new IllegalStateException(resource + ": " + words[0] + " is listed twice");
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("The list of safe system columns " + resource + " cannot be read", e);
        }
        Map<String, Map<String, Set<String>>> copy = new java.util.HashMap<>();
        schemas.forEach((schema, relations) -> copy.put(schema, Map.copyOf(relations)));
        return Map.copyOf(copy);
    }

    /**
     * Whether the columns of {@code schema.relation} (lower case) were looked at one by one: a line of the dialect's list
     * of safe columns, with or without columns on it.
     */
    static boolean columnsLookedAt(Dialect dialect, String schema, String relation) {
        Map<String, Map<String, Set<String>>> schemas = SAFE_COLUMNS.get(dialect.family());
        Map<String, Set<String>> relations = schemas == null ? null : schemas.get(schema);
        return relations != null && relations.containsKey(relation);
    }

    /** The relations of each of {@code dialect}'s system schemas listed as holding no values (lower case), for tests. */
    static Map<String, Set<String>> relationsWithoutValues(Dialect dialect) {
        return WITHOUT_VALUES.getOrDefault(dialect.family(), Map.of());
    }

    /**
     * The columns of {@code schema.relation} of {@code dialect}'s system relations proven to hold no definition and no
     * value (lower case; empty when none is, or the relation is not listed): what {@link #holdsDefinitions} leaves clear.
     */
    public static Set<String> safeColumns(Dialect dialect, String schema, String relation) {
        Map<String, Map<String, Set<String>>> schemas = SAFE_COLUMNS.get(dialect.family());
        Map<String, Set<String>> relations = schemas == null ? null : schemas.get(systemSchemaKey(dialect, schema));
        Set<String> columns = relations == null ? null : relations.get(relation.toLowerCase(Locale.ROOT));
        return columns == null ? Set.of() : columns;
    }

    /**
     * Whether {@code table} is in one of the database's own schemas (qualified; an unqualified name is not known to be),
     * where each relation was looked at and listed as holding values or not: a view there is judged by that listing,
     * not by the relations its definition reads.
     */
    public static boolean inSystemSchema(Dialect dialect, TableRef table) {
        if (table.schema() == null) {
            return false;
        }
        String schema = systemSchemaKey(dialect, table.schema());
        Map<String, Set<String>> schemas = WITHOUT_VALUES.get(dialect.family());
        return schemas == null ? OTHER_SYSTEM_SCHEMAS.contains(schema)
                : schemas.containsKey(schema) || dialect == Dialect.POSTGRESQL && schema.startsWith("pg_toast");
    }

    /**
     * Whether {@code table}, as resolved (a {@code null} schema: any schema), is or may be one of the database's own
     * relations not known to hold no values of tables or statements.
     */
    public static boolean mayHoldValues(Dialect dialect, TableRef table) {
        String name = table.name().toLowerCase(Locale.ROOT);
        Map<String, Set<String>> schemas = WITHOUT_VALUES.get(dialect.family());
        if (table.schema() != null) {
            String schema = systemSchemaKey(dialect, table.schema());
            if (schemas == null) {
                return OTHER_SYSTEM_SCHEMAS.contains(schema) || dialect == Dialect.ORACLE && oracleDictionary(schema);
            }
            if (dialect == Dialect.POSTGRESQL && schema.startsWith("pg_toast")) {
                return true; // the out-of-line values of every table's long columns
            }
            Set<String> without = schemas.get(schema);
            return without != null && !without.contains(name);
        }
        if (schemas == null) {
            return dialect == Dialect.ORACLE && oracleDictionary(name);
        }
        if (NAMES_WITH_VALUES.get(dialect.family()).contains(name)) {
            return true;
        }
        return dialect == Dialect.POSTGRESQL && name.startsWith("pg_") && !PG_CATALOG_WITHOUT_VALUES.contains(name);
    }

    /**
     * Whether {@code table} (schema-qualified) is a relation of a system schema of {@code dialect} that this class has
     * looked at: listed as holding no values, or as holding some, or in a schema none of whose relations counts as
     * holding none. A relation a server has that is not listed is refused to masked and filtered callers unlooked-at.
     */
    public static boolean listed(Dialect dialect, TableRef table) {
        Map<String, Set<String>> schemas = WITHOUT_VALUES.get(dialect.family());
        if (schemas == null || table.schema() == null) {
            return false;
        }
        Set<String> without = schemas.get(systemSchemaKey(dialect, table.schema()));
        String name = table.name().toLowerCase(Locale.ROOT);
        return without != null && (without.isEmpty() || without.contains(name)
                || NAMES_WITH_VALUES.get(dialect.family()).contains(name));
    }

    /**
     * The key (lower case) of the system schemas above that {@code schema}, as resolved, could be. H2 compares names
     * exactly and has its own schema under one name only: {@code INFORMATION_SCHEMA}, or {@code information_schema} with
     * {@code DATABASE_TO_LOWER}; a schema of that name in another case ({@code "INFORMATION_SCHEMA"} quoted there) is a
     * user's, whose views hold what they read: the empty key, which no system schema has.
     */
    private static String systemSchemaKey(Dialect dialect, String schema) {
        String key = schema.toLowerCase(Locale.ROOT);
        return dialect.isH2() && !schema.equals(dialect.normalizeIdentifier(key)) ? "" : key;
    }

    /**
     * Whether writing rows of {@code table}, as resolved (a {@code null} schema: any schema), may change the database's
     * own catalog rather than an application's data: a relation of one of its system schemas (MariaDB's {@code mysql}
     * tables hold privileges, routines' and events' code, plugins to load and servers to reach; PostgreSQL's
     * {@code pg_catalog} the same for a superuser), or a name such a relation has in a schema a statement reaches without
     * naming it ({@code pg_catalog}, searched first; MariaDB's {@code mysql} as the current database).
     */
    public static boolean mayBeCatalog(Dialect dialect, TableRef table) {
        if (table.schema() != null) {
            return inSystemSchema(dialect, table);
        }
        String name = table.name().toLowerCase(Locale.ROOT);
        return switch (dialect) {
            case MARIADB -> MARIADB_MYSQL_WITHOUT_VALUES.contains(name) || MARIADB_MYSQL_WITH_VALUES.contains(name);
            case POSTGRESQL -> name.startsWith("pg_");
            default -> false;
        };
    }

    private static boolean oracleDictionary(String name) {
        if (name.equals("sys") || name.equals("system")) {
            return true;
        }
        for (String prefix : ORACLE_DICTIONARY_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
