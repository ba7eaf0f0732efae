package io.governed.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a routine call in a statement amounts to: a {@code call} on the routine unless it is one of the
 * dialect's {@link BuiltInRoutines}, and the traits of the built-ins that escape the analysis (files on
 * the database host, other databases, SQL given as text, the session's role).
 */
final class RoutineCalls {

    /** Read or write files on the database host, or reach another database. */
    private static final Set<String> FILE_ACCESS = Set.of(
            // PostgreSQL (and adminpack)
            "pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "pg_ls_logdir", "pg_ls_waldir",
            "pg_ls_tmpdir", "pg_ls_archive_statusdir", "pg_ls_logicalsnapdir", "pg_ls_logicalmapdir",
            "pg_ls_replslotdir", "lo_import", "lo_export", "pg_file_write", "pg_file_rename", "pg_file_unlink",
            "pg_file_sync", "pg_logdir_ls",
            // MariaDB
            "load_file",
            // H2
            "csvread", "csvwrite", "file_read", "file_write", "link_schema",
            // another database (PostgreSQL's dblink, which runs SQL given as text there)
            "dblink", "dblink_exec", "dblink_open", "dblink_fetch", "dblink_send_query", "dblink_connect",
            "dblink_connect_u");
    /** Run SQL given as text, out of the analysis' sight. */
    private static final Set<String> DYNAMIC_SQL = Set.of(
            "dblink", "dblink_exec", "dblink_open", "dblink_fetch", "dblink_send_query", "query_to_xml",
            "query_to_xml_and_xmlschema", "query_to_xmlschema", "cursor_to_xml", "cursor_to_xmlschema",
            // H2: CSVWRITE(file, query) runs its query
            "csvwrite");
    /** Change a setting by a name the analysis cannot see (a literal): {@code set_config('role', …)} changes the role. */
    private static final Set<String> PRIVILEGE_CHANGE = Set.of("set_config");

    private RoutineCalls() {
    }

    /** Whether the built-in of that name (lower case) reads or writes files on the database host (not another database). */
    static boolean readsOrWritesFiles(String lowerCaseName) {
        return FILE_ACCESS.contains(lowerCaseName) && !DYNAMIC_SQL.contains(lowerCaseName)
                && !lowerCaseName.startsWith("dblink") && !lowerCaseName.equals("link_schema");
    }

    /**
     * Notes a call of the routine named by {@code parts} (as written, last part the routine) in
     * {@code out}: its traits, and the routine itself unless it is a built-in of the dialect.
     *
     * @return whether it is on the maintained list of the dialect's built-ins
     */
    static boolean note(List<String> parts, Dialect dialect, StatementBuilder out) {
        return note(parts, dialect, out, false);
    }

    /**
     * As {@link #note(List, Dialect, StatementBuilder)}; {@code inFrom}: the call stands as a table of the {@code FROM}
     * clause (not an argument of one), where a {@linkplain BuiltInRoutines#fromOnly() FROM-only} name is the server's
     * built-in too.
     */
    static boolean note(List<String> parts, Dialect dialect, StatementBuilder out, boolean inFrom) {
        TableRef routine = routine(parts, dialect);
        if (routine == null) {
            return false;
        }
        String bare = routine.name().toLowerCase(Locale.ROOT);
        if (FILE_ACCESS.contains(bare)) {
            out.trait(Trait.FILE_ACCESS);
        }
        if (DYNAMIC_SQL.contains(bare)) {
            out.trait(Trait.DYNAMIC_SQL);
        }
        if (PRIVILEGE_CHANGE.contains(bare)) {
            out.trait(Trait.PRIVILEGE_CHANGE);
        }
        // MariaDB reads a quoted name before '(' as a stored function's wherever its built-in of the name is a form of
        // its grammar (`left`(…), `count`(…), `if`(…)): a quoted call is never taken for a built-in there
        BuiltInRoutines builtIns = BuiltInRoutines.of(dialect);
        boolean listed = !(dialect == Dialect.MARIADB && quoted(parts.get(parts.size() - 1)))
                && (inFrom ? builtIns.isBuiltInInFrom(routine) : builtIns.isBuiltIn(routine));
        if (listed && dialect.isH2() && bare.equals("signal")) {
            // SIGNAL(state, text) raises an error whose message is the text itself, whatever value it holds
            out.trait(Trait.RAISES_MESSAGE);
        }
        if (!listed) {
            out.routines.add(routine);
        }
        return listed;
    }

    private static boolean quoted(String part) {
        String name = part.trim();
        return !name.isEmpty() && (name.charAt(0) == '`' || name.charAt(0) == '"');
    }

    /** The routine named by {@code parts} (as written, last part the routine, the one before its schema), or {@code null}. */
    static TableRef routine(List<String> parts, Dialect dialect) {
        if (parts == null || parts.isEmpty() || parts.get(parts.size() - 1) == null) {
            return null;
        }
        String name = dialect.normalizeIdentifier(parts.get(parts.size() - 1).trim());
        String schema = parts.size() > 1 && parts.get(parts.size() - 2) != null
                ? dialect.normalizeIdentifier(parts.get(parts.size() - 2).trim()) : null;
        return new TableRef(schema, name);
    }
}
