package io.governed.benchmarks;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.masking.MaskBuffer;
import io.governed.masking.MaskFunction;
import io.governed.masking.MaskerRegistry;
import io.governed.policy.Policy;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
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

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A full scan of 100,000 rows × 10 columns read with {@code getString}, through the raw driver and
 * through the governed one: once with a policy that masks nothing, once with three of the ten
 * columns (email, ssn, card number) masked for the analyst reading them.
 *
 * <p>{@code rawFreshStrings} reads through the raw driver and, for those three columns, makes a new string of the
 * value's length in the cheapest way JDK 17 offers (the value's Latin-1 bytes into a reused buffer, then one
 * {@code new String} from it: one array and one string allocated, one copy). Any mask that returns a new string
 * pays at least that; the difference to {@code raw} is the least a masked scan can cost over raw, whatever the
 * masks do.
 *
 * <p>{@code rawMasks} ({@link #scanMasks}, which {@code SideBySide.java} runs for it; not a JMH benchmark, so that
 * {@link #scan}'s code, and with it the other variants' times, stay as they were) reads through the raw driver and
 * calls the policy's two mask functions ({@code email}, and {@code partial} keeping the last four) on those three
 * columns' values itself, with one {@link MaskBuffer} per column as the governed reader does, and nothing else: the masks' own
 * cost in this scan, without the governed result set around them. {@code governedMasked} over it is what the
 * governed reader adds to the masks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MaskingScanBenchmark {
    static final int ROWS = 100_000;
    private static final String QUERY = "SELECT id, name, email, ssn, card_number, city, country, plan, balance, created FROM customers";

    private static final String RULES = String.join("\n",
            "version: 1",
            "default: deny",
            "rules:",
            "  - id: analysts-read",
            "    effect: permit",
            "    principals: { groups: [analysts] }",
            "    actions: [select]",
            "    resources: [\"*\"]",
            "");
    private static final String MASKS = String.join("\n",
            "classification:",
            "  auto-detect: false",
            "  tags:",
            "    pii.email: [\"*.email\"]",
            "    pii.ssn: [\"*.ssn\"]",
            "    pci.pan: [\"*.card_number\"]",
            "masks:",
            "  - id: mask-email",
            "    columns: { tags: [pii.email] }",
            "    function: email",
            "  - id: mask-ids",
            "    columns: { tags: [pii.ssn, pci.pan] }",
            "    function: partial",
            "    keep-last: 4",
            "");

    /**
     * {@code raw}, {@code rawFreshStrings}, {@code governedNoMask} or {@code governedMasked}; {@code rawMasks} too, read
     * by {@link #scanMasks} only.
     */
    @Param({"raw", "rawFreshStrings", "governedNoMask", "governedMasked"})
    public String variant;

    /** The columns the masks apply to: email, ssn, card_number. */
    private static final boolean[] MASKED = {false, false, false, true, true, true, false, false, false, false, false};

    private final byte[] latin1 = new byte[256];

    private Connection keeper;
    private Connection connection;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:scan-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        keeper = h2.getConnection();
        try (Statement s = keeper.createStatement()) {
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40), email VARCHAR(80), ssn VARCHAR(11),"
                    + " card_number VARCHAR(19), city VARCHAR(40), country VARCHAR(2), plan VARCHAR(10), balance DECIMAL(12,2), created DATE)");
            s.execute("INSERT INTO customers SELECT X, 'Customer ' || X, 'user' || X || '@example.com',"
                    + " LPAD(MOD(X, 899) + 100, 3, '0') || '-' || LPAD(MOD(X, 99) + 1, 2, '0') || '-' || LPAD(MOD(X, 9999) + 1, 4, '0'),"
                    + " '4111 1111 1111 ' || LPAD(MOD(X, 9999), 4, '0'), 'City ' || MOD(X, 500), 'DE', 'basic', X * 1.5, DATE '2024-01-01'"
                    + " FROM SYSTEM_RANGE(1, " + ROWS + ")");
        }
        connection = switch (variant) {
            case "raw", "rawFreshStrings", "rawMasks" -> h2.getConnection();
            case "governedNoMask" -> governed(h2, PolicyLoader.fromString("no-masks.yaml", RULES));
            case "governedMasked" -> governed(h2, PolicyLoader.fromString("masks.yaml", RULES + MASKS));
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    private static Connection governed(JdbcDataSource h2, Policy policy) throws SQLException {
        Governance governance = Governance.builder().policy(policy).withoutAudit()
                .defaultIdentity(Identity.builder("ana").groups("analysts").build()).build();
        return new GovernedDataSource(h2, governance).getConnection();
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        connection.close();
        keeper.close();
    }

    @Benchmark
    public void scan(Blackhole bh) throws SQLException {
        boolean fresh = variant.equals("rawFreshStrings");
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            while (rs.next()) {
                for (int column = 1; column <= 10; column++) {
                    String value = rs.getString(column);
                    bh.consume(fresh && MASKED[column] ? freshCopy(value) : value);
                }
            }
        }
    }

    /** {@code rawMasks}: by column index, the buffer its mask functions build in, one per column as a governed reader has. */
    private final MaskBuffer[] buffers = {null, null, null, new MaskBuffer(), new MaskBuffer(), new MaskBuffer(), null, null, null, null, null};
    /** {@code rawMasks}: by column index, the function the policy above masks the column with, or {@code null}. */
    private final MaskFunction[] functions = functions();

    private static MaskFunction[] functions() {
        MaskerRegistry maskers = MaskerRegistry.builtIn();
        MaskFunction partial = maskers.create("partial", Map.of("keep-last", 4));
        MaskFunction[] functions = new MaskFunction[11];
        functions[3] = maskers.create("email", Map.of());
        functions[4] = partial;
        functions[5] = partial;
        return functions;
    }

    /** The scan of {@code rawMasks}: the raw driver's values, the masked columns' masked by the functions directly. */
    public void scanMasks(Blackhole bh) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            while (rs.next()) {
                for (int column = 1; column <= 10; column++) {
                    String value = rs.getString(column);
                    MaskFunction function = functions[column];
                    bh.consume(function != null && value != null ? function.mask(value, buffers[column]) : value);
                }
            }
        }
    }

    /** A new string equal to {@code value} (ASCII here), made as cheaply as a mask could make its result. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the Latin-1 bytes without an encoder
    private String freshCopy(String value) {
        int n = value.length();
        value.getBytes(0, n, latin1, 0);
        return new String(latin1, 0, n, StandardCharsets.ISO_8859_1);
    }
}
