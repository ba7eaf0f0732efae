package io.governed.benchmarks;

import io.governed.benchmarks.fixture.H2Fixture;
import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.RowCondition;
import io.governed.sql.RowFilterRewriteCache;
import io.governed.sql.RowFilterRewriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What row filters cost on H2.
 * <ul>
 *   <li>The rewrite of one statement ({@code SELECT … FROM accounts WHERE id = <n>}, {@code tenant_id =
 *       :identity.tenant}): {@link #rewriteUncached} parses and rewrites a new text every time, as without a cache;
 *       {@link #rewriteColdThroughCache} does the same through the bounded {@link RowFilterRewriteCache} (a miss, an
 *       insertion and, once it is full, an eviction); {@link #rewriteCached} asks the cache for the same text again,
 *       as every execution of a kept prepared statement does.</li>
 *   <li>{@link #keptPreparedPointSelect}: the point select by primary key through one kept {@code PreparedStatement},
 *       {@code variant} {@code raw} (H2 alone), {@code governedUnfiltered} (a permit-everything policy, no audit) and
 *       {@code governedFiltered} (the same policy with the row filter: each execution is decided, its rewrite found
 *       in the cache and the tenant bound).</li>
 * </ul>
 * Every row the point select reads belongs to the caller's tenant, so each variant reads one row per operation; one
 * more row, of another tenant, lets the set-up check that the filter is applied exactly where it should be.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RowFilterBenchmark {

    private static final String POINT_SELECT = "SELECT id, name, email, balance FROM accounts WHERE id = ";
    private static final Identity TENANT = Identity.builder("bench").kind(IdentityKind.SERVICE).attribute("tenant", "t1").build();
    private static final String POLICY = """
            version: 1
            rules:
              - { id: permit-everything, effect: permit, actions: ["*"], resources: ["*"] }
            """;
    private static final String ROW_FILTER = """
            row-filters:
              - id: tenant-isolation
                tables: ["accounts"]
                filter: "tenant_id = :identity.tenant"
            """;

    /** The filter the rewrite benchmarks apply, as the policy engine makes it for H2. */
    @State(Scope.Thread)
    public static class Rewriting {
        final List<RowFilterRewriter.Filter> filters = List.of(new RowFilterRewriter.Filter("tenant-isolation",
                t -> t.name().equalsIgnoreCase("accounts"), RowCondition.parse("tenant_id = :identity.tenant"),
                List.of("accounts")));
        final RowFilterRewriteCache cache = new RowFilterRewriteCache();
        final String sameText = POINT_SELECT + "42";
        long next;

        @Setup(Level.Trial)
        public void check() {
            RowFilterRewriter.Rewrite rewrite = RowFilterRewriter.rewrite(sameText, Dialect.H2, filters, TENANT);
            if (rewrite == null || !rewrite.sql().contains("gvrf_1")) {
                throw new IllegalStateException("The benchmark statement is not rewritten: " + rewrite);
            }
        }

        /** A text no earlier operation used: the literal counts up. */
        String newText() {
            return POINT_SELECT + (++next);
        }
    }

    @Benchmark
    public RowFilterRewriter.Rewrite rewriteUncached(Rewriting state) {
        return RowFilterRewriter.rewrite(state.newText(), Dialect.H2, state.filters, TENANT);
    }

    @Benchmark
    public RowFilterRewriter.Rewrite rewriteColdThroughCache(Rewriting state) {
        return state.cache.rewrite(state.newText(), Dialect.H2, state.filters, TENANT);
    }

    @Benchmark
    public RowFilterRewriter.Rewrite rewriteCached(Rewriting state) {
        return state.cache.rewrite(state.sameText, Dialect.H2, state.filters, TENANT);
    }

    /** One connection and one kept prepared point select, through the variant. */
    @State(Scope.Thread)
    public static class PointSelect {
        @Param({"raw", "governedUnfiltered", "governedFiltered"})
        public String variant;

        private H2Fixture database;
        private Connection connection;
        PreparedStatement kept;
        private long lastId;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            database = H2Fixture.create();
            try (Connection raw = database.rawDataSource().getConnection(); Statement st = raw.createStatement()) {
                st.execute("ALTER TABLE accounts ADD COLUMN tenant_id VARCHAR(10) DEFAULT 't1' NOT NULL");
                st.execute("INSERT INTO accounts (id, name, email, balance, tenant_id) VALUES (" + (H2Fixture.ROWS + 1)
                        + ", 'other', 'other@example.com', 0, 't2')");
            }
            connection = switch (variant) {
                case "raw" -> database.rawDataSource().getConnection();
                case "governedUnfiltered" -> governed(POLICY);
                case "governedFiltered" -> governed(POLICY + ROW_FILTER);
                default -> throw new IllegalArgumentException("No variant " + variant
                        + "; use raw, governedUnfiltered or governedFiltered");
            };
            if (database.isDriverConnection(connection) != variant.equals("raw")) {
                throw new IllegalStateException("Variant " + variant + " produced a " + connection.getClass().getName());
            }
            kept = connection.prepareStatement(H2Fixture.POINT_SELECT);
            long visible;
            try (Statement st = connection.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM accounts")) {
                rs.next();
                visible = rs.getLong(1);
            }
            long expected = variant.equals("governedFiltered") ? H2Fixture.ROWS : H2Fixture.ROWS + 1;
            if (visible != expected) {
                throw new IllegalStateException("Variant " + variant + " sees " + visible + " rows, expected " + expected
                        + ": the row filter is " + (variant.equals("governedFiltered") ? "not" : "") + " applied");
            }
        }

        private Connection governed(String policy) throws SQLException {
            Governance governance = Governance.builder().policy(PolicyLoader.fromString("bench.yaml", policy))
                    .withoutAudit().defaultIdentity(TENANT).build();
            return new GovernedDataSource(database.rawDataSource(), governance).getConnection();
        }

        long nextId() {
            lastId = lastId % H2Fixture.ROWS + 1;
            return lastId;
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            try (H2Fixture db = database; Connection c = connection; PreparedStatement ps = kept) {
                // closed in reverse order
            }
        }
    }

    @Benchmark
    public void keptPreparedPointSelect(PointSelect state, Blackhole blackhole) throws SQLException {
        state.kept.setLong(1, state.nextId());
        PointSelectBenchmark.readTheRow(state.kept, blackhole);
    }
}
