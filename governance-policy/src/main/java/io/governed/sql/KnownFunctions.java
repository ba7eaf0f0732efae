package io.governed.sql;

import java.util.List;
import java.util.Set;

/**
 * Built-in functions whose result derives only from their arguments, so the lineage of a call is the
 * lineage of its arguments. A call of any other function (a user-defined one, say) may read data the
 * analysis cannot see, and makes its result column's lineage unknown. The names hold for the dialects whose
 * maintained list of built-ins ({@link BuiltInRoutines}) has them: elsewhere a function of that name is the user's.
 */
final class KnownFunctions {

    private static final Set<String> PURE = Set.copyOf(List.of(
            // aggregates
            "count", "sum", "avg", "min", "max", "string_agg", "array_agg", "group_concat", "listagg", "json_agg",
            "jsonb_agg", "json_object_agg", "jsonb_object_agg", "bool_and", "bool_or", "every", "stddev", "variance",
            "stddev_pop", "stddev_samp", "var_pop", "var_samp", "median", "mode", "percentile_cont", "percentile_disc",
            "any_value",
            // window functions
            "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value",
            "last_value", "nth_value",
            // strings
            "upper", "lower", "ucase", "lcase", "initcap", "length", "char_length", "character_length", "octet_length",
            "substr", "substring", "left", "right", "trim", "ltrim", "rtrim", "btrim", "lpad", "rpad", "replace",
            "translate", "concat", "concat_ws", "reverse", "repeat", "position", "strpos", "instr", "locate",
            "split_part", "format", "md5", "sha1", "sha2", "encode", "decode", "to_hex", "hex", "unhex", "ascii", "chr",
            "char", "regexp_replace", "regexp_substr", "regexp_matches", "regexp_like", "quote_ident", "quote_literal",
            "quote_nullable", "mask", "soundex", "space", "insert",
            // numbers
            "abs", "ceil", "ceiling", "floor", "round", "trunc", "truncate", "mod", "power", "pow", "sqrt", "exp", "ln",
            "log", "log10", "sign", "greatest", "least", "random", "rand", "div",
            // conditionals and conversions
            "coalesce", "nullif", "ifnull", "isnull", "nvl", "nvl2", "decode", "iif", "if", "cast", "convert",
            "to_char", "to_number", "to_date", "to_timestamp", "try_cast", "format_type",
            // dates and times
            "now", "current_date", "current_time", "current_timestamp", "localtimestamp", "localtime", "sysdate",
            "getdate", "date_trunc", "date_part", "extract", "date", "time", "timestamp", "age", "date_add",
            "date_sub", "datediff", "dateadd", "year", "month", "day", "hour", "minute", "second", "make_date",
            "make_timestamp", "str_to_date", "date_format", "unix_timestamp", "from_unixtime", "last_day",
            "formatdatetime", "parsedatetime", "dayname", "monthname", "day_of_week", "day_of_month", "day_of_year",
            "iso_week", "iso_year", "iso_day_of_week", "quarter", "week",
            // JSON and arrays
            "json_extract", "json_value", "json_query", "json_build_object", "jsonb_build_object", "json_build_array",
            "jsonb_build_array", "to_json", "to_jsonb", "json_object", "json_array", "jsonb_extract_path",
            "jsonb_extract_path_text", "json_extract_path", "json_extract_path_text", "jsonb_set", "array_length",
            "cardinality", "unnest", "array_to_string", "string_to_array", "array_append", "array_cat",
            "generate_series", "row_to_json", "jsonb_pretty", "json_unquote", "json_table",
            // SQL-standard special forms and other pure built-ins
            "overlay", "nullif", "octet_length", "bit_length", "char_length", "normalize", "lengthb", "starts_with",
            "ends_with", "string_to_table", "regexp_split_to_table", "regexp_split_to_array", "regexp_count",
            "regexp_instr", "json_array_elements", "jsonb_array_elements", "json_array_elements_text",
            "jsonb_array_elements_text", "json_each", "jsonb_each", "json_each_text", "jsonb_each_text",
            "json_object_keys", "jsonb_object_keys", "jsonb_typeof", "json_typeof", "jsonb_strip_nulls", "jsonb_insert",
            "jsonb_path_query", "jsonb_path_exists", "array_position", "array_positions", "array_remove",
            "array_replace", "array_prepend", "array_upper", "array_lower", "array_dims", "array_ndims", "array",
            "generate_subscripts", "width_bucket", "pi", "degrees", "radians", "sin", "cos", "tan", "atan", "atan2",
            "cbrt", "factorial", "gcd", "lcm", "scale", "trim_scale", "bool", "int4", "int8", "text", "numeric",
            "make_interval", "justify_days", "justify_hours", "justify_interval", "to_timestamp_tz", "timezone",
            "date_bin", "isfinite", "clock_timestamp", "statement_timestamp", "transaction_timestamp", "timeofday",
            "sha256", "sha512", "crc32", "base64", "to_base64", "from_base64", "uuid", "gen_random_uuid",
            "random_uuid", "uuid_generate_v4",
            // MariaDB's: the Oracle mode's variants, and values, strings, JSON, XML and dynamic columns of the arguments
            "concat_operator_oracle", "substr_oracle", "lpad_oracle", "rpad_oracle", "replace_oracle", "trim_oracle",
            "ltrim_oracle", "rtrim_oracle", "decode_oracle", "add_months", "std", "interval", "name_const", "default",
            "binary", "sha", "quote", "bit_count", "time_format", "random_bytes", "password", "old_password", "compress",
            "uncompress", "uncompressed_length", "aes_encrypt", "aes_decrypt", "encrypt", "is_ipv4_mapped",
            "is_ipv4_compat", "json_contains_path", "json_pretty", "json_overlaps", "json_equals", "json_normalize",
            "decode_histogram", "extractvalue", "updatexml", "column_create", "column_add", "column_delete",
            "column_exists", "column_list", "column_check",
            // spatial values of their arguments' text (well-known text, GeoJSON) and back
            "point", "st_geomfromtext", "st_pointfromtext", "st_linefromtext", "st_polyfromtext", "st_geomcollfromtext",
            "mpointfromtext", "mlinefromtext", "mpolyfromtext", "st_geomfromgeojson", "st_astext",
            // facts about the server and the session, which read no table
            "version", "h2version", "current_setting", "current_database", "current_schema", "current_schemas",
            "current_catalog", "current_user", "session_user", "current_role", "user", "database", "schema",
            "pg_backend_pid", "connection_id", "session_id", "pg_postmaster_start_time", "pg_conf_load_time",
            "pg_client_encoding", "inet_client_addr", "inet_client_port", "inet_server_addr", "inet_server_port",
            "txid_current", "pg_current_xact_id", "pg_typeof", "last_insert_id", "row_count", "found_rows",
            "row", "system_range",
            // a sequence's value and the name of a column's sequence: numbers the sequence hands out, which no table's
            // data reaches unless a statement sets them from it (setval, a call a policy permits, whose argument counts
            // as kept); H2's IDENTITY() and SCOPE_IDENTITY(), the session's last generated key
            "nextval", "currval", "lastval", "pg_get_serial_sequence", "identity", "scope_identity",
            // privilege checks: whether a role may use an object, from the catalog, no table's data
            "has_table_privilege", "has_column_privilege", "has_schema_privilege", "has_database_privilege",
            "has_function_privilege", "has_sequence_privilege", "has_any_column_privilege", "pg_has_role", "readonly", "lock_timeout", "memory_free", "memory_used", "transaction_id",
            // advisory and named locks, whose result says only whether the lock was taken or who holds it (schema
            // tools serialise with them: Flyway's pg_try_advisory_lock(k), GET_LOCK(name, 10)), computed from their
            // arguments and the locks the server keeps: a lock keyed by a masked column answers with its lineage
            // (IS_USED_LOCK(ssn) probes what GET_LOCK(ssn, 0) took), and the key counts as kept (KEEPS_ARGUMENTS)
            "pg_try_advisory_lock", "pg_advisory_lock", "pg_advisory_unlock", "pg_try_advisory_xact_lock",
            "pg_advisory_xact_lock", "pg_advisory_unlock_all", "pg_advisory_lock_shared", "pg_try_advisory_lock_shared",
            "pg_advisory_unlock_shared", "pg_advisory_xact_lock_shared", "pg_try_advisory_xact_lock_shared",
            "get_lock", "release_lock", "is_free_lock", "is_used_lock", "release_all_locks"));

