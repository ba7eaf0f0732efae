package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;
import io.governed.masking.UnmaskableValueException;
import io.governed.policy.Decision;
import io.governed.policy.masking.ColumnMask;
import io.governed.policy.masking.MaskPlanner;
import io.governed.sql.Action;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.WrittenParameters;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Stage 3, before masking: a masked value read and written back unchanged does not replace the stored value. An
 * object-relational mapper writes an entity back with every column it maps (Hibernate without {@code @DynamicUpdate}:
 * {@code UPDATE customer SET email = ?, name = ?, version = ? WHERE id = ? AND version = ?}), the masked column too,
 * with the value its caller read, which for a caller a mask applies to is the masked one: the row would be left with
 * {@code a***@example.com} where the address was. So an UPDATE (or an upsert's update of the conflicting row, {@code ON
 * CONFLICT … DO UPDATE SET email = EXCLUDED.email}, {@code ON DUPLICATE KEY UPDATE}) by such a caller that sets a masked column to a bound
 * value the column's mask leaves as it is (a value in the form the mask gives, which the mask shows unchanged; NULL
 * under the {@code null} mask) is refused (42501), naming the mask, the table and the column, never the value, and
 * saying how to write the entity without that column. A value in any other form (a new address) is written as before.
 * An {@code EXECUTE} of a statement prepared by name through the governed connection ({@code PREPARE w AS UPDATE
 * customers SET ssn = $1 …; EXECUTE w('***-**-6789', 1)}) passes its constants as that statement's parameters, and is
 * checked alike; an argument whose value is not told (a MariaDB user variable) set to a masked column is refused.
 */
public final class MaskedWriteBackStage extends PipelineStage {
    private final MaskPlanner planner;
    /** What each UPDATE text sets to its parameters, read once per text. */
    private final Cache<String, List<WrittenParameters.Assignment>> assignments =
            Caffeine.newBuilder().maximumSize(2_048).build();

    /** @param planner the policy's mask planner; the stage is registered only when some mask may apply */
    public MaskedWriteBackStage(MaskPlanner planner) {
        this.planner = Objects.requireNonNull(planner, "planner");
    }

    /** Whether a policy with this planner needs the stage: when it has a mask. */
    public static boolean needed(MaskPlanner planner) {
        return planner != null && planner.masksAnyone();
    }

    @Override
    public void enter(Execution execution) throws SQLException {
        Identity identity = execution.identity();
        boolean byName = execution.byName() != null;
        if (identity == null || !byName && !(execution.newRowCheck() instanceof BoundValues)
                || !planner.masksAnythingFor(identity)) {
            return;
        }
        SqlAnalysis analysis = execution.resolvedAnalysis();
        if (analysis == null || !analysis.parsed() || analysis.statements().size() != 1) {
            return;
        }
        StatementAnalysis update = analysis.statements().get(0);
        if (update.action() != Action.UPDATE && update.action() != Action.INSERT || update.tablesWritten().size() != 1) {
            return;
        }
        String sql = execution.analysedSql().sql();
        List<WrittenParameters.Assignment> set = byName
                ? assignments.get("\0by name\0" + sql, text -> WrittenParameters.ofPreparedByName(sql, execution.dialect()))
                : assignments.get(sql, text -> WrittenParameters.ofUpdate(text, execution.dialect()));
        if (set.isEmpty()) {
            return;
        }
        List<Map<Integer, Object[]>> entries = byName ? executeArguments(execution)
                : ((BoundValues) execution.newRowCheck()).entries();
        if (entries == null) {
            return;
        }
        TableRef table = update.tablesWritten().iterator().next();
        for (WrittenParameters.Assignment assignment : set) {
            ColumnMask mask = planner.maskForColumn(identity, MaskPlanner.qualified(table, assignment.column(), null),
                    execution.dialect(), execution.currentNames());
            if (mask == null) {
                continue;
            }
            for (Map<Integer, Object[]> entry : entries) {
                Object[] call = entry == null ? null : entry.get(assignment.parameter());
                if (call != null && call[0].equals(UNKNOWN)) {
                    throw refusedUnknown(mask, table, assignment.column(), identity);
                }
                if (call != null && writesMaskedForm(mask, call)) {
                    throw refused(mask, table, assignment.column(), identity);
                }
            }
        }
    }

