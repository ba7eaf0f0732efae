package io.governed.sql;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The maintained list of built-in routines per dialect whose call needs no {@code call} permission:
 * functions of the database itself that run no user code and change nothing but their result (a
 * sequence's next value aside, whose advance counts as an {@code insert}: {@link Trait#ADVANCES_SEQUENCE}). A routine qualified with a schema other than the dialect's system
 * schema ({@code pg_catalog} on PostgreSQL) is never taken for a built-in, since a user can create a
 * function of any name in a schema of their own.
 *
 * <p>Left off on purpose, so that calling them is a {@code call} a policy must permit: built-ins with
 * effects ({@code setval}, {@code pg_terminate_backend}, {@code pg_reload_conf}, {@code lo_unlink},
 * {@code sleep}, {@code benchmark}, …). Built-ins that reach files, programs or other databases are
 * not on the list either and also carry a trait ({@link RoutineCalls}).
 */
public final class BuiltInRoutines implements RoutineCatalog {

    private static final List<String> COMMON = List.of(
            // aggregates and window functions
            "count", "sum", "avg", "min", "max", "string_agg", "array_agg", "group_concat", "listagg", "json_agg",
            "jsonb_agg", "json_object_agg", "jsonb_object_agg", "bool_and", "bool_or", "bit_and", "bit_or", "bit_xor",
            "every", "any_value", "stddev", "variance", "stddev_pop", "stddev_samp", "var_pop", "var_samp", "median",
            "mode", "percentile_cont", "percentile_disc", "corr", "covar_pop", "covar_samp", "regr_slope",
            "regr_intercept", "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
            "first_value", "last_value", "nth_value",
            // strings
            "upper", "lower", "ucase", "lcase", "initcap", "length", "char_length", "character_length", "octet_length",
            "bit_length", "substr", "substring", "left", "right", "trim", "ltrim", "rtrim", "btrim", "lpad", "rpad",
            "replace", "translate", "concat", "concat_ws", "reverse", "repeat", "position", "strpos", "instr", "locate",
            "split_part", "format", "md5", "sha1", "sha2", "sha256", "sha512", "encode", "decode", "to_hex", "hex",
            "unhex", "ascii", "chr", "char", "regexp_replace", "regexp_substr", "regexp_matches", "regexp_match",
            "regexp_like", "regexp_instr", "regexp_count", "regexp_split_to_array", "regexp_split_to_table",
            "quote_ident", "quote_literal", "quote_nullable", "soundex", "difference", "space", "insert", "overlay",
            "starts_with", "ends_with", "to_ascii", "normalize", "unistr", "string_to_array", "string_to_table",
            // numbers
            "abs", "ceil", "ceiling", "floor", "round", "trunc", "truncate", "mod", "power", "pow", "sqrt", "cbrt",
            "exp", "ln", "log", "log2", "log10", "sign", "greatest", "least", "random", "rand", "div", "pi", "radians",
            "degrees", "sin", "cos", "tan", "cot", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "gcd", "lcm",
            "factorial", "width_bucket", "scale", "bitand", "bitor", "bitxor", "bitnot",
            // conditionals and conversions
            "coalesce", "nullif", "ifnull", "isnull", "nvl", "nvl2", "iif", "if", "cast", "convert", "to_char",
            "to_number", "to_date", "to_timestamp", "try_cast", "num_nulls", "num_nonnulls",
            // dates and times
            "now", "current_date", "current_time", "current_timestamp", "localtimestamp", "localtime", "sysdate",
            "getdate", "date_trunc", "date_part", "date_bin", "extract", "date", "time", "timestamp", "age", "date_add",
            "date_sub", "datediff", "dateadd", "year", "month", "day", "hour", "minute", "second", "week", "quarter",
            "dayofweek", "dayofmonth", "dayofyear", "make_date", "make_time", "make_timestamp", "make_timestamptz",
            "make_interval", "str_to_date", "date_format", "unix_timestamp", "from_unixtime", "last_day",
            "clock_timestamp", "statement_timestamp", "transaction_timestamp", "isfinite", "justify_days",
            "justify_hours", "justify_interval",
            // JSON and arrays
            "json_extract", "json_value", "json_query", "json_exists", "json_build_object", "jsonb_build_object",
            "json_build_array", "jsonb_build_array", "to_json", "to_jsonb", "json_object", "json_array",
            "jsonb_extract_path", "jsonb_extract_path_text", "json_extract_path", "json_extract_path_text", "jsonb_set",
            "jsonb_insert", "jsonb_typeof", "json_typeof", "jsonb_array_length", "json_array_length",
            "jsonb_array_elements", "json_array_elements", "jsonb_array_elements_text", "json_array_elements_text",
            "jsonb_each", "json_each", "jsonb_each_text", "json_each_text", "jsonb_object_keys", "json_object_keys",
            "jsonb_strip_nulls", "json_strip_nulls", "jsonb_pretty", "json_unquote", "json_contains", "json_keys",
            "json_length", "json_set", "json_insert", "json_replace", "json_remove", "json_type", "json_valid",
            "row_to_json", "array_to_json", "array_length", "array_upper", "array_lower", "array_position",
            "array_positions", "array_remove", "array_replace", "array_prepend", "array_append", "array_cat",
            "array_to_string", "array_contains", "array_ndims", "array_dims", "cardinality", "unnest",
            "generate_series", "generate_subscripts",
            // the session, read only
            "current_user", "session_user", "user", "current_schema", "current_schemas", "current_catalog",
            "current_database", "database", "schema", "version", "current_role");

    private static final List<String> POSTGRESQL = List.of(
            "nextval", "currval", "lastval", "gen_random_uuid", "uuid_generate_v4", "pg_typeof", "format_type",
            "current_setting", "pg_backend_pid", "txid_current", "txid_current_if_assigned", "pg_current_xact_id",
            "inet_client_addr", "inet_client_port", "inet_server_addr", "inet_server_port", "pg_postmaster_start_time",
            "pg_size_pretty", "pg_relation_size", "pg_total_relation_size", "pg_table_size", "pg_indexes_size",
            "pg_database_size", "pg_column_size", "obj_description", "col_description", "shobj_description",
            "pg_get_viewdef", "pg_get_constraintdef", "pg_get_indexdef", "pg_get_expr", "pg_get_userbyid",
            "pg_get_serial_sequence", "pg_table_is_visible", "pg_function_is_visible", "pg_type_is_visible",
            "has_table_privilege", "has_column_privilege", "has_schema_privilege", "has_database_privilege",
            "has_function_privilege", "has_sequence_privilege", "pg_has_role", "to_tsvector", "to_tsquery",
            "plainto_tsquery", "phraseto_tsquery", "websearch_to_tsquery", "ts_rank", "ts_rank_cd", "ts_headline",
            "setweight", "row", "array", "textlen", "bpchar", "int4", "int8", "text", "numeric", "float8", "bool",
            "timezone", "to_regclass", "to_regtype", "to_regproc", "host", "masklen", "network", "family", "abbrev",
            "set_masklen", "inet_merge", "timeofday", "uuid_extract_version", "jsonb_path_query", "jsonb_path_exists",
            "trim_scale", "has_any_column_privilege", "pg_client_encoding", "pg_conf_load_time",
            // advisory locks (schema tools such as Flyway serialise migrations with them)
            "pg_advisory_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock", "pg_try_advisory_lock_shared",
            "pg_advisory_unlock", "pg_advisory_unlock_shared", "pg_advisory_unlock_all", "pg_advisory_xact_lock",
            "pg_advisory_xact_lock_shared", "pg_try_advisory_xact_lock", "pg_try_advisory_xact_lock_shared");

    private static final List<String> H2 = List.of(
            "identity", "scope_identity", "random_uuid", "uuid", "secure_rand", "h2version", "formatdatetime",
            "parsedatetime", "dayname", "monthname", "casewhen", "zero", "array_get", "array_slice", "array_max_cardinality",
            "char_length", "ora_hash", "lock_mode", "lock_timeout", "memory_free", "memory_used", "readonly",
            "session_id", "transaction_id", "truncate_value", "utf8tostring", "stringtoutf8", "stringdecode",
            "stringencode", "xmlattr", "xmlnode", "xmlcomment", "xmlcdata", "xmlstartdoc", "xmltext", "bit_count",
            "lshift", "rshift", "rotateleft", "rotateright", "compress", "expand", "hash", "standard_hash",
            "quarter", "iso_year", "iso_week", "iso_day_of_week", "day_of_week", "day_of_month", "day_of_year",
            "extract", "current_path", "current_schema", "system_range", "table", "table_distinct", "roundmagic", "rawtohex",
            "hextoraw", "bitnor", "bitxnor", "bitnand", "bitget", "bitcount", "urshift", "ulshift", "trim_array",
            "currval", "nextval", "estimated_envelope", "data_type_sql", "encrypt", "decrypt", "signal", "autocommit",
            "group_concat", "array_agg", "st_x", "st_y",
            // the row value constructor: H2 refuses an alias of that name, so ROW(...) is never user code
            "row");

    private static final List<String> MARIADB = List.of(
            "values", "uuid", "uuid_short", "last_insert_id", "get_lock", "release_lock", "is_free_lock", "is_used_lock",
            "release_all_locks",
            "found_rows", "row_count", "connection_id", "curdate", "curtime",
            "utc_date", "utc_time", "utc_timestamp", "timestampdiff", "timestampadd", "timediff", "addtime", "subtime",
            "adddate", "subdate", "period_add", "period_diff", "to_days", "from_days", "to_seconds", "sec_to_time",
            "time_to_sec", "makedate", "maketime", "weekday", "weekofyear", "yearweek", "dayname", "monthname",
            "microsecond", "get_format", "convert_tz", "field", "find_in_set", "elt", "make_set", "export_set",
            "lcase", "ucase", "mid", "strcmp", "substring_index", "conv", "bin", "oct", "ord", "crc32", "crc32c",
            "from_base64", "to_base64", "inet_aton", "inet_ntoa", "inet6_aton", "inet6_ntoa", "is_ipv4", "is_ipv6",
            "charset", "collation", "coercibility", "system_user", "session_user", "json_search", "json_merge",
            "json_merge_patch", "json_merge_preserve", "json_depth", "json_array_append", "json_array_insert",
            "json_compact", "json_detailed", "json_loose", "json_quote", "json_exists", "json_objectagg",
            "json_arrayagg", "json_table", "column_get", "column_json", "weight_string", "format_bytes", "nextval",
            "lastval", "sformat", "natural_sort_key", "octet_length", "char_length", "dayofweek", "values", "value",
            // the Oracle mode's variants (sql_mode=ORACLE names them for LPAD, SUBSTR, ||…; callable in any mode)
            "concat_operator_oracle", "substr_oracle", "lpad_oracle", "rpad_oracle", "replace_oracle", "trim_oracle",
            "ltrim_oracle", "rtrim_oracle", "decode_oracle", "lengthb", "add_months",
            // values, strings, JSON, XML and dynamic columns computed from the arguments alone
            "std", "interval", "name_const", "default", "binary", "sha", "quote", "bit_count", "time_format",
            "random_bytes", "password", "old_password", "compress", "uncompress", "uncompressed_length",
            "aes_encrypt", "aes_decrypt", "encrypt", "is_ipv4_mapped", "is_ipv4_compat", "json_contains_path",
            "json_pretty", "json_overlaps", "json_equals", "json_normalize", "decode_histogram", "extractvalue",
            "updatexml", "column_create", "column_add", "column_delete", "column_exists", "column_list",
            "column_check",
            // spatial values of their arguments' text (well-known text, GeoJSON) and back
            "point", "st_geomfromtext", "st_pointfromtext", "st_linefromtext", "st_polyfromtext", "st_geomcollfromtext",
            "mpointfromtext", "mlinefromtext", "mpolyfromtext", "st_geomfromgeojson", "st_astext");

    /**
     * Names of the common list that MariaDB 10.11 has no built-in of, or reads as its built-in only in some forms (a
     * function of its grammar such as {@code POINT(x, y)} called with other arguments): its unqualified call of a
     * stored function of the name, with no arguments, runs the stored function. Each was found so on the server
     * ({@code MariaDbBuiltInNamesIT} asks it of every name the list keeps), so none is taken for a built-in there.
     * Kept although so found: {@code JSON_TABLE}, a table of the {@code FROM} clause, where no stored function may
     * stand; it is a built-in there only ({@link #FROM_ONLY}), its call in an expression reaching a stored function of
     * the name.
     */
    private static final Set<String> NOT_MARIADB_BUILT_INS = Set.of(
            "age", "any_value", "array_agg", "array_append", "array_cat", "array_contains", "array_dims",
            "array_length", "array_lower", "array_ndims", "array_position", "array_positions", "array_prepend",
            "array_remove", "array_replace", "array_to_json", "array_to_string", "array_upper", "bitand", "bitnot",
            "bitor", "bitxor", "bool_and", "bool_or", "btrim", "cardinality", "cbrt", "clock_timestamp", "corr",
            "cosh", "covar_pop", "covar_samp", "current_catalog", "current_database", "current_schema",
            "current_schemas", "date_bin", "date_part", "date_trunc", "dateadd", "difference", "ends_with", "every",
            "factorial", "format_bytes", "gcd", "generate_series", "generate_subscripts", "getdate", "iif",
            "initcap", "isfinite", "json_agg", "json_array_elements", "json_array_elements_text",
            "json_array_length", "json_build_array", "json_build_object", "json_each", "json_each_text",
            "json_extract_path", "json_extract_path_text", "json_object_agg", "json_object_keys", "json_strip_nulls",
            "json_typeof", "jsonb_agg", "jsonb_array_elements", "jsonb_array_elements_text",
            "jsonb_array_length", "jsonb_build_array", "jsonb_build_object", "jsonb_each", "jsonb_each_text",
            "jsonb_extract_path", "jsonb_extract_path_text", "jsonb_insert", "jsonb_object_agg", "jsonb_object_keys",
            "jsonb_pretty", "jsonb_set", "jsonb_strip_nulls", "jsonb_typeof", "justify_days", "justify_hours",
            "justify_interval", "lcm", "listagg", "make_date", "make_interval", "make_time", "make_timestamp",
            "make_timestamptz", "mode", "normalize", "num_nonnulls", "num_nulls", "overlay", "point", "quote_ident",
            "quote_literal", "quote_nullable", "random", "regexp_count", "regexp_like", "regexp_match",
            "regexp_matches", "regexp_split_to_array", "regexp_split_to_table", "regr_intercept", "regr_slope",
            "row_to_json", "scale", "sha256", "sha512", "sinh", "split_part", "starts_with", "statement_timestamp",
            "string_agg", "string_to_array", "string_to_table", "strpos", "tanh", "to_ascii", "to_date", "to_hex",
            "to_json", "to_jsonb", "to_number", "to_timestamp", "transaction_timestamp", "translate", "trunc",
            "try_cast", "unistr", "unnest", "width_bucket");

    /**
     * Names of the common and H2 lists that H2 2.4 in its regular mode has no built-in of: it accepts an alias of the
     * name ({@code CREATE ALIAS}), which an unqualified call then runs (some are built-ins of a compatibility mode
     * only, {@code TO_DATE} in {@code MODE=Oracle}, {@code GETDATE} in {@code MODE=MSSQLServer}). {@code
     * H2BuiltInNamesIT} asks H2 of every name the list keeps. Kept although so found: {@code SYSTEM_RANGE}, a table of
     * the {@code FROM} clause, where H2 runs its own; it is a built-in there only ({@link #FROM_ONLY}), its call in an
     * expression running an alias of the name.
     */
    private static final Set<String> NOT_H2_BUILT_INS = Set.of(
            "age", "array_dims", "array_lower", "array_ndims", "array_position", "array_positions", "array_prepend",
            "array_remove", "array_replace", "array_to_json", "array_to_string", "array_upper", "bit_count",
            "bit_xor", "cbrt", "clock_timestamp", "current_database", "current_schemas", "date", "date_add",
            "date_bin", "date_format", "date_part", "date_sub", "div", "encode", "ends_with", "factorial", "format",
            "from_unixtime", "generate_series", "generate_subscripts", "getdate", "hex", "identity", "iif",
            "initcap", "isfinite", "isnull", "json_agg", "json_array_elements", "json_array_elements_text",
            "json_array_length", "json_build_array", "json_build_object", "json_contains", "json_each",
            "json_each_text", "json_exists", "json_extract", "json_extract_path", "json_extract_path_text",
            "json_insert", "json_keys", "json_length", "json_object_agg", "json_object_keys", "json_query",
            "json_remove", "json_replace", "json_set", "json_strip_nulls", "json_type", "json_typeof",
            "json_unquote", "json_valid", "json_value", "jsonb_agg", "jsonb_array_elements",
            "jsonb_array_elements_text", "jsonb_array_length", "jsonb_build_array", "jsonb_build_object",
            "jsonb_each", "jsonb_each_text", "jsonb_extract_path", "jsonb_extract_path_text", "jsonb_insert",
            "jsonb_object_agg", "jsonb_object_keys", "jsonb_pretty", "jsonb_set", "jsonb_strip_nulls",
            "jsonb_typeof", "justify_days", "justify_hours", "justify_interval", "log2", "make_date",
            "make_interval", "make_time", "make_timestamp", "make_timestamptz", "md5", "normalize", "num_nonnulls",
            "num_nulls", "overlay", "pow", "quote_literal", "quote_nullable", "regexp_count", "regexp_instr",
            "regexp_match", "regexp_matches", "regexp_split_to_array", "regexp_split_to_table", "reverse",
            "row_to_json", "scale", "scope_identity", "sha1", "sha2", "sha256", "sha512", "split_part", "st_x",
            "st_y", "standard_hash", "starts_with", "statement_timestamp", "str_to_date", "string_to_array",
            "string_to_table", "strpos", "time", "timestamp", "to_ascii", "to_date", "to_hex",
            "to_json", "to_jsonb", "to_number", "to_timestamp", "transaction_timestamp", "try_cast", "unhex",
            "unistr", "unix_timestamp", "version", "width_bucket");

    /**
     * Listed names whose built-in the server has only as a table of the {@code FROM} clause ({@code SELECT * FROM
     * JSON_TABLE(…)}), where no stored function or alias stands: called in an expression (a select list, a condition,
     * a {@code SET}, {@code CALL}), the server runs a stored function or alias of the name when the database holds one
     * ({@code MariaDbBuiltInNamesIT}, {@code H2BuiltInNamesIT}). Such a call is a call of a user routine, as of any name
     * off the list: {@link #isBuiltIn} answers {@code false} for them, {@link #isBuiltInInFrom} {@code true}.
     */
    private static final Map<Dialect, Set<String>> FROM_ONLY = Map.of(
            Dialect.MARIADB, Set.of("json_table"),
            Dialect.H2, Set.of("system_range"));

    private static final BuiltInRoutines POSTGRES_LIST = new BuiltInRoutines(Dialect.POSTGRESQL, POSTGRESQL, "pg_catalog", Set.of());
    private static final BuiltInRoutines H2_LIST = new BuiltInRoutines(Dialect.H2, H2, null, NOT_H2_BUILT_INS);
    /** H2's list where unquoted names fold to lower case: {@code upper} is the built-in, a quoted {@code "UPPER"} not. */
    private static final BuiltInRoutines H2_LOWER_CASE_LIST = new BuiltInRoutines(Dialect.H2_LOWER_CASE, H2, null,
            NOT_H2_BUILT_INS);
    private static final BuiltInRoutines MARIADB_LIST = new BuiltInRoutines(Dialect.MARIADB, MARIADB, null, NOT_MARIADB_BUILT_INS);
    private static final BuiltInRoutines GENERIC_LIST = new BuiltInRoutines(Dialect.GENERIC, List.of(), null, Set.of());

    private final Dialect dialect;
    private final Set<String> names;
    private final String systemSchema;

    private BuiltInRoutines(Dialect dialect, List<String> own, String systemSchema, Set<String> notBuiltIns) {
        this.dialect = dialect;
        Set<String> all = new HashSet<>(COMMON);
        all.addAll(own);
        all.removeAll(notBuiltIns);
        this.names = Set.copyOf(all);
        this.systemSchema = systemSchema;
    }

    /**
     * Whether a built-in of that name (lower case) is known to derive its result only from its arguments, reading no
     * table: {@code lower}, {@code to_char}, {@code current_setting}, ….
     */
    public static boolean derivesOnlyFromArguments(String name) {
        return KnownFunctions.derivesOnlyFromArguments(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Functions of the servers that have effects out of the tables and read or write none themselves (setting a sequence,
     * a setting or an advisory lock, a large object, a file, ending or pausing a session): without a database to tell a
     * routine of its users from the server's function, a call of one is a {@code call} the policy judges by its name
     * and traits, not a body that may do anything.
     */
    private static final Set<String> KNOWN_EFFECTS = Set.of(
            "setval", "set_config", "pg_notify", "pg_sleep", "pg_sleep_for", "pg_sleep_until", "sleep",
            "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile",
            "lo_create", "lo_creat", "lo_unlink", "lo_open", "lo_close", "lo_truncate", "lo_truncate64", "lo_put",
            "lo_get", "lo_from_bytea", "lo_import", "lo_export", "loread", "lowrite", "lo_lseek", "lo_lseek64", "lo_tell",
            "lo_tell64", "nextval", "last_insert_id", "get_lock", "release_lock", "release_all_locks", "is_free_lock",
            "is_used_lock", "set");

    /**
     * Whether a function of the servers of that name has known effects and reads and writes no table itself
     * ({@link #KNOWN_EFFECTS}, the advisory locks, the functions reading or writing files on the database host).
     */
    public static boolean hasKnownEffects(String routine) {
        String name = routine.toLowerCase(Locale.ROOT);
        return KNOWN_EFFECTS.contains(name) || KnownFunctions.keepsArguments(name) || RoutineCalls.readsOrWritesFiles(name);
    }

    /** The list for {@code dialect} (the common built-ins alone for a dialect without a list of its own). */
    public static BuiltInRoutines of(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> POSTGRES_LIST;
            case H2 -> H2_LIST;
            case H2_LOWER_CASE -> H2_LOWER_CASE_LIST;
            case MARIADB -> MARIADB_LIST;
            default -> GENERIC_LIST;
        };
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * Whether the list holds the name in any case, whatever the schema: a routine defined under it would be taken for
     * the built-in where its unqualified calls are read.
     */
    public boolean listsName(String name) {
        return names.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Every name on the list, in lower case, the {@linkplain #fromOnly() FROM-only} ones included. */
    public Set<String> names() {
        return names;
    }

    /**
     * The listed names (lower case) that are the server's built-in only as a table of the {@code FROM} clause: in an
     * expression, a call of one is a call of a user routine of the name ({@link #FROM_ONLY}).
     */
    public Set<String> fromOnly() {
        return FROM_ONLY.getOrDefault(dialect.family(), Set.of());
    }

    /**
     * Unqualified or in the system schema, on the list, and not {@linkplain #fromOnly() FROM-only}: a call in an
     * expression. Where names are case sensitive the name must be the folded form ({@code upper}, not a quoted
     * {@code "UPPER"}, on PostgreSQL): a quoted name in another case names another function, which a user may have
     * created.
     */
    @Override
    public boolean isBuiltIn(TableRef routine) {
        return isBuiltInInFrom(routine) && !fromOnly().contains(routine.name().toLowerCase(Locale.ROOT));
    }

    /**
     * As {@link #isBuiltIn}, for a call standing as a table of the {@code FROM} clause ({@code FROM JSON_TABLE(…)},
     * not its arguments): there the {@linkplain #fromOnly() FROM-only} names are the server's own too.
     */
    public boolean isBuiltInInFrom(TableRef routine) {
        String schema = routine.schema();
        if (schema != null && (systemSchema == null || !systemSchema.equals(schema))) {
            return false;
        }
        String name = routine.name();
        String lower = name.toLowerCase(Locale.ROOT);
        if (dialect.caseSensitiveNames() && !name.equals(dialect.normalizeIdentifier(lower))) {
            return false;
        }
        return names.contains(lower);
    }
}
