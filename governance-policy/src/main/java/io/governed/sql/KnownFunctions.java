package io.governed.sql;

import java.util.List;
import java.util.Set;

/**
 * Built-in functions whose result derives only from their arguments, so the lineage of a call is the
 * lineage of its arguments. A call of any other function (a user-defined one, say) may read data the
 * analysis cannot see, and makes its result column's lineage unknown.
 */
final class KnownFunctions {

    private static final Set<String> PURE = Set.copyOf(List.of(
            // aggregates
            "count", "sum", "avg", "min", "max", "string_agg", "array_agg", "group_concat", "listagg", "json_agg",
            "jsonb_agg", "json_object_agg", "jsonb_object_agg", "bool_and", "bool_or", "every", "stddev", "variance",
            "stddev_pop", "stddev_samp", "var_pop", "var_samp", "median", "mode", "percentile_cont", "percentile_disc",
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
            // JSON and arrays
            "json_extract", "json_value", "json_query", "json_build_object", "jsonb_build_object", "json_build_array",
            "jsonb_build_array", "to_json", "to_jsonb", "json_object", "json_array", "jsonb_extract_path",
            "jsonb_extract_path_text", "json_extract_path", "json_extract_path_text", "jsonb_set", "array_length",
            "cardinality", "unnest", "array_to_string", "string_to_array", "array_append", "array_cat",
            "generate_series", "row_to_json", "jsonb_pretty", "json_unquote",
            // the session's own state, which schema tools ask for (no table data): the current schema, database,
            // user and server version, and advisory locks, whose result says only whether the lock was taken
            "schema", "current_schema", "current_schemas", "current_database", "current_catalog", "database",
            "h2version", "version", "session_id", "pg_backend_pid", "pg_try_advisory_lock", "pg_advisory_lock",
            "pg_advisory_unlock", "pg_try_advisory_xact_lock", "pg_advisory_xact_lock", "pg_advisory_unlock_all"));

    private KnownFunctions() {
    }

    static boolean derivesOnlyFromArguments(String lowerCaseName) {
        return PURE.contains(lowerCaseName);
    }
}