    /** The setter an argument not told is recorded as: a user variable, a string with escapes. */
    private static final String UNKNOWN = "\0unknown";

    /**
     * The values an {@code EXECUTE} of a statement prepared by name passes, as a prepared statement's setter calls by
     * parameter number ({@code EXECUTE w('…', 1)}: {@code $1}, {@code $2}); an argument not told is {@link #UNKNOWN}.
     */
    private static List<Map<Integer, Object[]>> executeArguments(Execution execution) {
        List<Object> arguments = io.governed.sql.PreparedStatementNames.arguments(execution.sql().sql(),
                execution.dialect());
        if (arguments == null) {
            return null;
        }
        Map<Integer, Object[]> calls = new java.util.HashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            Object value = arguments.get(i);
            calls.put(i + 1, value == io.governed.sql.PreparedStatementNames.UNKNOWN_VALUE ? new Object[] {UNKNOWN}
                    : value == null ? new Object[] {"setNull"} : new Object[] {"setObject", value});
        }
        return List.of(calls);
    }

    /** The built-in mask functions whose value is a function of the value alone, with no effect: safe to apply here. */
    private static final java.util.Set<String> PURE = java.util.Set.of("redact", "partial", "email", "hash", "null",
            "default", "year", "bucket");
    /**
     * Whether the setter call binds a value in the form the caller reads the column in: one the mask leaves as it is
     * (redact, partial, email, default, year, bucket), NULL under the {@code null} mask, a text of the length and
     * alphabet of the {@code hash} mask's output, a {@code token} mask's text or e-mail token (read by its shape: the
     * token mask is not applied, since it writes to its vault). A mask function of a policy jar's own is not applied
     * (what it does besides masking is not known), so its output is not recognised.
     */
    private static boolean writesMaskedForm(ColumnMask mask, Object[] call) {
        String setter = (String) call[0];
        Object value = call.length > 1 ? call[1] : null;
        String function = mask.function();
        if (setter.equals("setNull") || value == null) {
            return "null".equals(function); // under the null mask every value reads as NULL
        }
        if ("token".equals(function)) {
            return value instanceof String text && io.governed.masking.builtin.TokenMasker.isTextToken(text);
        }
        if (!PURE.contains(function) || !(value instanceof String || value instanceof Number
                || value instanceof java.time.temporal.Temporal || value instanceof java.util.UUID
                || value instanceof Boolean)) {
            return false;
        }
        try {
            Object masked = mask.masking().mask(value);
            if ("hash".equals(function)) {
                return value instanceof String text && masked instanceof String digest && !text.isEmpty()
                        && text.length() == digest.length() && text.chars().allMatch(c -> Character.isLetterOrDigit(c)
                        && c < 128 || c == '-' || c == '_');
            }
            return value.equals(masked);
        } catch (UnmaskableValueException | ClassCastException e) {
            return false;
        }
    }

    private static GovernanceException refusedUnknown(ColumnMask mask, TableRef table, String column,
                                                      Identity identity) {
        String id = mask.maskId();
        return new GovernanceException(Decision.deny(List.of(id), "Statement denied by mask " + id + ": it runs by name"
                + " a statement that sets " + table + "." + column + ", which " + identity.describe() + " reads masked,"
                + " to an argument whose value is not known here (a user variable, a string with escapes), so whether it"
                + " is the masked form, which would replace the stored value, cannot be told. Pass the value as a plain"
                + " constant, or run the statement itself with the value bound; nothing was sent to the database"));
    }

    private static GovernanceException refused(ColumnMask mask, TableRef table, String column, Identity identity) {
        String id = mask.maskId();
        return new GovernanceException(Decision.deny(List.of(id), "Statement denied by mask " + id + ": it sets "
                + table + "." + column + ", which " + identity.describe() + " reads masked, to a value in the form the "
                + "mask shows it, which would replace the stored value with its masked form (an entity read and written "
                + "back whole: Hibernate updates every mapped column unless the entity is annotated @DynamicUpdate). "
                + "Write only the columns that changed (@DynamicUpdate, or @Column(updatable = false) on " + column
                + "), or let an identity the mask exempts write it; nothing was sent to the database"));
    }
}
