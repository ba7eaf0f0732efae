/**
 * SQL analysis: what a SQL text does, as the policy engine needs to know it.
 *
 * <p>Entry point: {@link io.governed.sql.SqlAnalyzer#analyze(String, io.governed.sql.Dialect)}, which
 * returns a {@link io.governed.sql.SqlAnalysis} (one {@link io.governed.sql.StatementAnalysis} per
 * statement, nested data-modifying statements after their parent) and caches it by fingerprint.
 *
 * <p>How a text travels through the package:
 * <ol>
 *   <li>{@code SqlLexer} reads it once, dialect-aware, into a {@code TokenSink}; {@code LexedSqlBuilder}
 *       turns the tokens into the fingerprint ({@link io.governed.sql.SqlFingerprint}) and a literal-free
 *       parse text ({@code LexedSql}), translating JDBC escapes on the way;</li>
 *   <li>{@code StatementParser} runs JSQLParser on the parse text, on the calling thread;</li>
 *   <li>{@code StatementWalker} turns each statement into its analysis, helped by
 *       {@code DataChangeWalker} (INSERT, UPDATE, DELETE, MERGE), {@code DefinitionWalker} (DROP,
 *       ALTER, GRANT, REVOKE), {@code QueryWalker} (queries, FROM items, CTEs), {@code ExpressionWalker}
 *       and {@code ColumnResolver} (columns and lineage through a {@code Scope} of {@code Relation}s),
 *       and {@code WhereClassifier} (how an UPDATE or DELETE is bounded);</li>
 *   <li>a statement the parser cannot read is tried against {@code UnparsedStatementFallback}, a short
 *       list of statement heads analysed from their tokens; anything else is unparseable.</li>
 * </ol>
 *
 * <p>Because the parser only ever sees the literal-free text, an analysis depends on nothing the
 * fingerprint does not hold, which is what makes sharing it between texts safe.
 */
package io.governed.sql;