    /**
     * Built-ins of {@link #PURE} that return a set of rows whose number their arguments decide
     * ({@code generate_series(1, x)} gives x rows): every other function not in {@link #PURE} may do so too.
     */
    private static final Set<String> SET_RETURNING = Set.copyOf(List.of(
            "generate_series", "generate_subscripts", "unnest", "string_to_table", "regexp_split_to_table",
            "regexp_matches", "json_array_elements", "jsonb_array_elements", "json_array_elements_text",
            "jsonb_array_elements_text", "json_each", "jsonb_each", "json_each_text", "jsonb_each_text",
            "json_object_keys", "jsonb_object_keys", "jsonb_path_query", "json_table", "system_range"));

    /**
     * Built-ins that keep their arguments in the session's or the server's state, where later statements or other
     * sessions read them back with no mask to follow them: an advisory lock's key ({@code pg_advisory_lock(k)}, probed
     * with {@code pg_try_advisory_lock(k)}; MariaDB's {@code GET_LOCK(name, t)}), MariaDB's {@code LAST_INSERT_ID(x)}
     * (returned by {@code LAST_INSERT_ID()} and later generated keys), {@code SETVAL(s, x)} (the sequence's value) and
     * PostgreSQL's {@code set_config(name, x, …)} (the setting's value, read back by {@code current_setting}) and
     * {@code pg_notify(channel, x)} (the payload, delivered to every session listening on the channel, the connection's
     * own included), and H2's {@code SET(@v, x)} (the user variable's value, as {@code SET @v = x} keeps it).
     */
    private static final Set<String> KEEPS_ARGUMENTS = Set.copyOf(List.of(
            "pg_advisory_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock", "pg_try_advisory_lock_shared",
            "pg_advisory_unlock", "pg_advisory_unlock_shared", "pg_advisory_xact_lock", "pg_advisory_xact_lock_shared",
            "pg_try_advisory_xact_lock", "pg_try_advisory_xact_lock_shared", "get_lock", "release_lock",
            "is_free_lock", "is_used_lock", "last_insert_id", "setval", "set_config", "pg_notify", "set"));

    private KnownFunctions() {
    }

    /** Whether a call may return a number of rows its arguments decide: a listed set-returning built-in, or any function not known to be pure. */
    static boolean mayReturnRowsByArguments(String lowerCaseName) {
        return SET_RETURNING.contains(lowerCaseName) || !PURE.contains(lowerCaseName);
    }

    /** Whether a call keeps its arguments where other sessions can read them (an advisory lock's key). */
    static boolean keepsArguments(String lowerCaseName) {
        return KEEPS_ARGUMENTS.contains(lowerCaseName);
    }

    static boolean derivesOnlyFromArguments(String lowerCaseName) {
        return PURE.contains(lowerCaseName);
    }
}
