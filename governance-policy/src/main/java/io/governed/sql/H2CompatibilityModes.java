package io.governed.sql;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The functions H2 2.4 runs as its own in a compatibility mode ({@code MODE=PostgreSQL}, {@code SET MODE Oracle}),
 * beyond {@link BuiltInRoutines}' list for H2: in that mode an unqualified call of the name runs H2's function whatever
 * alias of the name the database holds ({@code H2CompatibilityModeNamesIT} asks H2 of each name in each mode). Each
 * reads no table's rows and changes nothing but its result; left off although H2 has them in a mode: {@code SET_CONFIG}
 * (PostgreSQL: sets a setting) and {@code LAST_INSERT_ID} (MySQL: {@code LAST_INSERT_ID(x)} keeps its argument for later
 * calls), which stay calls a policy must permit.
 *
 * <p>The mode is the database's, which {@code SET MODE} on any session changes: the mode's names count as built-ins only
 * while the reading of the session says so and no alias of the name is within the session's reach
 * ({@link io.governed.sql.names.H2SearchPath}). An unknown mode, or one with no functions of its own ({@code REGULAR},
 * {@code STRICT}, {@code HSQLDB}), adds none.
 */
public final class H2CompatibilityModes {

    private static final Set<String> MYSQL = Set.of("date", "from_unixtime", "unix_timestamp");

    private static final Map<String, Set<String>> BY_MODE = Map.of(
            "legacy", Set.of("identity", "scope_identity"),
            "db2", Set.of("identity_val_local"),
            "derby", Set.of("identity_val_local"),
            "mssqlserver", Set.of("charindex", "getdate", "isnull", "len", "newid", "newsequentialid", "scope_identity"),
            "mysql", MYSQL,
            "mariadb", MYSQL,
            "oracle", Set.of("add_months", "sys_guid", "to_date", "to_timestamp", "to_timestamp_tz"),
            "postgresql", Set.of("array_to_string", "current_database", "currtid2", "format_type", "gen_random_uuid",
                    "has_database_privilege", "has_schema_privilege", "has_table_privilege", "lastval",
                    "obj_description", "pg_encoding_to_char", "pg_get_expr", "pg_get_indexdef", "pg_get_userbyid",
                    "pg_postmaster_start_time", "pg_relation_size", "pg_stat_get_numscans", "pg_table_is_visible",
                    "pg_total_relation_size", "to_date", "to_timestamp", "version"));

    private H2CompatibilityModes() {
    }

    /**
     * The names (lower case) H2 runs as its own in {@code mode} (as {@code INFORMATION_SCHEMA.SETTINGS} names it, in any
     * case) beyond its regular list; none for {@code null}, an unknown mode or one without functions of its own.
     */
    public static Set<String> builtIns(String mode) {
        if (mode == null) {
            return Set.of();
        }
        return BY_MODE.getOrDefault(mode.trim().toLowerCase(Locale.ROOT), Set.of());
    }

    /** The modes that have functions of their own (lower case), for the tests that ask H2 of each. */
    public static Set<String> modes() {
        return BY_MODE.keySet();
    }
}
