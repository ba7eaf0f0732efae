package io.governed.jdbc.it;

import io.governed.jdbc.support.ServerWide;
import io.governed.sql.BuiltInRoutines;
import io.governed.sql.Dialect;
import io.governed.sql.H2CompatibilityModes;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link H2BuiltInNamesIT} for H2's compatibility modes: in each mode, every name H2 has a function of in some mode
 * (and every name of the regular list) is given an alias returning a mark, created in the regular mode (H2 refuses an
 * alias of a name its mode runs as its own), and called unqualified after {@code SET MODE}. The names whose call does not
 * come back with the mark, less the two left off for their effects, must be exactly {@link H2CompatibilityModes}' list
 * for the mode.
 */
@ServerWide("MariaDB schemas (databases)")
class H2CompatibilityModeNamesIT {
    private static final int MARK = 424242;

    /** Every name of H2 2.4's mode functions (org.h2.mode.Functions*). */
    private static final Set<String> CANDIDATES = Set.of(
            "identity", "scope_identity", "identity_val_local", "charindex", "getdate", "isnull", "len", "newid",
            "newsequentialid", "date", "from_unixtime", "last_insert_id", "unix_timestamp", "add_months", "sys_guid",
            "to_date", "to_timestamp", "to_timestamp_tz", "array_to_string", "current_database", "currtid2",
            "format_type", "gen_random_uuid", "has_database_privilege", "has_schema_privilege", "has_table_privilege",
            "lastval", "obj_description", "pg_encoding_to_char", "pg_get_expr", "pg_get_indexdef", "pg_get_userbyid",
            "pg_postmaster_start_time", "pg_relation_size", "pg_stat_get_numscans", "pg_table_is_visible",
            "pg_total_relation_size", "set_config", "version");

    /** Run as H2's own in their mode, and left off the list: they set something (a setting, the last insert id). */
    private static final Set<String> LEFT_OFF = Set.of("set_config", "last_insert_id");

    private static final List<String> MODES = List.of("REGULAR", "STRICT", "LEGACY", "DB2", "Derby", "HSQLDB",
            "MSSQLServer", "MySQL", "MariaDB", "Oracle", "PostgreSQL");

    @Test
    void eachModesListHoldsExactlyTheNamesItRunsAsItsOwnWhateverAliasThereIs() throws SQLException {
        Set<String> regular = BuiltInRoutines.of(Dialect.H2).names();
        try (Connection raw = DriverManager.getConnection("jdbc:h2:mem:hm_modeNames;DB_CLOSE_DELAY=0");
             Statement st = raw.createStatement()) {
            Set<String> names = new TreeSet<>(CANDIDATES);
            names.addAll(regular);
            List<String> aliased = new ArrayList<>();
            for (String name : names) {
                try {
                    st.execute("CREATE ALIAS \"" + name.toUpperCase(Locale.ROOT) + "\" AS 'int mark() { return " + MARK + "; }'");
                    aliased.add(name);
                } catch (SQLException refused) {
                    // a built-in of the regular mode: H2 keeps the name in every mode (the regular list's proof)
                }
            }
            for (String mode : MODES) {
                st.execute("SET MODE " + mode);
                Set<String> own = new TreeSet<>();
                Set<String> regularReached = new TreeSet<>();
                for (String name : aliased) {
                    boolean reached;
                    try (ResultSet rs = st.executeQuery("SELECT " + name + "()")) {
                        reached = rs.next() && String.valueOf(MARK).equals(rs.getString(1));
                    } catch (SQLException theServersOwn) {
                        reached = false; // refused for its arguments or its syntax: H2's own function
                    }
                    if (regular.contains(name)) {
                        if (reached) {
                            regularReached.add(name);
                        }
                    } else if (!reached && !LEFT_OFF.contains(name)) {
                        own.add(name);
                    }
                }
                assertThat(own).as("names H2 runs as its own in mode %s", mode)
                        .containsExactlyInAnyOrderElementsOf(H2CompatibilityModes.builtIns(mode));
                assertThat(regularReached).as("listed names whose call runs an alias in mode %s", mode)
                        .containsExactly("system_range");
            }
        }
    }

    @Test
    void anAliasOutsideTheSessionsSchemasIsNotCalledAndSetModeSwitchesMidSession() throws SQLException {
        try (Connection raw = DriverManager.getConnection("jdbc:h2:mem:hm_modeSwitch;DB_CLOSE_DELAY=0");
             Statement st = raw.createStatement()) {
            st.execute("CREATE SCHEMA HM_OTHER");
            st.execute("CREATE ALIAS HM_OTHER.TO_DATE AS 'int mark() { return " + MARK + "; }'");
            assertThat(call(st, "to_date")).as("the other schema's alias, unqualified, regular mode").isNull();
            st.execute("CREATE ALIAS TO_DATE AS 'int mark() { return " + MARK + "; }'");
            assertThat(call(st, "to_date")).as("the current schema's alias, regular mode").isEqualTo(String.valueOf(MARK));
            st.execute("SET MODE PostgreSQL");
            assertThat(call(st, "to_date")).as("PostgreSQL mode, after SET MODE").isNotEqualTo(String.valueOf(MARK));
            st.execute("SET MODE MySQL");
            assertThat(call(st, "to_date")).as("MySQL mode, which has no TO_DATE").isEqualTo(String.valueOf(MARK));
            st.execute("SET MODE Oracle");
            assertThat(call(st, "to_date")).as("Oracle mode").isNotEqualTo(String.valueOf(MARK));
        }
    }

    /** The unqualified call's first value, or {@code null} when H2 refuses it (no function, or not these arguments). */
    private static String call(Statement st, String name) {
        try (ResultSet rs = st.executeQuery("SELECT " + name + "()")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException refused) {
            return null;
        }
    }
}
