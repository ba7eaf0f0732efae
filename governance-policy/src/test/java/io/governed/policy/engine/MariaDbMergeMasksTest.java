package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.names.CurrentDatabase;
import io.governed.sql.names.ForwardingNameResolver;
import io.governed.sql.names.NameResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Set;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MariaDB's MERGE tables against masks, with the catalog a governed connection reads: a mask covering a column of a table
 * a UNION option lists refuses the statement by whatever pattern it covers it ({@code *.ssn} too, since the MERGE
 * table's columns may have other names), and so does any mask when the listed table's columns cannot be read; a
 * CREATE TABLE … LIKE a relation the catalog does not show as a table of rows of its own (a MERGE table, whose UNION
 * list the copy takes over) is refused for any caller a mask applies to, and runs for one none applies to.
 */
class MariaDbMergeMasksTest {

    private static final Identity ANY_SSN = human("ann", "analysts");
    private static final Identity NAMED = human("nat", "named");
    private static final Identity DBA = human("dba", "dbas");

    private final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("merge-masks.yaml", """
            version: 1
            default: deny
            rules:
              - { id: all, effect: permit, actions: ["*"], resources: ["*"] }
            masks:
              - { id: hide-any-ssn, columns: { patterns: ["*.ssn"] }, function: redact, unless: { groups: [named, dbas] } }
              - { id: hide-orders-ssn, columns: { patterns: ["app.orders.ssn"] }, function: redact, unless: { groups: [analysts, dbas] } }
            """));
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    /** app.orders (a MyISAM table), app.mine (the caller's), app.m (a MERGE table over orders), app.plain. */
    private static final Map<String, NameResolver.RelationKind> KINDS = Map.of("orders", NameResolver.RelationKind.TABLE,
            "mine", NameResolver.RelationKind.TABLE, "m", NameResolver.RelationKind.OTHER,
            "plain", NameResolver.RelationKind.TABLE, "v", NameResolver.RelationKind.VIEW);
    private static final Map<String, Set<String>> COLUMNS = Map.of("orders", Set.of("id", "tenant", "ssn"),
            "mine", Set.of("id", "tenant", "tax"), "m", Set.of("id", "tenant", "ssn"), "plain", Set.of("id", "note"));

    private static NameResolver catalog() {
        return catalogOf(KINDS, COLUMNS);
    }

    /**
     * A MariaDB catalog of the database {@code app} alone (the current one) holding the relations of {@code kinds},
     * each with the columns {@code columns} gives it.
     */
    static NameResolver catalogOf(Map<String, NameResolver.RelationKind> kinds, Map<String, Set<String>> columns) {
        NameResolver base = new CurrentDatabase("app");
        return new ForwardingNameResolver() {
            @Override
            public NameResolver names() {
                return base;
            }

            @Override
            public boolean readsCatalog() {
                return true;
            }

            @Override
            public RelationKind relationKind(String schema, String name) {
                return "app".equals(schema) ? kinds.get(name) : null;
            }

            @Override
            public Set<String> columns(String schema, String name) {
                return "app".equals(schema) ? columns.get(name) : null;
            }
        };
    }

    private Decision decide(Identity identity, String sql) {
        return engine.decide(identity, analyzer.analyze(sql, Dialect.MARIADB),
                DecisionContext.of(catalog()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER TABLE mine UNION=(orders) ENGINE=MERGE",
            "ALTER TABLE mine ENGINE=MERGE, UNION=(app.orders)",
            "ALTER TABLE mine UNION=(nowhere) ENGINE=MERGE",
    })
    void aMaskCoveringAListedTablesColumnByAnyPatternRefusesTheUnionOption(String sql) {
        Decision d = decide(ANY_SSN, sql);
        assertThat(d.allowed()).as(sql).isFalse();
        assertThat(d.rules()).as(sql).contains("hide-any-ssn");
        assertThat(decide(DBA, sql).allowed()).as("no mask applies: " + sql).isTrue();
    }

    @Test
    void aListedTableWithNoMaskedColumnIsNoReasonToRefuse() {
        assertThat(decide(ANY_SSN, "ALTER TABLE mine UNION=(plain) ENGINE=MERGE").allowed()).isTrue();
        assertThat(decide(NAMED, "ALTER TABLE mine UNION=(plain) ENGINE=MERGE").allowed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE TABLE t LIKE m", "CREATE TABLE t LIKE app.m", "CREATE TABLE t LIKE v",
            "CREATE TABLE t LIKE elsewhere.x"})
    void aCopyOfTheDefinitionOfARelationNotShownAsATableIsRefusedForAMaskedCaller(String sql) {
        for (Identity masked : new Identity[] {ANY_SSN, NAMED}) {
            Decision d = decide(masked, sql);
            assertThat(d.allowed()).as(masked + ": " + sql).isFalse();
            assertThat(d.reason()).as(sql).contains("MERGE");
        }
        assertThat(decide(DBA, sql).allowed()).as("no mask applies: " + sql).isTrue();
    }

    @Test
    void aCopyOfATablesDefinitionRuns() {
        assertThat(decide(ANY_SSN, "CREATE TABLE t LIKE plain").allowed()).isTrue();
        assertThat(decide(NAMED, "CREATE TABLE t LIKE orders").allowed()).isTrue();
    }
}
