package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Statements that write or define several columns named by parser keywords the database accepts unquoted (in any
 * case, spaced and commented at random): each is read, and the columns it writes are exactly the keywords' names as the
 * database folds them, never another column, whatever else the statement holds.
 */
class KeywordWriteNamesPropertyTest {

    /** One generated statement: its text, the dialect, and the names of the columns it writes or defines. */
    record Case(Dialect dialect, String sql, List<String> words, boolean reportsWritten) {
    }

    @Property(tries = 400)
    void theColumnsAStatementWritesAreTheNamesTheDatabaseFolds(@ForAll("cases") Case c) {
        SqlAnalysis analysis = new SqlAnalyzer(0).analyze(c.sql(), c.dialect());
        assertThat(analysis.parsed()).as("%s: %s", c.sql(), analysis.parseError()).isTrue();
        assertThat(analysis.statements()).hasSize(1);
        StatementAnalysis s = analysis.statements().get(0);
        Dialect d = c.dialect();
        assertThat(s.tablesWritten()).extracting(TableRef::name).containsExactly(d.normalizeIdentifier("kwn_t"));
        Set<String> expected = c.words().stream().map(w -> fold(w, d)).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> allowed = new LinkedHashSet<>(expected);
        allowed.add(d.normalizeIdentifier("id"));
        for (ColumnRef column : s.columns()) {
            assertThat(allowed).as("%s read %s", c.sql(), column).anySatisfy(n -> assertThat(d.sameName(n, column.column())).isTrue());
        }
        if (c.reportsWritten()) {
            Set<String> written = s.columns().stream().filter(r -> r.clause() == Clause.INSERT || r.clause() == Clause.SET)
                    .map(r -> fold(r.column(), d)).collect(Collectors.toSet());
            assertThat(written).as(c.sql()).isEqualTo(expected);
        }
    }

    /** A name as the database stores it, compared as the dialect compares names. */
    private static String fold(String name, Dialect d) {
        String n = d.normalizeIdentifier(name);
        return d.caseSensitiveNames() ? n : n.toLowerCase(Locale.ROOT);
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.of(Dialect.POSTGRESQL, Dialect.MARIADB, Dialect.H2).flatMap(d -> {
            List<String> accepted = KeywordWriteNamesTest.acceptedWords(d).stream()
                    .filter(w -> !Set.of("id", "kwn_t", "exclude").contains(w)) // EXCLUDE starts a PostgreSQL constraint
                    // PostgreSQL's VALUES in a key list (PRIMARY KEY (values)) is still refused as unreadable, a known
                    // over-refusal (KeywordWriteNamesTest and the project's notes keep it); every other form reads it
                    .filter(w -> d != Dialect.POSTGRESQL || !w.equals("values"))
                    .toList();
            Arbitrary<String> word = Arbitraries.of(accepted).flatMap(w -> Arbitraries.of(w, w.toUpperCase(Locale.ROOT),
                    Character.toUpperCase(w.charAt(0)) + w.substring(1)));
            Arbitrary<List<String>> words = word.list().ofMinSize(1).ofMaxSize(4)
                    .filter(l -> l.stream().map(w -> w.toLowerCase(Locale.ROOT)).distinct().count() == l.size());
            Arbitrary<String> space = Arbitraries.of(" ", "  ", "\n", " /* c */ ");
            return Combinators.combine(words, Arbitraries.integers().between(0, 6), space)
                    .as((ws, form, sp) -> build(d, ws, form, sp));
        });
    }

    private static Case build(Dialect d, List<String> ws, int form, String sp) {
        String list = String.join("," + sp, ws);
        List<String> assignments = new ArrayList<>();
        for (int i = 0; i < ws.size(); i++) {
            assignments.add(ws.get(i) + sp + "=" + sp + i);
        }
        String values = ws.stream().map(w -> "0").collect(Collectors.joining(", "));
        return switch (form) {
            case 0 -> new Case(d, "INSERT INTO kwn_t" + sp + "(" + list + ")" + sp + "VALUES (" + values + ")", ws, true);
            case 1 -> new Case(d, "UPDATE kwn_t SET" + sp + String.join("," + sp, assignments) + sp + "WHERE id = 1", ws,
                    true);
            case 2 -> new Case(d, "CREATE TABLE kwn_t (id int," + sp + ws.stream().map(w -> w + " int")
                    .collect(Collectors.joining("," + sp)) + ", PRIMARY KEY (" + list + "))", ws, false);
            case 3 -> new Case(d, "CREATE INDEX kwn_i ON kwn_t (" + list + ")", ws, false);
            case 4 -> new Case(d, "ALTER TABLE kwn_t ADD CONSTRAINT kwn_c UNIQUE" + sp + "(" + list + ")", ws, false);
            case 5 -> new Case(d, "ALTER TABLE kwn_t " + ws.stream().map(w -> "ADD COLUMN " + w + sp + "int")
                    .collect(Collectors.joining("," + sp)), ws, false);
            default -> d == Dialect.POSTGRESQL
                    ? new Case(d, "INSERT INTO kwn_t (" + list + ") VALUES (" + values + ") ON CONFLICT (" + list
                            + ") DO UPDATE SET " + String.join(", ", assignments), ws, true)
                    : d == Dialect.MARIADB
                    ? new Case(d, "INSERT INTO kwn_t (" + list + ") VALUES (" + values + ") ON DUPLICATE KEY UPDATE "
                            + String.join(", ", assignments), ws, true)
                    : new Case(d, "ALTER TABLE kwn_t " + ws.stream().map(w -> "DROP COLUMN " + w)
                            .collect(Collectors.joining(", ")), ws, false);
        };
    }
}
