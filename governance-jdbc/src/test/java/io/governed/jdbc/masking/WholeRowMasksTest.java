package io.governed.jdbc.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import io.governed.classification.QualifiedColumn;
import io.governed.identity.Identity;
import io.governed.policy.load.PolicyLoader;
import io.governed.policy.masking.MaskPlanner;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;

/**
 * A whole-row reference ({@code SELECT o FROM orders o}, {@code row_to_json(o)}) is shown in clear
 * only when the database lists the table's columns and none of them is masked for the caller.
 */
class WholeRowMasksTest {

    private static final MaskPlanner PLANNER = MaskPlanner.of(PolicyLoader.fromString("p.yaml", """
            version: 1
            classification:
              tags:
                pii.ssn: ["*.ssn"]
            masks:
              - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: redact }
            """));
    private static final Identity ANALYST = Identity.builder("ann").groups("analysts").build();

    private static ResultMasks resolve(String sql, ResultMasks.TableColumns columns) throws Exception {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, Dialect.POSTGRESQL);
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 'x' AS o")) {
            return ResultMasks.resolve(PLANNER, ANALYST, analysis, null, Dialect.POSTGRESQL, rs::getMetaData, columns);
        }
    }

    private static ResultMasks.TableColumns of(String... names) {
        return (schema, table) -> java.util.Arrays.stream(names).map(n -> new QualifiedColumn("public", table, n)).toList();
    }

    @Test
    void aWholeRowOfATableWithoutMaskedColumnsIsClear() throws Exception {
        ResultMasks masks = resolve("SELECT o FROM orders o", of("id", "total", "status"));
        assertThat(masks == null || masks.maskedLabels().isEmpty()).isTrue();
        ResultMasks json = resolve("SELECT row_to_json(o) FROM orders o", of("id", "total"));
        assertThat(json == null || json.maskedLabels().isEmpty()).isTrue();
    }

    @Test
    void aWholeRowOfATableWithAMaskedColumnIsRedacted() throws Exception {
        // the result's label (O) is no name the analysis gave the column (c), nor a base column's: named by its place
        assertThat(resolve("SELECT c FROM customers c", of("id", "ssn")).maskedLabels()).containsExactly("#1");
    }

    @Test
    void aWholeRowOfATableWhoseColumnsAreUnknownIsRedacted() throws Exception {
        assertThat(resolve("SELECT o FROM orders o", (schema, table) -> null).maskedLabels()).containsExactly("O");
        assertThat(resolve("SELECT o FROM orders o", (schema, table) -> List.of()).maskedLabels()).containsExactly("O");
    }
}
