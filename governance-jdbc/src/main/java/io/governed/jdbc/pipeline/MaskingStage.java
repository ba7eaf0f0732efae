package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.masking.ResultMasks;
import io.governed.policy.masking.MaskPlanner;
import io.governed.jdbc.gate.SqlText;
import io.governed.sql.Dialect;
import io.governed.sql.TableRef;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.names.NameResolver;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Stage 3: masks on the way out. Each result set handed to the caller has the statement's mask plan
 * laid over its columns (lineage from the analysis; the driver's metadata and value detection where
 * lineage ends), for the statement's identity; every getter of a masked column then masks. Nothing is
 * worked out when no mask can apply to the identity, so most statements pay one check. Generated
 * keys are traced through the RETURNING list the driver appended for them.
 */
public final class MaskingStage extends PipelineStage {
    private final MaskPlanner planner;
    private final MaskPlanner observed;

    /** @param planner the policy's mask planner, or {@code null} when nothing is masked */
    public MaskingStage(MaskPlanner planner) {
        this(planner, null);
    }

    /**
     * @param planner  the mask planner of the policy's part in force, or {@code null} when nothing is masked
     * @param observed the mask planner of the whole policy, masks in observe mode included, or {@code null}
     *                 when no mask is in observe mode: the columns it masks and {@code planner} does not
     *                 are recorded as would-be masked ({@code would_mask} in the audit), not masked
     */
    public MaskingStage(MaskPlanner planner, MaskPlanner observed) {
        this.planner = planner;
        this.observed = observed;
    }

    /**
     * Left out of every dialect's pipeline when neither planner has a mask (the policy masks no one, in force or in
     * observe mode): {@link #resultOpened} then hands every result out as it came, whoever reads it, so a statement's
     * results do not enter this stage. The planners and their masks are fixed with the stage.
     */
    @Override
    boolean runsOn(Dialect dialect) {
        return planner != null && planner.masksAnyone() || observed != null && observed.masksAnyone();
    }

    @Override
    public ResultSet resultOpened(Execution execution, ResultSet resultSet) throws SQLException {
        Identity identity = execution.identity();
        if (observed != null && identity != null && resultSet instanceof MaskableResult result
                && observed.masksAnythingFor(identity)) {
            observe(execution, identity, result);
        }
        if (planner == null || identity == null || !planner.masksAnythingFor(identity)) {
            return resultSet;
        }
        if (!(resultSet instanceof MaskableResult result)) {
            throw GovernanceException.failedClosed("A result set of type " + resultSet.getClass().getName()
                    + " cannot be masked, and masks apply to " + identity.describe() + ": it is not handed out",
                    GovernanceException.SQLSTATE_DENIED, null);
        }
        SqlAnalysis analysis = result.resultKind() == MaskableResult.Kind.GENERATED_KEYS
                ? keysAnalysis(execution, identity, result) : execution.resolvedAnalysis();
        ResultMasks masks = ResultMasks.resolve(planner, identity, analysis, null, execution.dialect(),
                result::driverMetaData, result::tableColumns,
                execution.names() == null ? NameResolver.unknown() : execution.names().current(), result::columnValues);
        if (masks != null) {
            result.applyMasks(masks, planner, identity);
        }
        return resultSet;
    }

    /** Notes the columns the masks in observe mode would mask and those in force do not. */
    private void observe(Execution execution, Identity identity, MaskableResult result) throws SQLException {
        if (result.resultKind() == MaskableResult.Kind.GENERATED_KEYS) {
            return;
        }
        NameResolver names = execution.names() == null ? NameResolver.unknown() : execution.names().current();
        ResultMasks wouldBe = ResultMasks.resolve(observed, identity, execution.resolvedAnalysis(), null, execution.dialect(),
                result::driverMetaData, result::tableColumns, names, result::columnValues);
        if (wouldBe == null) {
            return;
        }
        List<String> labels = new ArrayList<>(wouldBe.maskedLabels());
        if (planner != null && planner.masksAnythingFor(identity)) {
            ResultMasks inForce = ResultMasks.resolve(planner, identity, execution.resolvedAnalysis(), null, execution.dialect(),
                    result::driverMetaData, result::tableColumns, names, result::columnValues);
            if (inForce != null) {
                labels.removeAll(inForce.maskedLabels());
            }
        }
        execution.wouldMask(labels);
    }

    /**
     * What the generated keys are traced by: the statement as the driver ran it, with the RETURNING
     * list it appended ({@link GeneratedKeysSql}), so they follow the same lineage as a select list.
     * Keys that were not asked for are laid over the driver's metadata alone; keys that were asked for
     * but cannot be traced are refused.
     */
    private static SqlAnalysis keysAnalysis(Execution execution, Identity identity, MaskableResult result) throws SQLException {
        if (!execution.generatedKeys().requested()) {
            return null;
        }
        SqlAnalysis analysis = execution.dialect() == Dialect.MARIADB
                ? mariaDbKeys(execution, result) : execution.resolvedAnalysis();
        if (!ResultMasks.traceable(analysis)) {
            throw GovernanceException.failedClosed("The generated keys of this statement (" + execution.generatedKeys()
                    + ") cannot be traced to the columns they come from, and masks apply to " + identity.describe()
                    + ": they are not handed out. Read the row with a SELECT, whose columns are masked, instead",
                    GovernanceException.SQLSTATE_DENIED, null);
        }
        return analysis;
    }

    /**
     * MariaDB's driver returns, whatever was asked, the auto-increment values of the write: they are
     * traced as {@code SELECT <auto-increment column> AS insert_id FROM <written table>}. When the
     * statement writes no single table, or the table has no auto-increment column the metadata names,
     * the keys cannot be traced (and are refused).
     */
    private static SqlAnalysis mariaDbKeys(Execution execution, MaskableResult result) throws SQLException {
        SqlAnalysis analysis = execution.resolvedAnalysis();
        if (!analysis.parsed() || analysis.statements().size() != 1
                || analysis.statements().get(0).tablesWritten().size() != 1) {
            return null;
        }
        TableRef table = analysis.statements().get(0).tablesWritten().iterator().next();
        String column = result.autoIncrementColumn(table.schema(), table.name());
        if (column == null) {
            return null;
        }
        return execution.analysisOf(new SqlText("SELECT `" + column.replace("`", "``") + "` AS insert_id FROM "
                + (table.schema() == null ? "" : "`" + table.schema().replace("`", "``") + "`.")
                + "`" + table.name().replace("`", "``") + "`"));
    }
}
