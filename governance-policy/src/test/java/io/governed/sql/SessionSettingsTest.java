package io.governed.sql;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * A session SET or RESET changes a setting listed as harmless for governance, or it has the trait unlisted-setting:
 * whatever name the session gives, the analysis proves it listed or treats it as unlisted.
 */
class SessionSettingsTest {
    private final SqlAnalyzer analyzer = new SqlAnalyzer(0);

    /** Every name listed for one of the dialects, and the prefixes listed there. */
    private static final Set<String> LISTED = Set.of(
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
            "xmlbinary", "xmloption", "gin_fuzzy_search_limit", "default_tablespace", "default_table_access_method",
            "time_zone", "character_set_client",
            "character_set_connection", "character_set_results", "collation_connection", "autocommit", "tx_isolation",
            "max_execution_time", "max_statement_time", "net_read_timeout", "net_write_timeout", "wait_timeout",
            "interactive_timeout", "innodb_lock_wait_timeout", "lock_wait_timeout", "sql_select_limit",
            "group_concat_max_len", "max_join_size", "sql_big_selects", "div_precision_increment", "lc_time_names",
            "sort_buffer_size", "join_buffer_size", "tmp_table_size", "max_heap_table_size", "default_week_format",
            "sql_quote_show_create", "net_buffer_length");
    /** Words that are not a setting's name but a form of SET of their own (role, authorization, scope, …). */
    private static final Set<String> FORMS = Set.of("time", "names", "schema", "constraints", "transaction",
            "characteristics", "session", "local", "global", "persist", "persist_only", "role", "password", "default",
            "charset", "character", "all", "to");

