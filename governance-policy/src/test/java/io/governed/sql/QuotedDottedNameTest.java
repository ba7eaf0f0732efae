package io.governed.sql;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A quoted name holding a dot ({@code "a.b"}) is one name: the parser splits it at the dot into a schema and a table in
 * many statements (ALTER TABLE, DROP, TRUNCATE, CREATE INDEX, COMMENT ON, INSERT, UPDATE, DELETE, MERGE, SELECT …), where
 * a rule on {@code public."a.b"} would miss it and a rule on {@code a.b} hit it. Each statement either names the relation
 * whole or is refused as read otherwise, saying to rename the object; never the split name.
 */
class QuotedDottedNameTest {

    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private static final List<String> TEMPLATES = List.of(
            "DROP TABLE {N}", "DROP TABLE IF EXISTS {N}", "DROP TABLE {N}, other", "DROP VIEW {N}", "TRUNCATE {N}",
            "TRUNCATE TABLE {N}", "ALTER TABLE {N} ADD COLUMN x int", "ALTER TABLE {N} RENAME TO other",
            "ALTER TABLE {N} DROP COLUMN x", "CREATE INDEX qi ON {N} (x)", "COMMENT ON TABLE {N} IS 'x'",
            "LOCK TABLE {N}", "GRANT SELECT ON {N} TO someone", "INSERT INTO {N} VALUES (1)", "UPDATE {N} SET x = 1",
            "DELETE FROM {N}", "MERGE INTO {N} t USING other s ON (t.x = s.x) WHEN MATCHED THEN DELETE",
            "SELECT * FROM {N}", "SELECT x FROM other JOIN {N} ON true", "CREATE TABLE {N} (x int)",
            "CREATE VIEW {N} AS SELECT 1 AS x", "CREATE TABLE other2 AS SELECT * FROM {N}");

    /** The relations the analysis names whose name or schema carries one of the test's q-names. */
    private static List<TableRef> qRelations(StatementAnalysis statement) {
        List<TableRef> refs = new ArrayList<>();
        for (Set<TableRef> set : List.of(statement.tablesRead(), statement.tablesWritten())) {
            for (TableRef ref : set) {
                if (Set.of("other", "other2", "qi", "qt", "*").contains(ref.name().toLowerCase())) {
                    continue; // the statement's other names (a rename's new name takes the schema of the renamed)
                }
                if ("other".equals(ref.schema())) {
                    continue; // SET SCHEMA other: the name in the new schema
                }
                if (ref.name().toLowerCase().startsWith("q") || ref.schema() != null && ref.schema().toLowerCase().startsWith("q")) {
                    refs.add(ref);
                }
            }
        }
        return refs;
    }

