package io.governed.sql;

import io.governed.identity.Identity;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The filter's column written in any case and quoting, in every kind of statement that sets or gives it: a name the
 * database may take for the filter's column is never set, and an INSERT's check always reads the value the row's real
 * filter column gets. Random spellings from a fixed seed, so that a failure can be replayed.
 */
class RowFilterRewriterNameCaseTest {

    private static final Identity ALICE = Identity.builder("alice").attribute("tenant", "t1").build();
    private static final RowFilterRewriter.Filter TENANT = new RowFilterRewriter.Filter("tenant-isolation",
            t -> t.name().equalsIgnoreCase("orders"), RowCondition.parse("tenant_id = :identity.tenant"));
    private static final int RUNS = 300;

    private static RowFilterRewriter.Rewrite rewrite(String sql, Dialect dialect) {
        return RowFilterRewriter.rewrite(sql, dialect, List.of(TENANT), ALICE);
    }

    /** {@code tenant_id} in random case, unquoted or quoted as the dialect quotes. */
    private static String spelling(Random random, Dialect dialect) {
        StringBuilder name = new StringBuilder();
        for (char c : "tenant_id".toCharArray()) {
            name.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return switch (random.nextInt(3)) {
            case 0 -> name.toString();
            case 1 -> dialect == Dialect.MARIADB ? "`" + name + "`" : "\"" + name + "\"";
            default -> dialect == Dialect.MARIADB ? "`" + name + "`" : "\"" + name.toString().toLowerCase(Locale.ROOT) + "\"";
        };
    }

    /** Whether the database, with its default settings, takes the spelling for the table's column tenant_id. */
    private static boolean isTheFilterColumn(String spelling, Dialect dialect) {
        String stored = dialect.normalizeIdentifier(spelling);
        return switch (dialect) {
            case POSTGRESQL -> stored.equals("tenant_id");
            case H2 -> stored.equals("TENANT_ID");
            default -> stored.equalsIgnoreCase("tenant_id");
        };
    }

    /** Whether a comparison that fails closed must take the spelling for it: H2's settings can make case not matter. */
    private static boolean mayBeTheFilterColumn(String spelling, Dialect dialect) {
        return dialect == Dialect.POSTGRESQL ? isTheFilterColumn(spelling, dialect)
                : dialect.normalizeIdentifier(spelling).equalsIgnoreCase("tenant_id");
    }

    private static void forSpellings(Dialect dialect, long seed, java.util.function.Consumer<String> property) {
        Random random = new Random(seed);
        List<String> spellings = new ArrayList<>(List.of("tenant_id", "TENANT_ID", "Tenant_Id"));
        spellings.add(dialect == Dialect.MARIADB ? "`TENANT_ID`" : "\"TENANT_ID\"");
        spellings.add(dialect == Dialect.MARIADB ? "`tenant_id`" : "\"tenant_id\"");
        for (int i = 0; i < RUNS; i++) {
            spellings.add(spelling(random, dialect));
        }
        for (String spelling : spellings) {
            property.accept(spelling);
        }
    }

    private static void setIsRefusedWhenItMayBeTheFilterColumn(Dialect dialect, long seed, Function<String, String> statement) {
        forSpellings(dialect, seed, spelling -> {
            String sql = statement.apply(spelling);
            if (mayBeTheFilterColumn(spelling, dialect)) {
                assertThatThrownBy(() -> rewrite(sql, dialect)).as(dialect + ": " + sql)
                        .isInstanceOf(RowFilterRewriter.RefusedException.class)
                        .hasMessageContaining("which row filter tenant-isolation reads");
            } else {
                assertThat(rewrite(sql, dialect).sql()).as(dialect + ": " + sql).contains(spelling);
            }
        });
    }

    @Test
    void anUpdateNeverSetsTheFilterColumnInAnyCaseOrQuoting() {
        for (Dialect dialect : List.of(Dialect.POSTGRESQL, Dialect.H2, Dialect.MARIADB)) {
            setIsRefusedWhenItMayBeTheFilterColumn(dialect, 11, c -> "UPDATE orders SET " + c + " = 't2' WHERE id = 1");
            setIsRefusedWhenItMayBeTheFilterColumn(dialect, 12, c -> "UPDATE orders o SET total = 1, o." + c
                    + " = 't2' WHERE o.id = 1");
        }
    }

    @Test
    void anUpsertNeverSetsTheFilterColumnInAnyCaseOrQuoting() {
        setIsRefusedWhenItMayBeTheFilterColumn(Dialect.POSTGRESQL, 21, c -> "INSERT INTO orders (id, tenant_id) VALUES "
                + "(1, 't1') ON CONFLICT (id) DO UPDATE SET " + c + " = 't2'");
        for (Dialect dialect : List.of(Dialect.MARIADB, Dialect.H2)) {
            setIsRefusedWhenItMayBeTheFilterColumn(dialect, 22, c -> "INSERT INTO orders (id, tenant_id) VALUES "
                    + "(1, 't1') ON DUPLICATE KEY UPDATE total = 0, " + c + " = 't2'");
        }
    }

    @Test
    void aMergeNeverSetsTheFilterColumnInAnyCaseOrQuoting() {
        for (Dialect dialect : List.of(Dialect.POSTGRESQL, Dialect.H2)) {
            setIsRefusedWhenItMayBeTheFilterColumn(dialect, 31, c -> "MERGE INTO orders o USING items i ON o.id = i.id "
                    + "WHEN MATCHED THEN UPDATE SET " + c + " = 't2'");
        }
    }

    /**
     * An INSERT naming the filter column in another case or quoting is either refused, or checked with the value the
     * real filter column gets: never checked with a value that lands in another column. A check binds the row's value
     * of the filter column, then the caller's tenant.
     */
    private static void insertIsCheckedWithTheRealColumnsValue(Dialect dialect, long seed, Function<String, String> alone,
                                                               Function<String, String> beside) {
        forSpellings(dialect, seed, spelling -> {
            String sql = alone.apply(spelling);
            if (isTheFilterColumn(spelling, dialect) && (dialect == Dialect.POSTGRESQL || unquotedOrAsStored(spelling, dialect))) {
                RowFilterRewriter.Rewrite r = rewrite(sql, dialect);
                assertThat(r.checks()).as(dialect + ": " + sql).hasSize(1);
                assertThat(r.checks().get(0).bindings()).extracting(RowFilterRewriter.Binding::value)
                        .as(dialect + ": " + sql).containsExactly("t2", "t1");
            } else if (!isTheFilterColumn(spelling, dialect)) {
                assertThatThrownBy(() -> rewrite(sql, dialect)).as(dialect + ": " + sql)
                        .isInstanceOf(RowFilterRewriter.RefusedException.class);
            } else {
                // the filter's column, but written so that another setting could make it another: checked or refused
                try {
                    RowFilterRewriter.Rewrite r = rewrite(sql, dialect);
                    assertThat(r.checks().get(0).bindings()).extracting(RowFilterRewriter.Binding::value).containsExactly("t2", "t1");
                } catch (RowFilterRewriter.RefusedException refused) {
                    assertThat(refused).hasMessageContaining("tenant_id");
                }
            }
            String both = beside.apply(spelling);
            if (mayBeTheFilterColumn(spelling, dialect)) {
                assertThatThrownBy(() -> rewrite(both, dialect)).as(dialect + ": " + both)
                        .isInstanceOf(RowFilterRewriter.RefusedException.class).hasMessageContaining("twice");
            } else {
                RowFilterRewriter.Rewrite r = rewrite(both, dialect);
                assertThat(r.checks().get(0).bindings()).extracting(RowFilterRewriter.Binding::value)
                        .as(dialect + ": " + both).containsExactly("t1", "t1");
            }
        });
    }

    private static boolean unquotedOrAsStored(String spelling, Dialect dialect) {
        return dialect != Dialect.H2 || spelling.charAt(0) != '"' || spelling.equals("\"TENANT_ID\"");
    }

    @Test
    void anInsertNamingTheFilterColumnInAnotherCaseIsCheckedWithItsValueOrRefused() {
        for (Dialect dialect : List.of(Dialect.POSTGRESQL, Dialect.H2, Dialect.MARIADB)) {
            insertIsCheckedWithTheRealColumnsValue(dialect, 41,
                    c -> "INSERT INTO orders (id, " + c + ") VALUES (1, 't2')",
                    c -> "INSERT INTO orders (id, tenant_id, " + c + ") VALUES (1, 't1', 't2')");
        }
    }

    @Test
    void aMergeInsertNamingTheFilterColumnInAnotherCaseIsCheckedWithItsValueOrRefused() {
        for (Dialect dialect : List.of(Dialect.POSTGRESQL, Dialect.H2)) {
            insertIsCheckedWithTheRealColumnsValue(dialect, 51,
                    c -> "MERGE INTO orders o USING items i ON o.id = i.id WHEN NOT MATCHED THEN INSERT (id, " + c
                            + ") VALUES (i.id, 't2')",
                    c -> "MERGE INTO orders o USING items i ON o.id = i.id WHEN NOT MATCHED THEN INSERT (id, tenant_id, "
                            + c + ") VALUES (i.id, 't1', 't2')");
        }
    }

    @Test
    void anInsertSelectNamingTheFilterColumnInAnotherCaseKeepsOnlyAdmittedRowsOrIsRefused() {
        for (Dialect dialect : List.of(Dialect.POSTGRESQL, Dialect.H2, Dialect.MARIADB)) {
            forSpellings(dialect, 61, spelling -> {
                String sql = "INSERT INTO orders (id, " + spelling + ") SELECT id, 't2' FROM items";
                if (!isTheFilterColumn(spelling, dialect)) {
                    assertThatThrownBy(() -> rewrite(sql, dialect)).as(dialect + ": " + sql)
                            .isInstanceOf(RowFilterRewriter.RefusedException.class);
                } else {
                    try {
                        assertThat(rewrite(sql, dialect).sql()).as(dialect + ": " + sql).contains("gvins.tenant_id = ?");
                    } catch (RowFilterRewriter.RefusedException refused) {
                        assertThat(dialect).as(dialect + ": " + sql).isNotEqualTo(Dialect.POSTGRESQL);
                    }
                }
            });
        }
    }

    @Test
    void theRefusalNamesTheColumnAsWrittenAndSaysHowToWriteIt() {
        assertThatThrownBy(() -> rewrite("INSERT INTO orders (id, \"tenant_id\") VALUES (1, 't1')", Dialect.H2))
                .isInstanceOf(RowFilterRewriter.RefusedException.class)
                .hasMessageContaining("names the column \"tenant_id\", which the database may or may not take for the "
                        + "column tenant_id row filter tenant-isolation reads")
                .hasMessageContaining("name it as the filter does, tenant_id");
        assertThatThrownBy(() -> rewrite("UPDATE orders SET `TENANT_ID` = 't2' WHERE id = 1", Dialect.MARIADB))
                .isInstanceOf(RowFilterRewriter.RefusedException.class)
                .hasMessageContaining("the UPDATE sets `TENANT_ID`, which row filter tenant-isolation reads");
        assertThat(rewrite("UPDATE orders SET \"TENANT_ID\" = 't2' WHERE id = 1", Dialect.POSTGRESQL).sql())
                .isEqualTo("UPDATE orders SET \"TENANT_ID\" = 't2' WHERE orders.id = 1 AND (orders.tenant_id = ?) "
                        + "AND CASE WHEN (orders.tenant_id = ?) THEN (id = 1) END");
    }

    /** PostgreSQL's Unicode-escaped names ({@code U&"tenant\005fid"} is tenant_id) are not read, so they are refused. */
    @Test
    void aUnicodeEscapedNameIsRefused() {
        for (String sql : List.of("UPDATE orders SET U&\"tenant\\005fid\" = 't2' WHERE id = 1",
                "UPDATE orders SET u&\"TENANT_ID\" = 't2' WHERE id = 1",
                "INSERT INTO orders (id, U&\"tenant\\005fid\") VALUES (1, 't2')",
                "MERGE INTO orders o USING items i ON o.id = i.id WHEN MATCHED THEN UPDATE SET U&\"tenant\\005fid\" = 't2'")) {
            assertThatThrownBy(() -> rewrite(sql, Dialect.POSTGRESQL)).as(sql).isInstanceOf(RowFilterRewriter.RefusedException.class);
        }
    }
}