    private static boolean unlisted(String name) {
        return !LISTED.contains(name) && !name.startsWith("enable_") && !name.startsWith("optimizer_")
                && !FORMS.contains(name);
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> random = Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1)
                .ofMaxLength(24).filter(s -> Character.isLetter(s.charAt(0)));
        Arbitrary<String> nearListed = Arbitraries.of(LISTED).map(s -> s + "_x");
        Arbitrary<String> known = Arbitraries.of("session_replication_role", "row_security", "log_statement",
                "log_min_messages", "sql_log_bin", "foreign_key_checks", "unique_checks", "sql_safe_updates",
                "sql_mode", "default_transaction_read_only", "standard_conforming_strings", "backslash_quote",
                "check_function_bodies", "session_authorization", "pseudo_slave_mode", "sql_notes");
        return Arbitraries.oneOf(random, nearListed, known);
    }

    @Property(tries = 1500)
    void aSetOfANameThatIsNotListedAlwaysHasTheTrait(@ForAll("names") String name,
            @ForAll("scopes") String scope, @ForAll("values") String value) {
        Assume.that(unlisted(name));
        for (Dialect dialect : new Dialect[] {Dialect.POSTGRESQL, Dialect.MARIADB, Dialect.GENERIC}) {
            for (String sql : new String[] {"SET " + scope + name + " = " + value, "SET " + scope + name + " TO " + value,
                    "SET " + scope + "\"" + name + "\" = " + value, "SET " + scope + "app." + name + " = " + value,
                    "RESET " + name}) {
                SqlAnalysis analysis = analyzer.analyze(sql, dialect);
                if (!analysis.parsed()) {
                    continue; // refused as unparseable
                }
                for (StatementAnalysis s : analysis.statements()) {
                    assertThat(s.traits()).as("%s on %s", sql, dialect)
                            .containsAnyOf(Trait.UNLISTED_SETTING, Trait.PRIVILEGE_CHANGE, Trait.SERVER_SETTING);
                }
            }
        }
        for (String sql : new String[] {"SET time_zone = 'UTC', " + scope + name + " = " + value,
                "SET @x = (SELECT 1, 2), " + name + " := " + value, "SET @@session." + name + " = " + value,
                "SET @@" + name + " = " + value, "SET NAMES utf8mb4, " + name + " = " + value}) {
            SqlAnalysis analysis = analyzer.analyze(sql, Dialect.MARIADB);
            if (analysis.parsed()) {
                for (StatementAnalysis s : analysis.statements()) {
                    assertThat(s.traits()).as(sql).containsAnyOf(Trait.UNLISTED_SETTING, Trait.SERVER_SETTING);
                }
            }
        }
    }

    @Provide
    Arbitrary<String> scopes() {
        return Arbitraries.of("", "SESSION ", "LOCAL ", "session ");
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.of("0", "off", "'replica'", "DEFAULT", "1, 2", "(SELECT 1)", "?", "'a', b");
    }

    @Property(tries = 200)
    void aSetOfAListedNameStaysPlain(@ForAll("listedPostgres") String name) {
        SqlAnalysis analysis = analyzer.analyze("SET " + name + " = DEFAULT", Dialect.POSTGRESQL);
        assertThat(analysis.parsed()).isTrue();
        assertThat(analysis.statements().get(0).action()).isEqualTo(Action.SET);
        assertThat(analysis.statements().get(0).traits()).isEmpty();
    }

    @Provide
    Arbitrary<String> listedPostgres() {
        return Arbitraries.of("search_path", "timezone", "application_name", "statement_timeout", "work_mem",
                "enable_hashjoin", "jit", "client_min_messages", "bytea_output", "lock_timeout");
    }

    /** The forms of SET with a grammar of their own that the parser cannot read: plain sets when exactly that form. */
    @Example
    void transactionConstraintAndCharacterSetFormsArePlainSets() {
        String[][] cases = {
                {"POSTGRESQL", "SET TRANSACTION ISOLATION LEVEL READ COMMITTED"},
                {"POSTGRESQL", "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"},
                {"POSTGRESQL", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE"},
                {"POSTGRESQL", "SET TRANSACTION READ ONLY NOT DEFERRABLE"},
                {"POSTGRESQL", "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ"},
                {"POSTGRESQL", "SET CONSTRAINTS ALL DEFERRED"},
                {"POSTGRESQL", "set constraints fk_orders_customer, app.\"Fk_B\" immediate"},
                {"MARIADB", "SET TRANSACTION ISOLATION LEVEL READ COMMITTED"},
                {"MARIADB", "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ"},
                {"MARIADB", "SET TRANSACTION READ ONLY"},
                {"MARIADB", "SET CHARACTER SET utf8mb4"},
                {"MARIADB", "SET CHARSET 'utf8mb4'"},
                {"H2", "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED"},
                {"H2", "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE"},
        };
        for (String[] c : cases) {
            SqlAnalysis analysis = analyzer.analyze(c[1], Dialect.valueOf(c[0]));
            assertThat(analysis.parsed()).as("%s on %s: %s", c[1], c[0], analysis.parseError()).isTrue();
            assertThat(analysis.statements()).as(c[1]).hasSize(1);
            assertThat(analysis.statements().get(0).action()).as(c[1]).isEqualTo(Action.SET);
            // a value given to a setting is kept by the session (KEEPS_VALUE, which matters only beside a read of a
            // row-filtered table); nothing else marks the statement
            assertThat(analysis.statements().get(0).traits()).as(c[1]).isSubsetOf(Trait.KEEPS_VALUE);
        }
    }

    /** Near misses of those forms: unreadable, or not a plain set of a listed setting. */
    @Example
    void nearMissesOfTheTransactionConstraintAndCharacterSetFormsAreNotPlainSets() {
        String[][] cases = {
                {"POSTGRESQL", "SET TRANSACTION READ WRITE"},
                {"POSTGRESQL", "SET TRANSACTION ISOLATION LEVEL READ COMMITTED, READ WRITE"},
                {"POSTGRESQL", "SET TRANSACTION ISOLATION LEVEL READ"},
                {"POSTGRESQL", "SET TRANSACTION SNAPSHOT '00000003-0000001B-1'"},
                {"POSTGRESQL", "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"},
                {"POSTGRESQL", "SET CONSTRAINTS ALL DEFERRED, (SELECT 1)"},
                {"POSTGRESQL", "SET CONSTRAINTS ALL DEFERRED SELECT 1"},
                {"POSTGRESQL", "SET CONSTRAINTS (SELECT ssn FROM customers) DEFERRED"},
                {"MARIADB", "SET SESSION TRANSACTION READ WRITE"},
                {"MARIADB", "SET CHARACTER SET utf8mb4, foreign_key_checks = 0"},
                {"MARIADB", "SET CHARACTER SET (SELECT ssn FROM customers)"},
                {"MARIADB", "SET CHARACTER SET ?"},
                {"H2", "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED, REFERENTIAL_INTEGRITY"},
                {"H2", "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"},
                {"H2", "SET SESSION REFERENTIAL_INTEGRITY FALSE"},
        };
        for (String[] c : cases) {
            SqlAnalysis analysis = analyzer.analyze(c[1], Dialect.valueOf(c[0]));
            if (!analysis.parsed()) {
                continue; // refused as unparseable
            }
            assertThat(analysis.statements()).as(c[1]).anySatisfy(s -> assertThat(s.traits())
                    .containsAnyOf(Trait.UNLISTED_SETTING, Trait.SERVER_SETTING, Trait.PRIVILEGE_CHANGE));
        }
        for (String dialect : new String[] {"POSTGRESQL", "MARIADB"}) {
            SqlAnalysis two = analyzer.analyze("SET TRANSACTION ISOLATION LEVEL READ COMMITTED; DROP TABLE customers",
                    Dialect.valueOf(dialect));
            assertThat(two.parsed()).isTrue();
            assertThat(two.statements()).extracting(StatementAnalysis::action).containsExactly(Action.SET, Action.DROP);
        }
    }

    @Example
    void aMariaDbSetThatIsNoneOfTheFormsIsReadAsAnyOtherUnreadableText() {
        // the forms' reader once asked for a token before the first one and failed the analysis on its own
        for (String sql : new String[] {"SET @v = (SELECT name FROM customers WHERE id = 1)",
                "SET NAMES utf8mb4, @v := (SELECT ssn FROM customers WHERE id = 1)"}) {
            SqlAnalysis analysis = analyzer.analyze(sql, Dialect.MARIADB);
            assertThat(analysis.parsed()).as(sql).isFalse();
            assertThat(analysis.parseError()).as(sql).contains("could not be read").doesNotContain("Exception");
        }
    }
}
