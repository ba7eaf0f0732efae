package io.governed.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which session settings a {@code SET} or {@code RESET} may change without a trait: those listed here per
 * dialect as harmless for governance (names applications, pools, frameworks and migration tools set:
 * time zone, encoding, search path, timeouts, planner and memory knobs, transaction isolation).
 *
 * <p>Fail closed: a setting not on the list, a custom ({@code app.x}) setting, or a statement whose
 * settings cannot be read for certain makes the statement {@link Trait#UNLISTED_SETTING}. Among those are
 * PostgreSQL {@code session_replication_role} (triggers, foreign keys and audit off), {@code row_security},
 * {@code log_*}, {@code default_transaction_read_only}, {@code standard_conforming_strings},
 * {@code backslash_quote}, {@code check_function_bodies}; MariaDB {@code sql_log_bin},
 * {@code foreign_key_checks}, {@code unique_checks}, {@code sql_safe_updates}, {@code sql_mode}.
 * MariaDB user variables ({@code @x}) are the session's own values, not settings. H2 keeps its own list
 * (every other H2 {@code SET} changes the database: {@link Trait#SERVER_SETTING}).
 */
final class SessionSettings {

    /** PostgreSQL settings a session may change (lower case; {@code enable_*} planner switches too). */
    private static final Set<String> POSTGRESQL = Set.of(
            "search_path", "timezone", "application_name", "statement_timeout", "lock_timeout",
            "idle_in_transaction_session_timeout", "idle_session_timeout", "transaction_timeout", "client_encoding",
            "datestyle", "intervalstyle", "extra_float_digits", "work_mem", "maintenance_work_mem", "temp_buffers",
            "hash_mem_multiplier", "logical_decoding_work_mem", "bytea_output", "client_min_messages",
            "default_transaction_isolation", "transaction_isolation", "default_transaction_deferrable",
            "transaction_deferrable", "jit", "random_page_cost", "seq_page_cost", "cpu_tuple_cost",
            "cpu_index_tuple_cost", "cpu_operator_cost", "parallel_setup_cost", "parallel_tuple_cost",
            "effective_cache_size", "effective_io_concurrency", "default_statistics_target", "constraint_exclusion",
            "cursor_tuple_fraction", "from_collapse_limit", "join_collapse_limit", "plan_cache_mode",
            "max_parallel_workers_per_gather", "geqo", "geqo_threshold", "lc_monetary", "lc_numeric", "lc_time",
            "xmlbinary", "xmloption", "gin_fuzzy_search_limit", "default_tablespace", "default_table_access_method");
    /** MariaDB session variables a session may change ({@code optimizer_*} too). */
    private static final Set<String> MARIADB = Set.of(
            "time_zone", "character_set_client", "character_set_connection", "character_set_results",
            "collation_connection", "autocommit", "transaction_isolation", "tx_isolation", "max_execution_time",
            "max_statement_time", "net_read_timeout", "net_write_timeout", "wait_timeout", "interactive_timeout",
            "innodb_lock_wait_timeout", "lock_wait_timeout", "sql_select_limit", "group_concat_max_len",
            "max_join_size", "sql_big_selects", "div_precision_increment", "lc_time_names", "sort_buffer_size",
            "join_buffer_size", "tmp_table_size", "max_heap_table_size", "default_week_format",
            "sql_quote_show_create", "net_buffer_length");
    /** Words after PostgreSQL's {@code SET [SESSION|LOCAL]} that name a listed setting by their own syntax. */
    private static final Set<String> POSTGRESQL_FORMS = Set.of("time", "names", "schema", "constraints");
    private SessionSettings() {
    }

    /**
     * Whether every setting the {@code SET} whose tokens are given changes is listed; {@code from} is the
     * index after {@code SET} and its {@code SESSION}/{@code LOCAL} (role, authorization and global settings
     * are classified before this is asked).
     */
    static boolean listedSet(Tokens tokens, int from, Dialect dialect) {
        Tokens.Token first = tokens.get(from);
        if (first.kind() != TokenSpacing.Kind.WORD) {
            return false;
        }
        if (first.text().equals("transaction")) {
            return transactionModes(tokens, from + 1);
        }
        if (dialect != Dialect.MARIADB) {
            if (first.text().equals("characteristics")) {
                return tokens.isWord(from + 1, "as") && tokens.isWord(from + 2, "transaction")
                        && transactionModes(tokens, from + 3);
            }
            if (POSTGRESQL_FORMS.contains(first.text())) {
                return true;
            }
            if (dialect == Dialect.POSTGRESQL) {
                // One setting; the values after TO or = may hold commas (search_path).
                return listed(tokens, from, dialect)
                        && (tokens.isWord(from + 1, "to") || tokens.get(from + 1).text().equals("="));
            }
        }
        // MariaDB (and a text of no known dialect): a list of assignments separated by commas.
        int i = from;
        while (true) {
            Tokens.Token t = tokens.get(i);
            if (t.kind() != TokenSpacing.Kind.WORD) {
                return false;
            }
            String word = t.text();
            if (word.equals("session") || word.equals("local")) {
                i++;
                continue;
            }
            if ((word.equals("@@session") || word.equals("@@local")) && tokens.get(i + 1).text().equals(".")) {
                i += 2;
                continue;
            }
            if (word.equals("names") || word.equals("charset")
                    || word.equals("character") && tokens.isWord(i + 1, "set")) {
                i = valueEnd(tokens, i + 1);
            } else {
                boolean userVariable = word.startsWith("@") && !word.startsWith("@@");
                if (!userVariable && !listed(tokens, i, dialect)) {
                    return false;
                }
                String assign = tokens.get(i + 1).text();
                if (!assign.equals("=") && !assign.equals(":=") && !(dialect != Dialect.MARIADB && assign.equals("to"))) {
                    return false;
                }
                i = valueEnd(tokens, i + 2);
            }
            if (i >= tokens.size()) {
                return true;
            }
            i++; // the comma
        }
    }

    /** Whether the {@code RESET name} whose tokens are given resets a listed setting. */
    static boolean listedReset(Tokens tokens, Dialect dialect) {
        if (POSTGRESQL_FORMS.contains(tokens.get(1).text()) && tokens.isWord(2, "zone")) {
            return tokens.size() == 3;
        }
        return listed(tokens, 1, dialect) && tokens.size() == 2;
    }

    /** Whether the token at {@code index} is one listed setting's name (not a qualified one) of the dialect. */
    private static boolean listed(Tokens tokens, int index, Dialect dialect) {
        Tokens.Token t = tokens.get(index);
        if (!t.isName() || tokens.get(index + 1).text().equals(".")) {
            return false;
        }
        String name = t.text().toLowerCase(Locale.ROOT);
        if (name.startsWith("@@")) {
            name = name.substring(2);
        }
        boolean postgres = POSTGRESQL.contains(name) || name.startsWith("enable_");
        boolean maria = MARIADB.contains(name) || name.startsWith("optimizer_");
        return switch (dialect) {
            case POSTGRESQL -> postgres;
            case MARIADB -> maria;
            default -> postgres || maria;
        };
    }

    /**
     * Whether the tokens from {@code from} to the end are transaction modes and nothing else: {@code ISOLATION LEVEL
     * SERIALIZABLE | REPEATABLE READ | READ COMMITTED | READ UNCOMMITTED}, {@code READ ONLY}, {@code [NOT] DEFERRABLE},
     * one or more, separated by commas or not. {@code READ WRITE} (which undoes a read-only default) is not among them.
     */
    private static boolean transactionModes(Tokens tokens, int from) {
        int i = from;
        while (true) {
            if (tokens.isWord(i, "isolation") && tokens.isWord(i + 1, "level")) {
                i += 2;
                if (tokens.isWord(i, "serializable")) {
                    i++;
                } else if (tokens.isWord(i, "repeatable") && tokens.isWord(i + 1, "read")
                        || tokens.isWord(i, "read") && (tokens.isWord(i + 1, "committed")
                        || tokens.isWord(i + 1, "uncommitted"))) {
                    i += 2;
                } else {
                    return false;
                }
            } else if (tokens.isWord(i, "read") && tokens.isWord(i + 1, "only")) {
                i += 2;
            } else if (tokens.isWord(i, "deferrable")) {
                i++;
            } else if (tokens.isWord(i, "not") && tokens.isWord(i + 1, "deferrable")) {
                i += 2;
            } else {
                return false;
            }
            if (i >= tokens.size()) {
                return true;
            }
            if (tokens.get(i).kind() == TokenSpacing.Kind.SYMBOL && tokens.get(i).text().equals(",")) {
                i++;
            }
        }
    }

    /**
     * Whether the {@code SET} whose tokens are given is, whole, one of the forms with a grammar of their own that the
     * parser cannot read, each a listed change: {@code SET [SESSION|LOCAL] TRANSACTION modes} and {@code SET SESSION
     * CHARACTERISTICS AS TRANSACTION modes} (PostgreSQL, and H2, where it changes only the session; see
     * {@link #transactionModes}), PostgreSQL {@code SET CONSTRAINTS
     * ALL|name[, name…] DEFERRED|IMMEDIATE}, MariaDB {@code SET CHARACTER SET|CHARSET name|'name'|DEFAULT}. Names are
     * plain or quoted identifiers, possibly qualified; nothing else (no expression, no second statement) passes.
     */
    static boolean exactForm(Tokens tokens, Dialect dialect) {
        int i = 1;
        boolean session = tokens.isWord(i, "session");
        if (session || tokens.isWord(i, "local")) {
            i++;
        }
        if (tokens.isWord(i, "transaction")) {
            return transactionModes(tokens, i + 1);
        }
        if (dialect == Dialect.MARIADB) {
            int value = tokens.isWord(i, "charset") ? i + 1
                    : tokens.isWord(i, "character") && tokens.isWord(i + 1, "set") ? i + 2 : -1;
            if (value < 0) {
                return false;
            }
            Tokens.Token t = tokens.get(value);
            return tokens.size() == value + 1
                    && (t.kind() == TokenSpacing.Kind.WORD || t.kind() == TokenSpacing.Kind.QUOTED
                    || t.kind() == TokenSpacing.Kind.LITERAL);
        }
        if (session && tokens.isWord(i, "characteristics") && dialect != Dialect.GENERIC) {
            return tokens.isWord(i + 1, "as") && tokens.isWord(i + 2, "transaction") && transactionModes(tokens, i + 3);
        }
        if (dialect != Dialect.POSTGRESQL || i != 1 || !tokens.isWord(i, "constraints")) {
            return false;
        }
        i++;
        if (tokens.isWord(i, "all")) {
            i++;
        } else {
            while (true) {
                List<String> name = tokens.nameAt(i);
                if (name.isEmpty()) {
                    return false;
                }
                i += name.size() * 2 - 1;
                if (!(tokens.get(i).kind() == TokenSpacing.Kind.SYMBOL && tokens.get(i).text().equals(","))) {
                    break;
                }
                i++;
            }
        }
        return (tokens.isWord(i, "deferred") || tokens.isWord(i, "immediate")) && tokens.size() == i + 1;
    }

    /** The index of the comma at depth 0 that ends the value starting at {@code from}, or the tokens' size. */
    private static int valueEnd(Tokens tokens, int from) {
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            String s = tokens.get(i).kind() == TokenSpacing.Kind.SYMBOL ? tokens.get(i).text() : "";
            if (s.equals("(")) {
                depth++;
            } else if (s.equals(")")) {
                depth--;
            } else if (s.equals(",") && depth == 0) {
                return i;
            }
        }
        return tokens.size();
    }
}
