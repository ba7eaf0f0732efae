package io.governed.jdbc.pipeline;

import io.governed.identity.Identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;

/** An application's {@link StatementStage} ({@code Governance.builder().stage(…)}) as the pipeline holds it: every hook forwarded. */
final class ApplicationStage extends PipelineStage {
    private final StatementStage stage;

    ApplicationStage(StatementStage stage) {
        this.stage = Objects.requireNonNull(stage, "stage");
    }

    @Override
    Class<?> stageClass() {
        return stage.getClass();
    }

    @Override
    public void enter(Execution execution) throws SQLException {
        stage.enter(execution);
    }

    @Override
    public void repeated(Execution execution) throws SQLException {
        stage.repeated(execution);
    }

    @Override
    public void refused(Execution execution, SQLException refusal) {
        stage.refused(execution, refusal);
    }

    @Override
    public ResultSet resultOpened(Execution execution, ResultSet resultSet) throws SQLException {
        return stage.resultOpened(execution, resultSet);
    }

    @Override
    public void completed(Execution execution) throws SQLException {
        stage.completed(execution);
    }

    @Override
    public SQLException failed(Execution execution, SQLException failure) {
        return stage.failed(execution, failure);
    }

    @Override
    public SQLException databaseError(Identity identity, SQLException error) {
        return stage.databaseError(identity, error);
    }
}
