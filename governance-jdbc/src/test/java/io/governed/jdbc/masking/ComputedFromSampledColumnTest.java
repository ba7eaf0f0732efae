package io.governed.jdbc.masking;

import io.governed.classification.QualifiedColumn;
import io.governed.identity.Identity;
import io.governed.policy.load.PolicyLoader;
import io.governed.policy.masking.MaskPlanner;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.names.NameResolver;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value computed from a column auto-detection still samples ({@code replace(reach, '@', ' at ')}) is no value a
 * detector can be trusted to recognise: the column is classified first from values the driver reads of it, and the
 * computed value is handed out only when the column is known to hold none (or the few it holds are none), redacted
 * otherwise, also when its values cannot be read.
 */
class ComputedFromSampledColumnTest {
    private static final Identity ANALYST = Identity.builder("ann").groups("analysts").build();
    private static final QualifiedColumn REACH = new QualifiedColumn("app", "contacts", "reach");

    private static MaskPlanner planner() {
        return MaskPlanner.of(PolicyLoader.fromString("p.yaml", """
                version: 1
                classification: { auto-detect: true, tags: { pii.email: ["*.email"], pii.ssn: ["*.ssn"] } }
                masks:
                  - { id: mask-email, columns: { tags: [pii.email] }, function: email }
                  - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: redact }
                """));
    }

    /** Values of the sampled column as a reader gives them, and every column it was asked for. */
    private static final class Reads implements ResultMasks.ColumnValues {
        private final List<Object> values;
        private final List<QualifiedColumn> asked = new ArrayList<>();

        Reads(List<Object> values) {
            this.values = values;
        }

        @Override
        public List<Object> read(QualifiedColumn column, int rows) {
            asked.add(column);
            return values == null ? null : values.subList(0, Math.min(rows, values.size()));
        }
    }

    private static ResultMasks resolve(MaskPlanner planner, String sql, ResultMasks.ColumnValues values) throws Exception {
        SqlAnalysis analysis = new SqlAnalyzer().analyze(sql, Dialect.POSTGRESQL);
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 'x' AS r")) {
            return ResultMasks.resolve(planner, ANALYST, analysis, null, Dialect.POSTGRESQL, rs::getMetaData,
                    (schema, table) -> null, NameResolver.unknown(), values);
        }
    }

    private static List<Object> addresses(int n) {
        List<Object> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add("person.number" + i + "@example.org");
        }
        return out;
    }

    private static final String REENCODED = "SELECT replace(reach, '@', ' at ') AS r FROM app.contacts";

    @Test
    void aColumnWhoseValuesAreAddressesIsClassifiedFirstAndTheComputedValueRedacted() throws Exception {
        MaskPlanner planner = planner();
        Reads reads = new Reads(addresses(60));
        ResultMasks masks = resolve(planner, REENCODED, reads);
        assertThat(reads.asked).containsExactly(REACH);
        assertThat(planner.sampler(REACH, Dialect.POSTGRESQL).isSettled()).isTrue();
        assertThat(planner.explain(REACH, Dialect.POSTGRESQL)).anySatisfy(c -> assertThat(c.tag()).isEqualTo("pii.email"));
        assertThat(masks).isNotNull();
        assertThat(masks.mask(1)).isNotNull();
        assertThat(masks.mask(1).function()).isEqualTo("redact");
    }

    @Test
    void aColumnWhoseValuesHoldNoneIsClassifiedFirstAndTheComputedValueHandedOut() throws Exception {
        MaskPlanner planner = planner();
        Reads reads = new Reads(new ArrayList<>(Collections.nCopies(60, "room 12")));
        ResultMasks masks = resolve(planner, REENCODED, reads);
        assertThat(reads.asked).containsExactly(REACH);
        assertThat(planner.sampler(REACH, Dialect.POSTGRESQL).isSettled()).isTrue();
        assertThat(masks == null || masks.mask(1) == null).isTrue();
        Reads again = new Reads(null);
        resolve(planner, REENCODED, again);
        assertThat(again.asked).as("a settled column is not read again").isEmpty();
    }

    @Test
    void aColumnWhoseValuesCannotBeReadLeavesTheComputedValueRedacted() throws Exception {
        MaskPlanner planner = planner();
        ResultMasks masks = resolve(planner, REENCODED, new Reads(null));
        assertThat(masks).isNotNull();
        assertThat(masks.mask(1)).isNotNull();
        assertThat(masks.mask(1).function()).isEqualTo("redact");
        assertThat(masks.mask(1).reason()).contains("app.contacts.reach").contains("could not be read")
                .doesNotContain("person.number");
        assertThat(planner.sampler(REACH, Dialect.POSTGRESQL).isSettled()).isFalse();
        assertThat(masks.mask(1)).isEqualTo(resolve(planner, REENCODED, ResultMasks.ColumnValues.NONE).mask(1));
    }

    @Test
    void aFewAddressesTooFewToClassifyTheColumnLeaveTheComputedValueRedacted() throws Exception {
        MaskPlanner planner = planner();
        List<Object> few = new ArrayList<>(addresses(2));
        few.add("room 12");
        ResultMasks masks = resolve(planner, REENCODED, new Reads(few));
        assertThat(planner.sampler(REACH, Dialect.POSTGRESQL).isSettled()).isFalse();
        assertThat(masks.mask(1)).isNotNull();
        assertThat(masks.mask(1).function()).isEqualTo("redact");
        assertThat(masks.mask(1).reason()).contains("too few yet to classify it");
    }

    @Test
    void aFewValuesHoldingNoneHandTheComputedValueOutCheckedOneByOneWithoutSettlingTheColumn() throws Exception {
        MaskPlanner planner = planner();
        ResultMasks masks = resolve(planner, REENCODED, new Reads(List.of("room 12", "room 14", "hall")));
        assertThat(planner.sampler(REACH, Dialect.POSTGRESQL).isSettled()).isFalse();
        assertThat(masks).isNotNull();
        assertThat(masks.mask(1)).isNull();
        assertThat(masks.detectsValues(1)).isTrue();
    }

    @Test
    void aColumnReadAsItIsAnAggregateAndATaggedColumnAreNotRead() throws Exception {
        MaskPlanner planner = planner();
        Reads reads = new Reads(null);
        for (String sql : List.of("SELECT reach FROM app.contacts", "SELECT count(reach) FROM app.contacts",
                "SELECT replace(ssn, '-', '') FROM app.contacts", "SELECT 1 AS one FROM app.contacts")) {
            resolve(planner, sql, reads);
        }
        assertThat(reads.asked).isEmpty();
    }
}
