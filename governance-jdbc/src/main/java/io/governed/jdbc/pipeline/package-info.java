/**
 * The statement pipeline: the ordered stages every statement passes, from identity to audit. Start
 * at {@link io.governed.jdbc.pipeline.StatementPipeline}, whose comment lists them in order; a new
 * capability is one {@link io.governed.jdbc.pipeline.StatementStage} and one registration line.
 */
package io.governed.jdbc.pipeline;