    private void assertReadWholeOrRefused(Dialect dialect, String sql, TableRef whole) {
        SqlAnalysis analysis = analyzer.analyze(sql, dialect);
        if (!analysis.parsed()) {
            return; // refused (unparseable or read otherwise): a policy's on-unparseable decides, and denies by default
        }
        for (StatementAnalysis statement : analysis.statements()) {
            for (TableRef ref : qRelations(statement)) {
                assertThat(dialect.sameName(ref.name(), whole.name())
                        && (ref.schema() == null ? whole.schema() == null
                        : whole.schema() != null && dialect.sameName(ref.schema(), whole.schema())))
                        .as(dialect + " " + sql + " read " + ref + ", not " + whole).isTrue();
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | \"qa.qb\"       |      | qa.qb",
            "POSTGRESQL | qs.\"qa.qb\"    | qs   | qa.qb",
            "POSTGRESQL | \"qs.qx\".qb    | qs.qx | qb",
            "POSTGRESQL | \"qs.qx\".\"qa.qb\" | qs.qx | qa.qb",
            "POSTGRESQL | \"qa.qb.qc\"    |      | qa.qb.qc",
            "H2         | \"qa.qb\"       |      | qa.qb",
            "H2         | \"QS\".\"qa.qb\" | QS  | qa.qb",
            "MARIADB    | `qa.qb`         |      | qa.qb",
            "MARIADB    | qs.`qa.qb`      | qs   | qa.qb",
            "MARIADB    | `qs.qx`.qb      | qs.qx | qb",
    })
    void everyStatementReadsAQuotedDottedNameWholeOrIsRefused(Dialect dialect, String name, String schema, String table) {
        TableRef whole = new TableRef(schema, table);
        for (String template : TEMPLATES) {
            assertReadWholeOrRefused(dialect, template.replace("{N}", name), whole);
        }
        if (dialect == Dialect.POSTGRESQL) {
            for (String template : List.of("COPY {N} FROM STDIN", "COPY {N} TO STDOUT",
                    "CREATE TRIGGER qt BEFORE INSERT ON {N} FOR EACH ROW EXECUTE FUNCTION f()",
                    "ALTER TABLE {N} SET SCHEMA other", "REFRESH MATERIALIZED VIEW {N}", "ANALYZE {N}", "VACUUM {N}",
                    "CLUSTER {N}", "REINDEX TABLE {N}", "ALTER TABLE {N} OWNER TO someone")) {
                assertReadWholeOrRefused(dialect, template.replace("{N}", name), whole);
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | DROP TABLE \"qa.qb\"",
            "POSTGRESQL | TRUNCATE \"qa.qb\"",
            "POSTGRESQL | ALTER TABLE \"qa.qb\" ADD COLUMN x int",
            "POSTGRESQL | SELECT * FROM \"qa.qb\"",
            "POSTGRESQL | INSERT INTO \"qa.qb\" VALUES (1)",
            "POSTGRESQL | CREATE TRIGGER qt BEFORE INSERT ON \"qa.qb\" FOR EACH ROW EXECUTE FUNCTION f()",
            "MARIADB    | DROP TABLE `qa.qb`",
            "H2         | TRUNCATE TABLE \"qa.qb\"",
    })
    void aRefusalSaysToRenameTheObject(Dialect dialect, String sql) {
        SqlAnalysis analysis = analyzer.analyze(sql, dialect);
        assertThat(analysis.parsed()).as(sql).isFalse();
        assertThat(analysis.parseError()).contains("qa.qb", "rename the object", "Qualify it with its schema");
    }

    /** Qualified by its schema, the name is not split: read whole, not refused. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | DROP TABLE qs.\"qa.qb\"",
            "POSTGRESQL | TRUNCATE qs.\"qa.qb\"",
            "POSTGRESQL | ALTER TABLE qs.\"qa.qb\" ADD COLUMN x int",
            "POSTGRESQL | SELECT * FROM qs.\"qa.qb\"",
            "POSTGRESQL | DELETE FROM qs.\"qa.qb\"",
            "MARIADB    | DROP TABLE qs.`qa.qb`",
    })
    void aDottedNameQualifiedByItsSchemaIsReadWhole(Dialect dialect, String sql) {
        SqlAnalysis analysis = analyzer.analyze(sql, dialect);
        assertThat(analysis.parsed()).as(sql + ": " + analysis.parseError()).isTrue();
        assertThat(qRelations(analysis.statements().get(0))).containsExactly(new TableRef("qs", "qa.qb"));
    }

    /** A quoted name that is two names, each quoted, stays two names. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | DROP TABLE \"qa\".\"qb\"",
            "POSTGRESQL | ALTER TABLE \"qa\".\"qb\" ADD COLUMN x int",
            "POSTGRESQL | SELECT * FROM \"qa\".\"qb\"",
            "MARIADB    | DROP TABLE `qa`.`qb`",
    })
    void twoQuotedNamesStayASchemaAndATable(Dialect dialect, String sql) {
        SqlAnalysis analysis = analyzer.analyze(sql, dialect);
        assertThat(analysis.parsed()).as(sql + ": " + analysis.parseError()).isTrue();
        assertThat(qRelations(analysis.statements().get(0))).contains(new TableRef("qa", "qb"));
    }

    @Property(tries = 300)
    void aQuotedDottedNameInAnyPositionIsNeverSplit(@ForAll("templates") String template, @ForAll("names") List<String> parts,
                                                    @ForAll boolean qualified) {
        String table = parts.get(0);
        String schema = qualified ? parts.get(1) : null;
        String written = (schema == null ? "" : quoted(schema) + ".") + quoted(table);
        assertReadWholeOrRefused(Dialect.POSTGRESQL, template.replace("{N}", written), new TableRef(schema, table));
    }

    private static String quoted(String name) {
        return name.contains(".") || !name.equals(name.toLowerCase()) ? "\"" + name + "\"" : name;
    }

    @Provide
    Arbitrary<String> templates() {
        return Arbitraries.of(TEMPLATES);
    }

    @Provide
    Arbitrary<List<String>> names() {
        Arbitrary<String> word = Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(3).map(w -> "q" + w);
        Arbitrary<String> name = Combinators.combine(word, word, Arbitraries.integers().between(0, 2))
                .as((a, b, dots) -> dots == 0 ? a : dots == 1 ? a + "." + b : a + "." + b + ".qz");
        return name.list().ofSize(2);
    }
}
